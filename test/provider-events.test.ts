/**
 * The same two-step tool loop on every provider: switching `provider` changes nothing a callback
 * sees. Each real provider runs through its official SDK over HTTP against recorded exchanges.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, LLMProgram, type RunResult } from '../src/index.js';
import { recorder, type Observed } from './support/recorder.js';
import {
  loadFixture,
  type FixtureSet,
  startReplayServer,
  withReplayServer,
  type Fixture,
} from './support/replay-server.js';
import { useProviderKeys } from './support/provider-keys.js';

const secret = 'sk-test-secret-key-that-must-not-leak';
useProviderKeys(secret);

const weather = defineTool({
  name: 'get_weather',
  description: 'Get the current weather for a city.',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => `Sunny, 22C in ${city}`,
});

/** The model a fixture was recorded with: in the body, or in Gemini's path. */
function recordedModel(fixture: Fixture): string {
  const body = fixture.request.body as { model?: string };
  return body.model ?? /models\/([^:]+):/.exec(fixture.request.path)?.[1] ?? 'unknown';
}

async function runOn(
  provider: 'anthropic' | 'openai' | 'gemini' | 'mock',
  fixtureSet?: FixtureSet,
): Promise<{ events: Observed[]; result: RunResult }> {
  const fixtures = fixtureSet
    ? [loadFixture(fixtureSet, 'tool-loop.1'), loadFixture(fixtureSet, 'tool-loop.2')]
    : [];
  const server = fixtureSet ? await startReplayServer(fixtures) : undefined;
  try {
    const program = new LLMProgram({
      model: fixtures[0] ? recordedModel(fixtures[0]) : 'mock',
      provider,
      tools: [weather],
      parameters: { max_tokens: 1024 },
      ...(server ? { baseUrl: server.url } : {}),
      mock: {
        turns: [
          { toolCalls: [{ name: 'get_weather', args: { city: 'Paris' } }] },
          { text: 'It is sunny in Paris.' },
        ],
      },
    });
    const rec = recorder();
    const proc = await program.start().addCallback(rec.callback);
    const result = await proc.run("What's the weather in Paris?");
    await proc.close();
    if (server) expect(server.remaining()).toBe(0);
    return { events: rec.events, result };
  } finally {
    await server?.close();
  }
}

describe('every provider emits the same events for a two-step tool loop', () => {
  const cases = [
    ['anthropic', 'anthropic'],
    ['openai', 'openai-chat'],
    ['gemini', 'gemini'],
  ] as const;

  it.each(cases)('%s matches the mock event for event', async (provider, dir) => {
    const mock = await runOn('mock');
    const real = await runOn(provider, dir);
    const names = (events: Observed[]): string[] => events.map((e) => e.event);
    expect(names(real.events)).toEqual(names(mock.events));
    expect(names(real.events)).toEqual([
      'turn_start',
      'api_request',
      'api_response',
      'tool_start',
      'tool_end',
      'turn_end',
      'turn_start',
      'api_request',
      'api_response',
      'response',
      'turn_end',
      'run_end',
    ]);
    const toolStart = real.events.find((e) => e.event === 'tool_start');
    expect(toolStart?.args).toEqual(['get_weather', { city: 'Paris' }]);
    expect(real.result.toolCalls).toEqual([{ toolName: 'get_weather', args: { city: 'Paris' } }]);
    expect(real.result.apiCalls).toBe(2);
    expect(real.result.stopReason).toBe('end_turn');
    expect(real.result.lastMessage.toLowerCase()).toContain('paris');
    expect(real.result.usage.inputTokens).toBeGreaterThan(0);
    expect(real.result.usage.outputTokens).toBeGreaterThan(0);
    const response = real.events.find((e) => e.event === 'response');
    expect(response?.args[0]).toBe(real.result.lastMessage);
  });

  it.each(cases)('%s never puts the API key in an event', async (provider, dir) => {
    const { events, result } = await runOn(provider, dir);
    // Everything callbacks received, the process objects and contexts included.
    const seen = JSON.stringify(events.map((e) => [...e.args, e.context]));
    expect(seen).not.toContain(secret);
    expect(JSON.stringify(result)).not.toContain(secret);
    expect(JSON.stringify(result.apiCallInfos.map((c) => c.request))).not.toContain(secret);
  });
});

