/**
 * The `[parameters]` rules of the Anthropic providers (anthropic, anthropic_vertex,
 * anthropic_bedrock), checked at load: what Claude refuses is refused here, naming the model, before
 * any request. Light on purpose (no SDK): the registry reads it with every program.
 */
import type { ParameterIssue, ParameterRules } from '../types.js';
import { supportsAdaptiveThinking, supportsEffort } from './models.js';
import { isRecord } from '../../internal/is-record.js';

/** The `effort` levels the Messages API takes (`output_config.effort`). */
export const effortLevels = ['low', 'medium', 'high', 'xhigh', 'max'] as const;

/** Claude rejects thinking budgets below this; the original only warns, and so do we. */
const minThinkingBudget = 1024;

function thinkingIssues(thinking: unknown, model: string): ParameterIssue[] {
  if (!isRecord(thinking)) return [];
  const issues: ParameterIssue[] = [];
  if (thinking['type'] === 'adaptive' && !supportsAdaptiveThinking(model)) {
    issues.push({
      severity: 'error',
      path: ['thinking', 'type'],
      message:
        `is "adaptive", which model '${model}' does not support (Claude Opus 4.6, Sonnet 4.6 and ` +
        'later do); use { type = "enabled", budget_tokens = N } on this model',
    });
  }
  const budget = thinking['budget_tokens'];
  if (typeof budget === 'number' && budget > 0 && budget < minThinkingBudget) {
    issues.push({
      severity: 'warning',
      path: ['thinking', 'budget_tokens'],
      message: `is ${budget}, but Claude requires at least ${minThinkingBudget}; the API call will likely fail`,
    });
  }
  return issues;
}

function effortIssues(effort: unknown, model: string): ParameterIssue[] {
  if (effort === undefined) return [];
  if (typeof effort !== 'string' || !(effortLevels as readonly string[]).includes(effort)) {
    return [
      {
        severity: 'error',
        path: ['effort'],
        message: `must be one of ${effortLevels.join(', ')}; got ${JSON.stringify(effort)}`,
      },
    ];
  }
  if (supportsEffort(model)) return [];
  return [
    {
      severity: 'error',
      path: ['effort'],
      message: `is set, but model '${model}' does not take effort (Claude Opus 4.5, and the 4.6 models and later do)`,
    },
  ];
}

export const anthropicParameterRules: ParameterRules = {
  own: { thinking: 'Anthropic models', effort: 'Anthropic models' },
  check: (parameters, model) => [
    ...thinkingIssues(parameters['thinking'], model),
    ...effortIssues(parameters['effort'], model),
  ],
};
