/**
 * `run()` input as content parts: text, images and documents, turned into the conversation's plain
 * blocks when `run()` is called. Files are read then (not when a request is sent), so the state holds
 * the bytes and a fork, a saved state or a trace has them; each part is checked against what the
 * process's provider takes before any API call, and a bad one fails the run with INPUT_INVALID,
 * naming the part and the limit.
 */
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { LlmprocError, errorMessage } from '../errors.js';
import {
  base64ByteLength,
  conversationMedia,
  formatBytes,
  sourceBytes,
  type MediaSupport,
} from '../conversation/media.js';
import type {
  DocumentBlock,
  ImageBlock,
  MediaSource,
  Message,
  UserBlock,
} from '../conversation/messages.js';
import { fileKind } from '../tools/file-access.js';
import {
  mediaTypeFromUrl,
  normalizeMediaType,
  sniffBytes,
  sniffMediaType,
} from '../internal/media-type.js';
import { isRecord } from '../internal/is-record.js';

/** Text in a multi-part input. */
export interface TextPart {
  type: 'text';
  text: string;
}

/**
 * Where an image's or document's bytes come from: exactly one of a file `path` (read when `run()` is
 * called), `data` (bytes, or a base64 string), or a `url` (a `data:` URL, or an https URL that the
 * provider fetches itself, where it can).
 */
export type MediaInput =
  | { path: string; data?: never; url?: never }
  | { data: Uint8Array | string; path?: never; url?: never }
  | { url: string; path?: never; data?: never };

/**
 * An image (PNG, JPEG, GIF, WebP). `mimeType` is sniffed from the bytes when absent; for an https
 * URL it comes from the URL's extension when absent.
 */
export type ImagePart = { type: 'image'; mimeType?: string } & MediaInput;

/**
 * A document (PDF). `filename` is the name the model is told (and OpenAI requires); by default the
 * path's base name, else `document.pdf`.
 */
export type DocumentPart = { type: 'document'; mimeType?: string; filename?: string } & MediaInput;

/** One part of a multi-part `run()` input. */
export type ContentPart = TextPart | ImagePart | DocumentPart;

/** What `run()` takes: a string, or parts in the order the model should read them. */
export type RunInput = string | readonly ContentPart[];

type MediaKind = 'image' | 'document';

/** How a part is named in errors: `parts[2] (image from "shots/a.png")`. */
function partName(index: number, kind: string, origin: string | undefined): string {
  return `parts[${String(index)}] (${kind}${origin === undefined ? '' : ` from ${origin}`})`;
}

/** A checked media part before its bytes are read. */
interface MediaRequest {
  index: number;
  kind: MediaKind;
  mimeType: string | undefined;
  filename: string | undefined;
  from: { path: string } | { data: Uint8Array | string } | { url: string };
}

