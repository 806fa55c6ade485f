import type { FileDescriptorConfig } from './config.js';

const descriptorInstructions = `<file_descriptor_instructions>
Tool outputs that are too long to show in full are stored in file descriptors. Instead of the output
you then receive an <fd_result fd="fd:N" pages="P" ...> element with the first page as a preview.

Read more with read_fd:
- read_fd(fd="fd:1", start=2) reads page 2; add count=3 to read pages 2-4.
- read_fd(fd="fd:1", mode="line", start=10, count=5) reads lines 10-14.
- read_fd(fd="fd:1", mode="char", start=0, count=500) reads the first 500 characters.
- read_fd(fd="fd:1", read_all=true) reads everything; use it only when the content is small enough.
- read_fd(..., extract_to_new_fd=true) stores the selection as a new descriptor instead of showing it.

Save content with fd_to_file:
- fd_to_file(fd="fd:1", file_path="out.txt") writes the whole content to a file.
- mode="append" adds to the file; exist_ok=false refuses to replace an existing file; create=false
  refuses to create a missing one.

In each page, truncated="true" means the page ends in the middle of a line and continued="true"
that it starts in the middle of one; lines="a-b" gives the line numbers it covers.
</file_descriptor_instructions>`;

const userInputInstructions = `<fd_user_input_instructions>
A very long user message is stored in a file descriptor too. You then see a short
<fd:fd:N preview="..." type="user_input" size="..."> reference in its place: read the content with
read_fd(fd="fd:N"), page by page, before answering.
</fd_user_input_instructions>`;

const referenceInstructions = `<reference_instructions>
You can mark part of your answer so that it can be reused exactly: wrap it in
<ref id="name">...</ref>, with a name that is unique in the conversation. After your answer, each
marked part is stored as file descriptor "ref:name", which read_fd and fd_to_file accept like any
other descriptor, for example fd_to_file(fd="ref:name", file_path="script.py"). Only the outermost
tag of nested refs is stored, and a later ref with the same name replaces the earlier one.
</reference_instructions>`;

/**
 * The system-prompt blocks describing the fd system, in the order the original added them: the
 * general block, then the user-input block when `page_user_input` is on, then the reference block
 * when `enable_references` is on. None when the system is off. The caller joins them (and the rest
 * of the enriched prompt) with blank lines.
 */
export function fileDescriptorInstructions(config: FileDescriptorConfig | undefined): string[] {
  if (!config?.enabled) return [];
  const blocks = [descriptorInstructions];
  if (config.pageUserInput) blocks.push(userInputInstructions);
  if (config.enableReferences) blocks.push(referenceInstructions);
  return blocks;
}
