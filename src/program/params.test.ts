import { describe, expect, it } from 'vitest';
import { configFromDict } from './load.js';
import { parameterWarnings } from './params.js';
import { captureWarnings, configErrorOf } from './__fixtures__/helpers.js';

const anthropic = { name: 'claude-3-7-sonnet-20250219', provider: 'anthropic' };

function messageOf(
  parameters: Record<string, unknown>,
  model: Record<string, unknown> = anthropic,
): string {
  return configErrorOf(() => configFromDict({ model, parameters })).message;
}

describe('[parameters] validation', () => {
  it('rejects reasoning_effort = "extreme", naming the allowed values', () => {
    expect(
      messageOf({ reasoning_effort: 'extreme' }, { name: 'o3-mini', provider: 'openai' }),
    ).toBe('<dict>: "parameters.reasoning_effort" must be one of low, medium, high; got "extreme"');
  });

  it('rejects max_tokens together with max_completion_tokens', () => {
    expect(messageOf({ max_tokens: 100, max_completion_tokens: 200 })).toBe(
      '<dict>: "parameters.max_completion_tokens" cannot be set together with "parameters.max_tokens": use max_tokens ' +
        'for standard models and max_completion_tokens for OpenAI reasoning models',
    );
  });

  it('rejects extra_headers that is not a table, and non-string header values', () => {
    expect(messageOf({ extra_headers: 'x' })).toBe(
      '<dict>: "parameters.extra_headers" must be a table of header name = value pairs; got "x"',
    );
    expect(messageOf({ extra_headers: { 'anthropic-beta': 1 } })).toBe(
      '<dict>: "parameters.extra_headers.anthropic-beta" must be a string (a header value); got 1',
    );
  });

  it('rejects a bad thinking table: not a table, unknown type, negative or fractional budget', () => {
    expect(messageOf({ thinking: true })).toBe(
      '<dict>: "parameters.thinking" must be a table such as { type = "enabled", budget_tokens = 4000 }; got true',
    );
    expect(messageOf({ thinking: { type: 'on' } })).toBe(
      '<dict>: "parameters.thinking.type" must be one of "enabled", "disabled", "adaptive"; got "on"',
    );
    expect(messageOf({ thinking: { type: 'enabled', budget_tokens: -1 } })).toBe(
      '<dict>: "parameters.thinking.budget_tokens" must not be negative; got -1',
    );
    expect(messageOf({ thinking: { type: 'enabled', budget_tokens: 1.5 } })).toBe(
      '<dict>: "parameters.thinking.budget_tokens" must be an integer; got 1.5',
    );
  });

  it('loads a thinking budget of 500 with a warning', () => {
    const { value, warnings } = captureWarnings(() =>
      configFromDict({
        model: anthropic,
        parameters: { max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 500 } },
      }),
    );
    expect(value.parameters).toEqual({
      max_tokens: 4000,
      thinking: { type: 'enabled', budget_tokens: 500 },
    });
    expect(warnings).toEqual([
      '<dict>: "parameters.thinking.budget_tokens" is 500, but Claude requires at least 1024; the API call will likely fail',
    ]);
  });

  it('loads an unknown parameter with a warning and keeps it unchanged', () => {
    const { value, warnings } = captureWarnings(() =>
      configFromDict({
        model: anthropic,
        parameters: { max_tokens: 10, service_tier: { level: 'auto' } },
      }),
    );
    expect(value.parameters).toEqual({ max_tokens: 10, service_tier: { level: 'auto' } });
    expect(warnings).toEqual([
      `<dict>: Unknown API parameter 'service_tier' ("parameters.service_tier"): passed to the API unchanged; ` +
        'this may be a typo or a parameter newer than llmproc knows',
    ]);
  });
});