/** What is wrong with one part; turned into the INPUT_INVALID error that names the part. */
class PartProblem extends Error {
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

function fail(message: string, details: Record<string, unknown> = {}): never {
  throw new PartProblem(message, details);
}

/** The shape checks a JavaScript caller can get wrong: one part, before anything is read. */
function checkPart(
  part: unknown,
  index: number,
): { type: 'text'; text: string } | { type: 'media'; request: MediaRequest } {
  if (!isRecord(part)) fail('is not an object; expected { type: "text" | "image" | "document" }');
  const { type } = part;
  if (type === 'text') {
    if (typeof part['text'] !== 'string') fail('has no text string');
    return { type: 'text', text: part['text'] };
  }
  if (type !== 'image' && type !== 'document')
    fail(`has type ${JSON.stringify(type)}; expected "text", "image" or "document"`);
  const sources = (['path', 'data', 'url'] as const).filter((key) => part[key] !== undefined);
  if (sources.length !== 1)
    fail(
      sources.length === 0
        ? 'gives none of path, data or url; give exactly one'
        : `gives ${sources.join(' and ')}; give exactly one of path, data or url`,
    );
  const { mimeType, filename } = part;
  if (mimeType !== undefined && typeof mimeType !== 'string') fail('mimeType is not a string');
  if (filename !== undefined && (type !== 'document' || typeof filename !== 'string'))
    fail('filename must be a string, on a document part');
  const pathValue = part['path'];
  const data = part['data'];
  const url = part['url'];
  let from: MediaRequest['from'];
  if (pathValue !== undefined) {
    if (typeof pathValue !== 'string' || pathValue === '') fail('path is not a non-empty string');
    from = { path: pathValue };
  } else if (data !== undefined) {
    if (typeof data !== 'string' && !(data instanceof Uint8Array))
      fail('data is neither a Uint8Array nor a base64 string');
    from = { data };
  } else {
    if (typeof url !== 'string') fail('url is not a string');
    from = { url };
  }
  return {
    type: 'media',
    request: {
      index,
      kind: type,
      mimeType: mimeType === undefined ? undefined : normalizeMediaType(mimeType),
      filename,
      from,
    },
  };
}

/** Base64 as the APIs want it: standard alphabet, no whitespace (URL-safe input is converted). */
function standardBase64(text: string): string {
  const compact = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) fail('data is not valid base64');
  const unpadded = compact.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) fail('data is not valid base64 (truncated)');
  return unpadded.padEnd(Math.ceil(unpadded.length / 4) * 4, '=');
}

/** A `data:` URL's media type and payload as base64. */
function parseDataUrl(url: string): { mediaType: string | undefined; base64: string } {
  const match = /^data:([^,]*),(.*)$/s.exec(url);
  if (!match) fail('is a data: URL without a comma before its payload');
  const meta = (match[1] ?? '').split(';');
  const isBase64 = meta.at(-1)?.toLowerCase() === 'base64';
  const mediaType = meta[0] === '' || meta[0] === undefined ? undefined : meta[0];
  const payload = match[2] ?? '';
  let base64: string;
  if (isBase64) base64 = standardBase64(payload);
  else {
    try {
      base64 = Buffer.from(decodeURIComponent(payload), 'latin1').toString('base64');
    } catch {
      fail('is a data: URL whose payload is not valid percent-encoding');
    }
  }
  return { mediaType: mediaType === undefined ? undefined : normalizeMediaType(mediaType), base64 };
}

/** The limit that applies to a kind, in bytes, with its wording for errors. */
function limitOf(kind: MediaKind, support: MediaSupport): { bytes: number; text: string } {
  if (kind === 'image') {
    const note = support.imageLimitNote === undefined ? '' : ` (${support.imageLimitNote})`;
    return {
      bytes: support.maxImageBytes,
      text: `${String(support.maxImageBytes)} bytes${note}`,
    };
  }
  return { bytes: support.maxDocumentBytes, text: `${String(support.maxDocumentBytes)} bytes` };
}

function checkSize(kind: MediaKind, bytes: number, support: MediaSupport): void {
  const limit = limitOf(kind, support);
  if (bytes > limit.bytes)
    fail(
      `is ${String(bytes)} bytes (${formatBytes(bytes)}); ${support.label} takes ${kind}s of at most ${limit.text}`,
      { bytes, limitBytes: limit.bytes },
    );
}

/** The part's media type: given, else sniffed; a given type the bytes contradict is an error. */
function settleType(request: MediaRequest, head: Uint8Array, declared?: string): string {
  const sniffed = sniffMediaType(head);
  const given = request.mimeType ?? declared;
  if (given !== undefined && sniffed !== undefined && given !== sniffed)
    fail(`says ${given} but its bytes are ${sniffed}`);
  const type = given ?? sniffed;
  if (type === undefined)
    fail(
      'has bytes of no known type (PNG, JPEG, GIF, WebP or PDF); give mimeType if the provider takes it',
    );
  return type;
}

