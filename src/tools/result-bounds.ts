import { ToolResult } from './tool-result.js';

/**
 * 100,000 characters (about 25,000 tokens): far more than a model reads well in one result, far
 * less than a request can carry. A result kept in the conversation is sent again with every later
 * request, so one huge result would make every later run of the process fail.
 */
export const defaultMaxResultChars = 100_000;

const anySurrogate = /[\uD800-\uDFFF]/;

// String.prototype.toWellFormed, which the ES2023 library the package targets does not declare.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * What the loop may send and commit for a tool's result: its text, made well-formed (a lone UTF-16
 * surrogate becomes U+FFFD, since no provider accepts it in JSON), and at most `maxChars` characters,
 * cut with a note saying how much there was. A result within the bound keeps its content as it is.
 */
export function boundToolResult(result: ToolResult, maxChars: number): ToolResult {
  const text = result.contentText();
  if (text.length <= maxChars) {
    // A plain test first: nearly every result has no surrogate at all, and the replace below is a
    // runtime call on every tool call.
    if (!anySurrogate.test(text)) return result;
    const wellFormed = text.replace(loneSurrogate, '\uFFFD');
    return wellFormed === text
      ? result
      : new ToolResult(wellFormed, result.isError, result.abortExecution, result.images);
  }
  // Never cut between the two halves of a surrogate pair (cut first: a 100 MB text is not scanned).
  const end = /[\uD800-\uDBFF]/.test(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
  const kept = text.slice(0, end).replace(loneSurrogate, '\uFFFD');
  const note = `\n\n[llmproc: this result has ${String(text.length)} characters; only the first ${String(end)} are shown (the [tools] max_result_chars limit)]`;
  return new ToolResult(kept + note, result.isError, result.abortExecution, result.images);
}
