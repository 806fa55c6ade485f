/**
 * The loop's structured-output step: is the final answer the JSON the run asked for, and if not,
 * what to tell the model (once more) or which error to raise.
 */
import { OutputInvalidError, type OutputIssue } from '../errors.js';
import type { ModelResponse } from '../providers/types.js';
import type { AssistantBlock } from '../conversation/messages.js';
import type { ResolvedOutput } from './output.js';

export type AnswerVerdict = { done: true; value: unknown } | { done: false; retryMessage: string };

/** The answer's text: the reply's text blocks joined as they came (JSON split across parts stays whole). */
function answerText(blocks: readonly AssistantBlock[]): string {
  let text = '';
  for (const block of blocks) if (block.type === 'text') text += block.text;
  return text;
}

/** Issues as lines for a person or a model: `- /items/0/price: must be number`. */
export function formatIssues(issues: readonly OutputIssue[]): string {
  return issues
    .map((issue) => `- ${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`)
    .join('\n');
}

/** What the model is told when its answer does not match; it names every issue. */
export function retryMessage(issues: readonly OutputIssue[]): string {
  return [
    'Your answer does not match the required JSON schema:',
    formatIssues(issues),
    'Answer again with only a corrected JSON object.',
  ].join('\n');
}

/**
 * Resolves with the validated value, or with the message to send back when a retry is allowed, and
 * rejects with OUTPUT_INVALID otherwise. A refusal (stop reason `refusal`) is never retried: asking
 * again does not change a refusal, and the caller should see it at once.
 */
export async function checkStructuredAnswer(
  output: ResolvedOutput,
  blocks: readonly AssistantBlock[],
  response: ModelResponse,
  options: { canRetry: boolean },
): Promise<AnswerVerdict> {
  const raw = answerText(blocks);
  if (response.stopReason === 'refusal') {
    throw new OutputInvalidError(`The model refused to give the structured answer: ${raw}`, {
      raw,
      issues: [{ path: '', message: 'the model refused' }],
    });
  }
  const check = await output.check(raw);
  if (check.ok) return { done: true, value: check.value };
  if (options.canRetry) return { done: false, retryMessage: retryMessage(check.issues) };
  throw new OutputInvalidError(
    `The final answer does not match the output schema:\n${formatIssues(check.issues)}`,
    { raw, issues: check.issues },
  );
}
