/**
 * `[parameters]`: a free-form table handed to the provider's API call, so unknown names are allowed
 * (APIs grow faster than this list) and only warned about. The few values the original checks are
 * checked here, at load, with the same rules as 0.9.2.
 */
import { z } from '../internal/zod.js';
import {
  providerDefinitions,
  providerDefinition,
  type ProviderName,
} from '../providers/registry.js';
import { omitGot } from './issues.js';

/** Parameter names that load without a warning (the original's list). */
export const knownParameterNames: readonly string[] = [
  'temperature',
  'max_tokens',
  'top_p',
  'frequency_penalty',
  'presence_penalty',
  'top_k',
  'stop',
  'reasoning_effort',
  'max_completion_tokens',
  'max_tokens_to_sample',
  'stop_sequences',
  'thinking',
  'extra_headers',
];

const reasoningEfforts = ['low', 'medium', 'high'];

/** Parameters some provider declares as its own, with who supports them. */
const providerSpecificParameters = new Map<string, string>(
  providerDefinitions.flatMap((definition) =>
    definition.parameters === 'any' ? [] : Object.entries(definition.parameters.own),
  ),
);

/** Claude rejects thinking budgets below this; the original only warns, and so do we. */
const minThinkingBudget = 1024;

function isTable(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

function checkParameters(params: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const custom = (path: PropertyKey[], message: string, showGot = true): void => {
    ctx.addIssue({ code: 'custom', path, message, ...(showGot ? {} : { params: omitGot }) });
  };

  if (
    'reasoning_effort' in params &&
    !reasoningEfforts.includes(String(params['reasoning_effort']))
  ) {
    custom(['reasoning_effort'], `must be one of ${reasoningEfforts.join(', ')}`);
  }
  if ('max_tokens' in params && 'max_completion_tokens' in params) {
    custom(
      ['max_completion_tokens'],
      'cannot be set together with "parameters.max_tokens": use max_tokens for standard models ' +
        'and max_completion_tokens for OpenAI reasoning models',
      false,
    );
  }
  if ('extra_headers' in params) {
    const headers = params['extra_headers'];
    if (!isTable(headers))
      custom(['extra_headers'], 'must be a table of header name = value pairs');
    else {
      for (const [name, value] of Object.entries(headers)) {
        if (typeof value !== 'string')
          custom(['extra_headers', name], 'must be a string (a header value)');
      }
    }
  }
  if ('thinking' in params) {
    const thinking = params['thinking'];
    if (!isTable(thinking)) {
      custom(['thinking'], 'must be a table such as { type = "enabled", budget_tokens = 4000 }');
      return;
    }
    if ('type' in thinking && thinking['type'] !== 'enabled' && thinking['type'] !== 'disabled') {
      custom(['thinking', 'type'], 'must be "enabled" or "disabled"');
    }
    if ('budget_tokens' in thinking) {
      const budget = thinking['budget_tokens'];
      if (typeof budget !== 'number' || !Number.isInteger(budget))
        custom(['thinking', 'budget_tokens'], 'must be an integer');
      else if (budget < 0) custom(['thinking', 'budget_tokens'], 'must not be negative');
    }
  }
}

/** Schema of `[parameters]`: any table, with the original's hard checks as issues. */
export const parametersSchema = z.record(z.string(), z.unknown()).superRefine(checkParameters);

/**
 * Warnings for a valid `[parameters]` table (unknown names, a thinking budget Claude will refuse,
 * provider-specific parameters on another provider). The mock provider accepts anything, so it gets
 * no provider warnings. Each line names the key path; the caller prefixes the file.
 */
export function parameterWarnings(
  params: Readonly<Record<string, unknown>>,
  provider: ProviderName,
): string[] {
  const warnings: string[] = [];
  for (const name of Object.keys(params)) {
    if (!knownParameterNames.includes(name)) {
      warnings.push(
        `Unknown API parameter '${name}' ("parameters.${name}"): passed to the API unchanged; ` +
          'this may be a typo or a parameter newer than llmproc knows',
      );
    }
  }
  const thinking = params['thinking'];
  if (isTable(thinking)) {
    const budget = thinking['budget_tokens'];
    if (typeof budget === 'number' && budget > 0 && budget < minThinkingBudget) {
      warnings.push(
        `"parameters.thinking.budget_tokens" is ${budget}, but Claude requires at least ${minThinkingBudget}; ` +
          'the API call will likely fail',
      );
    }
  }
  const rules = providerDefinition(provider).parameters;
  if (rules !== 'any') {
    for (const name of Object.keys(params)) {
      const supportedBy = providerSpecificParameters.get(name);
      if (supportedBy !== undefined && !(name in rules.own)) {
        warnings.push(
          `"parameters.${name}" is only supported by ${supportedBy}; provider '${provider}' does not use it`,
        );
      }
    }
  }
  return warnings;
}
