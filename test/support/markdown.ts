/** The fenced code blocks of Markdown files (docs/*.md, README.md), for the tests that run them. */

/** A fenced code block of a Markdown file. */
export interface MarkdownBlock {
  doc: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  flags: string[];
  code: string;
  /** The ```text output block that follows a runnable block, if any. */
  expectedOutput?: string;
}

/** The fenced code blocks of a Markdown file, in order. */
export function extractBlocks(doc: string, markdown: string): MarkdownBlock[] {
  const blocks: MarkdownBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*(.*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i] ?? ''); i++) body.push(lines[i] ?? '');
    blocks.push({
      doc,
      line: start + 1,
      lang: open[1] ?? '',
      flags: (open[2] ?? '').split(/\s+/).filter((flag) => flag !== ''),
      code: `${body.join('\n')}\n`,
    });
  }
  // Attach each ```text output block to the runnable block just before it.
  const result: MarkdownBlock[] = [];
  for (const block of blocks) {
    const previous = result.at(-1);
    if (
      block.lang === 'text' &&
      block.flags.includes('output') &&
      previous?.flags.includes('run')
    ) {
      previous.expectedOutput = block.code;
      continue;
    }
    result.push(block);
  }
  return result;
}