describe('missing credentials', () => {
  it.each([
    ['anthropic', 'ANTHROPIC_API_KEY'],
    ['openai', 'OPENAI_API_KEY'],
    ['gemini', 'GEMINI_API_KEY'],
  ] as const)('%s fails at start() naming %s', async (provider, variable) => {
    const before = { ...process.env };
    delete process.env['ANTHROPIC_API_KEY'];
    delete process.env['OPENAI_API_KEY'];
    delete process.env['GEMINI_API_KEY'];
    delete process.env['GOOGLE_API_KEY'];
    try {
      const program = new LLMProgram({ model: 'm', provider });
      await expect(program.start()).rejects.toMatchObject({
        code: 'MISSING_CREDENTIALS',
        message: expect.stringContaining(variable) as unknown,
      });
    } finally {
      Object.assign(process.env, before);
    }
  });
});

describe('streaming through a process', () => {
  it.each([
    ['anthropic', 'anthropic', 'text-stream'],
    ['gemini', 'gemini', 'text-stream'],
  ] as const)(
    '%s delivers text_delta pieces before the response they make up',
    async (provider, set, name) => {
      const fixture = loadFixture(set, name);
      await withReplayServer([fixture], async (server) => {
        const proc = await new LLMProgram({
          model: recordedModel(fixture),
          provider,
          baseUrl: server.url,
          parameters: { max_tokens: 1024 },
        }).start();
        const rec = recorder();
        proc.addCallback(rec.callback);
        const result = await proc.run('Say something', { stream: true });
        const names = rec.names();
        const deltas = rec.events
          .filter((e) => e.event === 'text_delta')
          .map((e) => e.args[0] as string);
        // One delta per text frame of the recording: nothing batched, nothing lost.
        const textFrames = (fixture.response.sse ?? []).filter((frame) =>
          /"text_delta"|"parts":\[\{"text"/.test(JSON.stringify(frame.data)),
        );
        expect(deltas).toHaveLength(textFrames.length);
        expect(deltas.join('')).toBe(result.lastMessage);
        expect(names.lastIndexOf('text_delta')).toBeLessThan(names.indexOf('response'));
        expect(names.filter((n) => n !== 'text_delta')).toEqual([
          'turn_start',
          'api_request',
          'api_response',
          'response',
          'turn_end',
          'run_end',
        ]);
      });
    },
  );

  it('openai streams a two-step tool loop with the same events as the mock', async () => {
    const fixtures = [
      loadFixture('openai-chat', 'stream-tool-loop.1'),
      loadFixture('openai-chat', 'stream-tool-loop.2'),
    ];
    await withReplayServer(fixtures, async (server) => {
      const tool =
        (fixtures[0]?.request.body as { tools: { function: { name: string } }[] }).tools[0]
          ?.function.name ?? '';
      const echoTool = defineTool({ name: tool, execute: (args) => JSON.stringify(args) });
      const proc = await new LLMProgram({
        model: recordedModel(fixtures[0]!),
        provider: 'openai',
        baseUrl: server.url,
        tools: [echoTool],
      }).start();
      const rec = recorder();
      proc.addCallback(rec.callback);
      await proc.run('go', { stream: true });
      expect(rec.names().filter((n) => n !== 'text_delta')).toEqual([
        'turn_start',
        'api_request',
        'api_response',
        'tool_start',
        'tool_end',
        'turn_end',
        'turn_start',
        'api_request',
        'api_response',
        'response',
        'turn_end',
        'run_end',
      ]);
      expect(rec.names()).toContain('text_delta');
    });
  });
});

describe('API failures', () => {
  it('rejects run() naming provider, status and message, keeps the conversation as before, and can run again', async () => {
    const failure = loadFixture('anthropic', 'error-401-authentication');
    const success = loadFixture('anthropic', 'text');
    await withReplayServer([failure, success], async (server) => {
      const proc = await new LLMProgram({
        model: recordedModel(success),
        provider: 'anthropic',
        baseUrl: server.url,
        parameters: { max_tokens: 1024 },
      }).start();
      const error: unknown = await proc.run('hello').catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'ProviderError', provider: 'anthropic', status: 401 });
      expect((error as Error).message).toMatch(/^anthropic API error 401/);
      expect(proc.getState()).toEqual([]);
      const result = await proc.run('hello');
      expect(result.apiCalls).toBe(1);
      expect(proc.getState().map((m) => m.role)).toEqual(['user', 'assistant']);
      expect(server.received).toHaveLength(2);
    });
  });
});

