/**
 * The XML-like texts the model sees from the file-descriptor system, exactly as the original wrote
 * them: attribute order, two-space indents and lower-case booleans included. Content is not
 * escaped, as in the original; the model reads these as markup-flavoured text, not as XML.
 */

type AttributeValue = string | number | boolean;

function attributes(pairs: readonly (readonly [string, AttributeValue | undefined])[]): string {
  return pairs
    .filter((pair): pair is readonly [string, AttributeValue] => pair[1] !== undefined)
    .map(([name, value]) => `${name}="${String(value)}"`)
    .join(' ');
}

/** What replaces a paged tool output: where the content went, and its first page. */
export interface FdResultInfo {
  fd: string;
  pages: number;
  truncated: boolean;
  endLine: number;
  totalLines: number;
  source: string;
  maxDirectOutputChars: number;
  preview: string;
}

export function formatFdResult(info: FdResultInfo): string {
  const attrs = attributes([
    ['fd', info.fd],
    ['pages', info.pages],
    ['truncated', info.truncated],
    ['lines', `1-${String(info.endLine)}`],
    ['total_lines', info.totalLines],
    ['source', info.source],
  ]);
  return [
    `<fd_result ${attrs}>`,
    `  <message>Output exceeds ${String(info.maxDirectOutputChars)} characters. Use read_fd to read more pages.</message>`,
    '  <preview>',
    `  ${info.preview}`,
    '  </preview>',
    '</fd_result>',
  ].join('\n');
}

/** A read_fd answer. `page` is set for single-page reads ("all" for read_all), else omitted. */
export interface FdContentInfo {
  fd: string;
  page?: number | 'all';
  pages: number;
  continued: boolean;
  truncated: boolean;
  startLine: number;
  endLine: number;
  totalLines: number;
  mode: 'page' | 'line' | 'char' | 'all';
  start?: number;
  count?: number;
  content: string;
}

export function formatFdContent(info: FdContentInfo): string {
  const attrs = attributes([
    ['fd', info.fd],
    ['page', info.page],
    ['pages', info.pages],
    ['continued', info.continued],
    ['truncated', info.truncated],
    ['lines', `${String(info.startLine)}-${String(info.endLine)}`],
    ['total_lines', info.totalLines],
    ['mode', info.mode],
    ['start', info.start],
    ['count', info.count],
  ]);
  return `<fd_content ${attrs}>\n${info.content}\n</fd_content>`;
}

/** The answer of read_fd with extract_to_new_fd. `start`/`count` are omitted for read_all. */
export interface FdExtractionInfo {
  sourceFd: string;
  newFd: string;
  mode: string;
  contentSize: number;
  start?: number;
  count?: number;
}

export function formatFdExtraction(info: FdExtractionInfo): string {
  const positioned = info.start !== undefined;
  const attrs = attributes([
    ['source_fd', info.sourceFd],
    ['new_fd', info.newFd],
    ['mode', info.mode],
    ['content_size', info.contentSize],
    ['position', positioned ? undefined : 'all'],
    ['start', info.start],
    ['count', info.count],
    // The original kept a `page` attribute for page mode, for older readers of this format.
    ['page', info.mode === 'page' ? info.start : undefined],
  ]);
  return `<fd_extraction ${attrs}>\n  <message>Content from ${info.sourceFd} has been extracted to ${info.newFd}</message>\n</fd_extraction>`;
}

export interface FdFileResultInfo {
  fd: string;
  filePath: string;
  mode: 'write' | 'append';
  charCount: number;
  sizeBytes: number;
  create: boolean;
  existOk: boolean;
}

export function formatFdFileResult(info: FdFileResultInfo): string {
  const attrs = attributes([
    ['fd', info.fd],
    ['file_path', info.filePath],
    ['mode', info.mode],
    ['char_count', info.charCount],
    ['size_bytes', info.sizeBytes],
    ['success', true],
    ['create', info.create],
    ['exist_ok', info.existOk],
  ]);
  const verb = info.mode === 'write' ? 'written' : 'appended';
  const message = `File descriptor ${info.fd} content (${String(info.charCount)} chars) successfully ${verb} to ${info.filePath}`;
  return `<fd_file_result ${attrs}>\n  <message>${message}</message>\n</fd_file_result>`;
}

/** The kinds of fd failure the model can see. */
export type FdErrorType =
  'not_found' | 'invalid_page' | 'invalid_parameter' | 'read_error' | 'write_error';

export function formatFdError(type: FdErrorType, fd: string, message: string): string {
  return `<fd_error type="${type}" fd="${fd}">\n  <message>${message}</message>\n</fd_error>`;
}