function checkType(kind: MediaKind, type: string, support: MediaSupport): void {
  const isImage = type.startsWith('image/');
  if (kind === 'image' && !isImage)
    fail(`is ${type}, not an image${type === 'application/pdf' ? '; send it as a document' : ''}`);
  if (kind === 'document' && isImage) fail(`is ${type}; send it as an image part`);
  const accepted = kind === 'image' ? support.imageTypes : support.documentTypes;
  if (!accepted.includes(type))
    fail(`is ${type}; ${support.label} takes ${kind}s of type ${accepted.join(', ')}`, {
      mimeType: type,
    });
}

/** Read a part's file: a regular file only, its size checked before a byte is read. */
async function readPartFile(
  request: MediaRequest,
  file: string,
  support: MediaSupport,
  signal: AbortSignal | undefined,
): Promise<Buffer> {
  const target = path.resolve(file);
  let handle;
  try {
    // Some kinds cannot even be opened (a socket); say what they are rather than how open failed.
    const kind = await stat(target);
    if (!kind.isFile()) fail(`is ${fileKind(kind)}; parts are read from regular files only`);
    // O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer; a regular file ignores it.
    handle = await open(target, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if (error instanceof PartProblem) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    fail(
      code === 'ENOENT' ? `names no file (${target})` : `cannot be read: ${errorMessage(error)}`,
    );
  }
  try {
    // Checked on the open file, so the path cannot be swapped between the check and the read.
    const info = await handle.stat();
    if (!info.isFile()) fail(`is ${fileKind(info)}; parts are read from regular files only`);
    checkSize(request.kind, info.size, support);
    const bytes = await handle.readFile(signal ? { signal } : {});
    // A file that grew between the stat and the read is checked again.
    checkSize(request.kind, bytes.length, support);
    return bytes;
  } catch (error) {
    if (error instanceof PartProblem || signal?.aborted === true) throw error;
    fail(`cannot be read: ${errorMessage(error)}`);
  } finally {
    await handle.close();
  }
}

function fileNameOf(request: MediaRequest): string | undefined {
  if (request.filename !== undefined) return request.filename;
  return 'path' in request.from ? path.basename(request.from.path) : undefined;
}

function toBlock(request: MediaRequest, source: MediaSource): ImageBlock | DocumentBlock {
  if (request.kind === 'image') return { type: 'image', source };
  const title = fileNameOf(request);
  return title === undefined ? { type: 'document', source } : { type: 'document', source, title };
}

/** An https URL the provider fetches: allowed only where it does, typed from mimeType or extension. */
function urlSource(request: MediaRequest, url: string, support: MediaSupport): MediaSource {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    fail('url is not a valid URL');
  }
  if (parsed.protocol !== 'https:')
    fail(`url is ${parsed.protocol} URL; give an https: or data: URL, a path or data`);
  const allowed = request.kind === 'image' ? support.imageUrls : support.documentUrls;
  if (!allowed)
    fail(
      `is an https URL, which ${support.label} cannot take for ${request.kind}s and llmproc does not download; give a path or data instead`,
    );
  const type = request.mimeType ?? mediaTypeFromUrl(parsed);
  if (type === undefined) fail('url has no known file extension; give mimeType');
  checkType(request.kind, type, support);
  return { type: 'url', url, media_type: type };
}