describe('secret headers', () => {
  it.each([
    ['anthropic', 'anthropic', 'text'],
    ['openai', 'openai-chat', 'text'],
    ['gemini', 'gemini', 'text'],
  ] as const)(
    '%s sends configured auth headers but never shows them to callbacks or RunResult',
    async (provider, set, name) => {
      const fixture = loadFixture(set, name);
      await withReplayServer([fixture], async (server) => {
        const proc = await new LLMProgram({
          model: recordedModel(fixture),
          provider,
          baseUrl: server.url,
          parameters: {
            max_tokens: 256,
            extra_headers: {
              'x-proxy-note': 'visible',
              Authorization: 'Bearer PROXY-TOKEN-123',
              'X-Api-Key': 'sk-PROXY-456',
            },
          },
        }).start();
        const seen: string[] = [];
        proc.addCallback((...params) => {
          seen.push(
            JSON.stringify(params.slice(1, -1), (_key, value: unknown) =>
              value === proc ? '[process]' : value,
            ),
          );
        });
        const result = await proc.run('hello');
        const shown = seen.join('\n') + JSON.stringify(result.apiCallInfos.map((c) => c.request));
        expect(shown).not.toContain('PROXY-TOKEN-123');
        expect(shown).not.toContain('sk-PROXY-456');
        expect(shown).toContain('[redacted]');
        expect(shown).toContain('visible');
        const sent = server.received[0]?.headers;
        expect(sent?.['authorization']).toBe('Bearer PROXY-TOKEN-123');
        expect(sent?.['x-proxy-note']).toBe('visible');
      });
    },
  );
});

describe('parallel tool calls', () => {
  it('openai runs every tool call of one reply and answers each in the next request', async () => {
    const first = structuredClone(loadFixture('openai-chat', 'tool-loop.1'));
    const body = first.response.body as {
      choices: { message: { tool_calls: { id: string; function: { arguments: string } }[] } }[];
    };
    const calls = body.choices[0]!.message.tool_calls;
    calls.push({
      ...structuredClone(calls[0]!),
      id: 'call_second',
      function: { name: 'get_weather', arguments: '{"city":"London"}' },
    } as (typeof calls)[number]);
    await withReplayServer([first, loadFixture('openai-chat', 'tool-loop.2')], async (server) => {
      const rec = recorder();
      const proc = await new LLMProgram({
        model: recordedModel(first),
        provider: 'openai',
        baseUrl: server.url,
        tools: [weather],
      })
        .start()
        .addCallback(rec.callback);
      await proc.run("What's the weather in Paris and London?");
      expect(rec.events.filter((e) => e.event === 'tool_start').map((e) => e.args[1])).toEqual([
        { city: 'Paris' },
        { city: 'London' },
      ]);
      const second = server.received[1]?.body as {
        messages: { role: string; tool_call_id?: string; content?: string }[];
      };
      const toolMessages = second.messages.filter((m) => m.role === 'tool');
      expect(toolMessages.map((m) => [m.tool_call_id, m.content])).toEqual([
        [calls[0]!.id, 'Sunny, 22C in Paris'],
        ['call_second', 'Sunny, 22C in London'],
      ]);
    });
  });
});
