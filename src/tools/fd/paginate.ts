/**
 * Line-aware paging of file-descriptor content. Page k covers characters [(k-1)*size, k*size);
 * the line numbers (1-based) and the `continued` / `truncated` flags say where the page starts and
 * ends relative to line breaks.
 */

/** The offsets where lines start. A trailing newline does not start an empty last line. */
export function indexLines(content: string): number[] {
  const starts = [0];
  for (
    let i = content.indexOf('\n');
    i !== -1 && i + 1 < content.length;
    i = content.indexOf('\n', i + 1)
  ) {
    starts.push(i + 1);
  }
  return starts;
}

/** How many line starts are at or before `offset` (when `inclusive`), else strictly before it. */
function countStarts(lines: readonly number[], offset: number, inclusive: boolean): number {
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const start = lines[mid] ?? 0;
    if (inclusive ? start <= offset : start < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Which lines a character range [start, end) touches, and whether it cuts a line at either end. */
export interface LineSpan {
  startLine: number;
  endLine: number;
  /** The range starts in the middle of a line. */
  continued: boolean;
  /** The range ends in the middle of a line. */
  truncated: boolean;
}

export function lineSpan(
  content: string,
  lines: readonly number[],
  start: number,
  end: number,
): LineSpan {
  const startLine = Math.max(1, countStarts(lines, start, true));
  const endLine = Math.max(1, countStarts(lines, end, false));
  const nextLineStart = lines[endLine] ?? content.length;
  return {
    startLine,
    endLine,
    // The original also required startLine > 1, so a page starting inside line 1 was not "continued".
    continued: start > 0 && start !== lines[startLine - 1],
    truncated: end < nextLineStart,
  };
}

/**
 * Number of pages. The original counted pages with a walk that restarted each page at a line start,
 * which undercounts when the last line is long: a one-line 10,000-character output had 1 page, its
 * preview said truncated, and page 2 was "invalid". Pages are read by character slicing, so the
 * count that makes every character readable is the ceiling (the walk never exceeds it).
 */
export function countPages(content: string, pageSize: number): number {
  return Math.max(1, Math.ceil(content.length / pageSize));
}

export interface Page extends LineSpan {
  text: string;
}

/** Page `page` (1-based) of the content. A page past the end is empty, on the last line. */
export function readPage(
  content: string,
  lines: readonly number[],
  pageSize: number,
  page: number,
): Page {
  const start = (page - 1) * pageSize;
  if (start >= content.length) {
    return {
      text: '',
      startLine: lines.length,
      endLine: lines.length,
      continued: false,
      truncated: false,
    };
  }
  const end = Math.min(start + pageSize, content.length);
  return { text: content.slice(start, end), ...lineSpan(content, lines, start, end) };
}