async function resolveMedia(
  request: MediaRequest,
  support: MediaSupport,
  signal: AbortSignal | undefined,
): Promise<ImageBlock | DocumentBlock> {
  const { from } = request;
  let base64: string;
  let head: Uint8Array;
  let declared: string | undefined;
  if ('path' in from) {
    const bytes = await readPartFile(request, from.path, support, signal);
    base64 = bytes.toString('base64');
    head = bytes.subarray(0, sniffBytes);
  } else if ('data' in from && from.data instanceof Uint8Array) {
    const bytes = from.data;
    checkSize(request.kind, bytes.length, support);
    base64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
    head = bytes.subarray(0, sniffBytes);
  } else {
    const text = 'url' in from ? from.url : from.data;
    if (typeof text !== 'string') fail('data is neither a Uint8Array nor a base64 string');
    if ('url' in from && !text.startsWith('data:'))
      return toBlock(request, urlSource(request, text, support));
    // A data: URL is accepted in `data` too: it is what many tools hand out as "image data".
    const parsed = text.startsWith('data:')
      ? parseDataUrl(text)
      : { mediaType: undefined, base64: standardBase64(text) };
    base64 = parsed.base64;
    declared = parsed.mediaType;
    checkSize(request.kind, base64ByteLength(base64), support);
    head = Buffer.from(base64.slice(0, 24), 'base64');
  }
  if (base64 === '') fail('is empty');
  const type = settleType(request, head, declared);
  checkType(request.kind, type, support);
  return toBlock(request, { type: 'base64', media_type: type, data: base64 });
}

function originOf(part: unknown): string | undefined {
  if (!isRecord(part)) return undefined;
  if (typeof part['path'] === 'string') return JSON.stringify(part['path']);
  if (typeof part['url'] === 'string')
    return part['url'].startsWith('data:') ? 'a data: URL' : JSON.stringify(part['url']);
  if (part['data'] !== undefined) return 'data';
  return undefined;
}

function inputError(part: unknown, index: number, problem: PartProblem): LlmprocError {
  const kind = isRecord(part) && typeof part['type'] === 'string' ? part['type'] : 'part';
  const origin = originOf(part);
  return new LlmprocError(
    'INPUT_INVALID',
    `run(): ${partName(index, kind, origin)} ${problem.message}`,
    {
      details: {
        index,
        kind,
        ...(isRecord(part) && typeof part['path'] === 'string' ? { path: part['path'] } : {}),
        ...problem.details,
      },
    },
  );
}

/**
 * Turn `run()` parts into the user blocks of one message, in order: files read, data decoded, types
 * sniffed, every part checked against `support`. Blank text parts are left out. Rejects with
 * INPUT_INVALID naming the first bad part (index, kind, path) and the limit it breaks; with
 * EMPTY_INPUT when nothing is left to send.
 */
export async function resolveInputParts(
  parts: readonly unknown[],
  support: MediaSupport,
  signal?: AbortSignal,
): Promise<UserBlock[]> {
  const blocks: UserBlock[] = [];
  for (const [index, part] of parts.entries()) {
    signal?.throwIfAborted();
    try {
      const checked = checkPart(part, index);
      if (checked.type === 'text') {
        if (checked.text.trim() !== '') blocks.push({ type: 'text', text: checked.text });
      } else blocks.push(await resolveMedia(checked.request, support, signal));
    } catch (error) {
      if (error instanceof PartProblem) throw inputError(part, index, error);
      throw error;
    }
  }
  if (blocks.length === 0)
    throw new LlmprocError('EMPTY_INPUT', 'User input cannot be empty (every part is blank)');
  return blocks;
}

/**
 * Check that a request with `added` on top of `conversation` stays within the provider's limit on
 * media per request: every request resends the whole conversation, so parts from earlier runs count.
 */
export function checkRequestMedia(
  conversation: readonly Message[],
  added: readonly UserBlock[],
  support: MediaSupport,
): void {
  const before = conversationMedia(conversation).reduce((sum, b) => sum + sourceBytes(b.source), 0);
  const adding = conversationMedia([{ role: 'user', content: [...added] }]).reduce(
    (sum, b) => sum + sourceBytes(b.source),
    0,
  );
  if (adding === 0 || before + adding <= support.maxRequestBytes) return;
  throw new LlmprocError(
    'INPUT_INVALID',
    `run(): the input's images and documents (${formatBytes(adding)}) with those already in the conversation (${formatBytes(before)}) come to ${String(before + adding)} bytes; ${support.label} takes at most ${String(support.maxRequestBytes)} bytes of them per request`,
    { details: { bytes: before + adding, limitBytes: support.maxRequestBytes } },
  );
}
