import { formatFdContent, formatFdExtraction, type FdContentInfo } from './format.js';
import {
  FileDescriptorError,
  type FileDescriptorEntry,
  type FileDescriptorManager,
} from './manager.js';
import { lineSpan, readPage } from './paginate.js';

/** What read_fd asks for; the defaults are the tool's. */
export interface ReadRequest {
  fd: string;
  readAll?: boolean | undefined;
  extractToNewFd?: boolean | undefined;
  /** "page" (default), "line" or "char"; anything else is refused. */
  mode?: string | undefined;
  /** Page or line number (1-based), or character offset (0-based). Default 1. */
  start?: number | undefined;
  /** Pages, lines or characters to read. Default 1. */
  count?: number | undefined;
}

type Selection = Omit<FdContentInfo, 'fd'>;

function invalid(message: string): FileDescriptorError {
  return new FileDescriptorError('invalid_page', message);
}

function selectPages(
  entry: Readonly<FileDescriptorEntry>,
  start: number,
  count: number,
): Selection {
  const { content, lines, pageSize, totalPages, totalLines } = entry;
  if (start < 1 || start > totalPages)
    throw invalid(`Invalid page number. Valid range: 1-${String(totalPages)}`);
  const last = Math.min(start + count - 1, totalPages);
  const first = readPage(content, lines, pageSize, start);
  const final = last === start ? first : readPage(content, lines, pageSize, last);
  const text =
    last === start
      ? first.text
      : content.slice((start - 1) * pageSize, Math.min(last * pageSize, content.length));
  return {
    // A single page names itself; a range does not (start and count say which).
    ...(count === 1 ? { page: start } : {}),
    pages: totalPages,
    continued: first.continued,
    truncated: final.truncated,
    startLine: first.startLine,
    endLine: final.endLine,
    totalLines,
    mode: 'page',
    start,
    count,
    content: text,
  };
}

function selectLines(
  entry: Readonly<FileDescriptorEntry>,
  start: number,
  count: number,
): Selection {
  const { content, lines, totalLines, totalPages } = entry;
  if (start < 1 || start > totalLines)
    throw invalid(`Invalid line start position. Valid range: 1-${String(totalLines)}`);
  const endLine = Math.min(start + count - 1, totalLines);
  const from = lines[start - 1] ?? 0;
  const to = lines[endLine] ?? content.length;
  return {
    pages: totalPages,
    continued: false,
    truncated: false,
    startLine: start,
    endLine,
    totalLines,
    mode: 'line',
    start,
    count: endLine - start + 1,
    content: content.slice(from, to),
  };
}

function selectChars(
  entry: Readonly<FileDescriptorEntry>,
  start: number,
  count: number,
): Selection {
  const { content, lines, totalLines, totalPages } = entry;
  if (start < 0 || start >= content.length) {
    throw invalid(`Invalid character start position. Valid range: 0-${String(content.length - 1)}`);
  }
  const end = Math.min(start + count, content.length);
  const span = lineSpan(content, lines, start, end);
  return {
    pages: totalPages,
    // As in the original, char mode does not report cut lines.
    continued: false,
    truncated: false,
    startLine: span.startLine,
    endLine: span.endLine,
    totalLines,
    mode: 'char',
    start,
    count: end - start,
    content: content.slice(start, end),
  };
}

/**
 * Carry out a read_fd request and return the model's answer: `<fd_content>` with the selected text,
 * or `<fd_extraction>` when the selection went to a new descriptor. Throws
 * {@link FileDescriptorError} (not_found, invalid_page) for a request that cannot be met.
 */
export function readDescriptor(manager: FileDescriptorManager, request: ReadRequest): string {
  const {
    fd,
    readAll = false,
    extractToNewFd = false,
    mode = 'page',
    start = 1,
    count = 1,
  } = request;
  const entry = manager.require(fd);
  if (mode !== 'page' && mode !== 'line' && mode !== 'char') {
    throw invalid(`Invalid mode: ${mode}. Valid options are 'page', 'line', or 'char'.`);
  }
  if (!Number.isInteger(start))
    throw invalid(`Invalid start position: ${String(start)}. It must be an integer.`);
  // The original accepted any count; zero or less selected nothing or, through Python's negative
  // indexing, the wrong text.
  if (!Number.isInteger(count) || count < 1) {
    throw invalid(`Invalid count: ${String(count)}. It must be a positive integer.`);
  }
  let selection: Selection;
  if (readAll) {
    selection = {
      page: 'all',
      pages: entry.totalPages,
      continued: false,
      truncated: false,
      startLine: 1,
      endLine: entry.totalLines,
      totalLines: entry.totalLines,
      mode: 'all',
      content: entry.content,
    };
  } else if (mode === 'page') {
    selection = selectPages(entry, start, count);
  } else if (mode === 'line') {
    selection = selectLines(entry, start, count);
  } else {
    selection = selectChars(entry, start, count);
  }
  // An empty selection is shown rather than stored, as in the original.
  if (extractToNewFd && selection.content !== '') {
    const { id } = manager.create(selection.content);
    return formatFdExtraction({
      sourceFd: fd,
      newFd: id,
      mode,
      contentSize: selection.content.length,
      ...(readAll ? {} : { start, count }),
    });
  }
  return formatFdContent({ fd, ...selection });
}
