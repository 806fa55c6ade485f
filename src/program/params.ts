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
import type { ParameterIssue } from '../providers/types.js';
import { omitGot } from './issues.js';
import { cutText, maxListed } from '../internal/bounded-text.js';
import { closestName } from '../internal/suggest.js';
import { isRecord } from '../internal/is-record.js';

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

/**
 * Parameters some provider declares as its own, with who uses them: each distinct description of
 * the providers that declare it ("Anthropic models", "Gemini models").
 */
const providerSpecificParameters = new Map<string, string[]>();
for (const definition of providerDefinitions) {
  if (definition.parameters === 'any') continue;
  for (const [name, usedBy] of Object.entries(definition.parameters.own)) {
    const list = providerSpecificParameters.get(name) ?? [];
    if (!list.includes(usedBy)) list.push(usedBy);
    providerSpecificParameters.set(name, list);
  }
}

/** The thinking types some provider takes; which model takes which is the provider's check. */
const thinkingTypes = ['enabled', 'disabled', 'adaptive'];

/** A table of `[parameters]`: a TOML date parses to a Date object, which is a value, not a table. */
function isTable(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && !(value instanceof Date);
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
    if ('type' in thinking && !thinkingTypes.includes(String(thinking['type']))) {
      custom(
        ['thinking', 'type'],
        `must be one of ${thinkingTypes.map((t) => `"${t}"`).join(', ')}`,
      );
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
 * The issues the provider's own rules find in `[parameters]` for `model` (an adaptive thinking type
 * on a model without it, ...). Errors refuse the program (schema-rules.ts); warnings are logged.
 */
export function providerParameterIssues(
  params: Readonly<Record<string, unknown>>,
  provider: ProviderName,
  model: string,
): readonly ParameterIssue[] {
  const rules = providerDefinition(provider).parameters;
  return rules === 'any' || rules.check === undefined ? [] : rules.check(params, model);
}

/**
 * One warning for every unknown parameter name, however many: the first {@link maxListed} named,
 * then a count. A name close to a known one says which.
 */
function unknownParametersWarning(names: readonly string[]): string | undefined {
  const [first] = names;
  if (first === undefined) return undefined;
  const cut = (name: string): string => `'${cutText(name, 60)}'`;
  if (names.length === 1) {
    const meant = closestName(first, [
      ...knownParameterNames,
      ...providerSpecificParameters.keys(),
    ]);
    return (
      `Unknown API parameter ${cut(first)} ("parameters.${cutText(first, 60)}"): passed to the API unchanged; ` +
      (meant === undefined
        ? 'this may be a typo or a parameter newer than llmproc knows'
        : `did you mean '${meant}'?`)
    );
  }
  const listed = names.slice(0, maxListed).map(cut).join(', ');
  const more = names.length > maxListed ? `, and ${String(names.length - maxListed)} more` : '';
  return (
    `${String(names.length)} unknown API parameters in [parameters] (${listed}${more}): passed to the ` +
    'API unchanged; these may be typos or parameters newer than llmproc knows'
  );
}

/**
 * Warnings for a valid `[parameters]` table: unknown names, provider-specific parameters this
 * provider does not use, and the provider's own doubts for this model. The mock provider accepts
 * anything, so it gets no provider warnings. Each line names the key path; the caller prefixes the
 * file.
 */
export function parameterWarnings(
  params: Readonly<Record<string, unknown>>,
  provider: ProviderName,
  model: string,
): string[] {
  const warnings: string[] = [];
  const unknown = Object.keys(params).filter(
    (name) => !knownParameterNames.includes(name) && !providerSpecificParameters.has(name),
  );
  const unknownWarning = unknownParametersWarning(unknown);
  if (unknownWarning !== undefined) warnings.push(unknownWarning);
  const rules = providerDefinition(provider).parameters;
  if (rules === 'any') return warnings;
  for (const name of Object.keys(params)) {
    const usedBy = providerSpecificParameters.get(name);
    if (usedBy !== undefined && !(name in rules.own)) {
      warnings.push(
        `"parameters.${name}" is only used by ${usedBy.join(' and ')}; provider '${provider}' does not send it`,
      );
    }
  }
  for (const issue of providerParameterIssues(params, provider, model)) {
    if (issue.severity === 'warning')
      warnings.push(`"${['parameters', ...issue.path].join('.')}" ${issue.message}`);
  }
  return warnings;
}
