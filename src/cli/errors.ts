/**
 * How the CLI reports a failure: one line, `<prefix>: <message>`, with no stack trace unless asked
 * for (`--debug` or a `DEBUG` environment variable), then the stack and every `cause`.
 */
import { errorMessage } from '../errors.js';

/** Whether an environment variable is set to something other than empty, `0` or `false`. */
export function isEnvFlagSet(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/** Whether an error is the cancellation of a run (Ctrl-C). */
export function isAbortError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'AbortError' || ('code' in error && error.code === 'ABORTED');
}

/** A config that failed validation: its message has one self-contained line per problem. */
function isIssueList(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'CONFIG_INVALID';
}

/**
 * A loader's message says what failed to load too ("Error loading TOML file a.toml: line 1, ...",
 * the original's wording, kept for library callers). Under the CLI's own "Error loading program
 * file" it would say it twice, so the message's lead-in is dropped and its file, line and problem
 * kept.
 */
function withoutRepeatedLeadIn(prefix: string, message: string): string {
  if (!prefix.startsWith('Error loading ')) return message;
  return message.replace(/^Error loading (?:TOML|YAML) file /, '');
}

/**
 * The report of an error: a single line, the first of its message (a TOML syntax error, for one,
 * goes on with a code frame). A config that fails validation lists every problem on that one line,
 * separated by "; ", each naming the file and the key. With `debug`, the whole message, the stack
 * and every cause.
 */
export function formatError(prefix: string, error: unknown, debug: boolean): string {
  const message = withoutRepeatedLeadIn(prefix, errorMessage(error));
  if (!debug) {
    const lines = message.split('\n').filter((line) => line.trim() !== '');
    const shown = isIssueList(error) ? lines : lines.slice(0, 1);
    return `${prefix}: ${shown.join('; ')}`;
  }
  const lines = [`${prefix}: ${message}`];
  let current: unknown = error;
  let depth = 0;
  while (current instanceof Error && depth < 10) {
    if (current.stack) lines.push(depth === 0 ? current.stack : `Caused by: ${current.stack}`);
    current = current.cause;
    depth++;
  }
  if (current !== undefined && depth > 0) lines.push(`Caused by: ${errorMessage(current)}`);
  return lines.join('\n');
}