describe('parameterWarnings', () => {
  it('warns about provider-specific parameters on a provider that does not send them', () => {
    expect(
      parameterWarnings(
        { reasoning_effort: 'low', thinking: { type: 'disabled' } },
        'openai',
        'gpt-4o',
      ),
    ).toEqual([
      `"parameters.thinking" is only used by Anthropic models and Gemini models; provider 'openai' does not send it`,
    ]);
    expect(
      parameterWarnings(
        { reasoning: { summary: 'auto' }, effort: 'low' },
        'gemini',
        'gemini-2.5-flash',
      ),
    ).toEqual([
      `"parameters.reasoning" is only used by OpenAI reasoning models (Responses API); provider 'gemini' does not send it`,
      `"parameters.effort" is only used by Anthropic models; provider 'gemini' does not send it`,
    ]);
  });

  it('is silent about what each provider maps: thinking on Gemini, reasoning on OpenAI', () => {
    expect(
      parameterWarnings(
        { thinking: { type: 'enabled', budget_tokens: 512 } },
        'gemini',
        'gemini-2.5-flash',
      ),
    ).toEqual([]);
    expect(
      parameterWarnings(
        { reasoning: { summary: 'auto' }, reasoning_effort: 'low' },
        'openai',
        'gpt-5',
      ),
    ).toEqual([]);
  });

  it('is silent for known parameters on their provider and for the mock provider', () => {
    expect(
      parameterWarnings({ reasoning_effort: 'low', max_completion_tokens: 10 }, 'openai', 'o3'),
    ).toEqual([]);
    expect(
      parameterWarnings(
        { thinking: { type: 'enabled', budget_tokens: 2048 } },
        'anthropic_vertex',
        'claude-sonnet-4-5',
      ),
    ).toEqual([]);
    expect(
      parameterWarnings({ reasoning_effort: 'low', thinking: { type: 'enabled' } }, 'mock', 'mock'),
    ).toEqual([]);
  });

  it('does not warn about a zero thinking budget', () => {
    expect(
      parameterWarnings(
        { thinking: { type: 'disabled', budget_tokens: 0 } },
        'anthropic',
        'claude-sonnet-4-5',
      ),
    ).toEqual([]);
  });
});

describe('adaptive thinking and effort on Anthropic', () => {
  it('loads adaptive thinking and effort on the models that have them, with no warning', () => {
    for (const model of [
      'claude-opus-4-6',
      'claude-sonnet-4-6',
      'claude-opus-4-7',
      'claude-sonnet-5',
    ]) {
      const { value, warnings } = captureWarnings(() =>
        configFromDict({
          model: { name: model, provider: 'anthropic' },
          parameters: { thinking: { type: 'adaptive' }, effort: 'medium' },
        }),
      );
      expect(value.parameters).toEqual({ thinking: { type: 'adaptive' }, effort: 'medium' });
      expect(warnings).toEqual([]);
    }
    expect(() =>
      configFromDict({
        model: { name: 'claude-opus-4-5-20251101', provider: 'anthropic' },
        parameters: { effort: 'low' },
      }),
    ).not.toThrow();
  });

  it('refuses adaptive thinking and effort on an older model, naming the model', () => {
    expect(
      messageOf(
        { thinking: { type: 'adaptive' } },
        { name: 'claude-sonnet-4-5', provider: 'anthropic' },
      ),
    ).toBe(
      `<dict>: "parameters.thinking.type" is "adaptive", which model 'claude-sonnet-4-5' does not support ` +
        '(Claude Opus 4.6, Sonnet 4.6 and later do); use { type = "enabled", budget_tokens = N } on this model',
    );
    expect(
      messageOf({ effort: 'high' }, { name: 'claude-3-7-sonnet-latest', provider: 'anthropic' }),
    ).toBe(
      `<dict>: "parameters.effort" is set, but model 'claude-3-7-sonnet-latest' does not take effort ` +
        '(Claude Opus 4.5, and the 4.6 models and later do)',
    );
    expect(
      messageOf({ effort: 'extreme' }, { name: 'claude-opus-4-6', provider: 'anthropic' }),
    ).toBe(
      '<dict>: "parameters.effort" must be one of low, medium, high, xhigh, max; got "extreme"',
    );
  });
});
