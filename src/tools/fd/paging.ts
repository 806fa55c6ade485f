import { getLogger } from '../../internal/logger.js';
import { ToolResult } from '../tool-result.js';
import type { FileDescriptorManager } from './manager.js';

/**
 * The fd tools' own output is never paged: paging a read_fd page into a new descriptor would send
 * the model round in circles.
 */
const fdToolNames: ReadonlySet<string> = new Set(['read_fd', 'fd_to_file']);

/**
 * What the loop sends the model for a tool's result. A successful text result longer than
 * `max_direct_output_chars` is stored in a new descriptor and replaced by an `<fd_result>` with its
 * first page; anything else (errors, short texts, non-text content, read_fd / fd_to_file output)
 * is returned unchanged. `toolName` is the tool's real name, not an alias.
 *
 * @example
 * ```ts
 * const result = await tool.execute(args, context);
 * const shown = manager ? maybePageToolOutput(manager, tool.name, result) : result;
 * ```
 */
export function maybePageToolOutput(
  manager: FileDescriptorManager,
  toolName: string,
  result: ToolResult,
): ToolResult {
  const { content } = result;
  if (result.isError || fdToolNames.has(toolName) || typeof content !== 'string') return result;
  if (content.length <= manager.settings.maxDirectOutputChars) return result;
  const { xml } = manager.create(content, 'tool_result');
  return new ToolResult(xml, false, result.abortExecution, result.images);
}

/**
 * The user message to store for `text`. With `page_user_input` on, input longer than
 * `max_input_chars` is stored in a descriptor and the message becomes a short reference to it, with
 * a preview of its first `max_input_chars / 20` characters. Otherwise the text is returned as is.
 */
export function maybePageUserInput(manager: FileDescriptorManager, text: string): string {
  const { pageUserInput, maxInputChars } = manager.settings;
  if (!pageUserInput || text.length <= maxInputChars) return text;
  const { id } = manager.create(text, 'user_input');
  const previewChars = Math.floor(maxInputChars / 20);
  const preview = text.slice(0, previewChars).trim() + (text.length > previewChars ? '...' : '');
  // "<fd:fd:N": the doubled prefix is the original's tag format, kept as models were prompted with it.
  return (
    `<fd:${id} preview="${preview}" type="user_input" size="${String(text.length)}">\n` +
    `This large user input has been stored in file descriptor ${id}. Use read_fd(fd="${id}") to access the content.`
  );
}

/** A reference stored by {@link extractReferences}. */
export interface StoredReference {
  /** The name given in `<ref id="...">`. */
  id: string;
  /** Its descriptor id, "ref:<name>". */
  fd: string;
  length: number;
}

const refTag = /<ref\s+id="([^"]+)"[^>]*>|<\/ref>/g;

/**
 * Store each outermost `<ref id="name">...</ref>` span of an assistant message as descriptor
 * "ref:name" (a later span of the same name replaces an earlier one), when references are enabled.
 * Nested refs belong to their outer span's content and are not stored on their own.
 *
 * Tags are matched as balanced pairs. The original used one non-greedy regex, so in
 * `<ref id="a">x <ref id="b">y</ref> z</ref>` it stored "x <ref id=\"b\">y" as a, cut at the
 * inner closing tag; here a gets the whole span.
 */
export function extractReferences(manager: FileDescriptorManager, text: string): StoredReference[] {
  if (!manager.settings.enableReferences) return [];
  const found = new Map<string, string>();
  const open: { id: string; contentStart: number }[] = [];
  for (const match of text.matchAll(refTag)) {
    const [tag, id] = match;
    if (id !== undefined) {
      open.push({ id, contentStart: match.index + tag.length });
      continue;
    }
    const opened = open.pop();
    // An unmatched closing tag is text, as it was for the original's regex.
    if (opened && open.length === 0)
      found.set(opened.id, text.slice(opened.contentStart, match.index));
  }
  const stored: StoredReference[] = [];
  for (const [id, content] of found) {
    if (manager.get(`ref:${id}`))
      getLogger().warn(`Overwriting existing reference '${id}' with new content`);
    stored.push({ id, fd: manager.storeReference(id, content), length: content.length });
  }
  return stored;
}
