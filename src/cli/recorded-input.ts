/**
 * A run's recorded input (the `content` of a trace's `input` line) as `run()` takes it again: a
 * string as it is; the blocks of a multi-part input as content parts: text, and images and
 * documents from the base64 (or URL) sources the conversation held, so a replay sends the same
 * bytes with no file to read.
 */
import type { ContentPart, RunInput, Trace } from '../index.js';
import { LlmprocError } from '../errors.js';
import { isRecord } from '../internal/is-record.js';

type RecordedContent = Trace['inputs'][number]['content'];

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

/** One recorded block as a part; undefined for a block that is not one `run()` takes. */
function partOf(block: unknown): ContentPart | undefined {
  if (!isRecord(block)) return undefined;
  const type = block['type'];
  const text = stringField(block, 'text');
  if (type === 'text') return text === undefined ? undefined : { type: 'text', text };
  if ((type !== 'image' && type !== 'document') || !isRecord(block['source'])) return undefined;
  const source = block['source'];
  const mimeType = stringField(source, 'media_type');
  const data = stringField(source, 'data');
  const url = stringField(source, 'url');
  const media =
    source['type'] === 'base64' && data !== undefined
      ? { data }
      : source['type'] === 'url' && url !== undefined
        ? { url }
        : undefined;
  if (!media) return undefined;
  const typed = mimeType === undefined ? {} : { mimeType };
  if (type === 'image') return { type, ...media, ...typed };
  const title = stringField(block, 'title');
  return { type, ...media, ...typed, ...(title === undefined ? {} : { filename: title }) };
}

/**
 * The input of recorded run `index` (from 0) of `file` as `run()` takes it; a block of another kind
 * fails naming the run and the block.
 */
export function runInputOf(content: RecordedContent, file: string, index: number): RunInput {
  if (typeof content === 'string') return content;
  const run = `${file}: run ${String(index + 1)}'s input`;
  if (!Array.isArray(content)) {
    throw new LlmprocError('TRACE_INVALID', `${run} is neither text nor a list of blocks`, {
      details: { file, run: index + 1 },
    });
  }
  return content.map((block, at) => {
    const part = partOf(block);
    if (part) return part;
    throw new LlmprocError(
      'TRACE_INVALID',
      `${run}: block ${String(at)} is not a text, image or document block with a base64 or url source`,
      { details: { file, run: index + 1, block: at } },
    );
  });
}
