/**
 * Keeps diagnostics readable whatever the input: a config with a million unknown keys, a line of a
 * megabyte, the same warning a thousand times.
 */

/** How many problems or warnings a message lists before "and N more". */
export const maxListed = 20;

/** The longest line of a file (or key, or value) a message quotes. */
export const maxQuotedChars = 200;

/** `text` cut to `max` characters, ending in an ellipsis when cut. */
export function cutText(text: string, max = maxQuotedChars): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Each line of `text` cut to `max` characters. */
export function cutLines(text: string, max = maxQuotedChars): string {
  return text
    .split('\n')
    .map((line) => cutText(line, max))
    .join('\n');
}

/**
 * The first `maxListed` of `total` lines, then one line saying how many more there are (`noun`
 * names them: "problems", "unknown parameters").
 */
export function listAtMost(lines: readonly string[], total: number, noun: string): string[] {
  const shown = lines.slice(0, maxListed);
  const more = total - shown.length;
  return more > 0 ? [...shown, `... and ${String(more)} more ${noun}`] : shown;
}
