import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LlmprocError } from '../errors.js';
import type { MediaSupport } from '../conversation/media.js';
import { anthropicMedia } from '../providers/anthropic/media.js';
import { openAiChatMedia } from '../providers/openai/media.js';
import { geminiMedia } from '../providers/gemini/media.js';
import { sniffMediaType } from '../internal/media-type.js';
import { checkRequestMedia, resolveInputParts } from './input-parts.js';

const partsDir = path.resolve(import.meta.dirname, '../../test/fixtures/parts');
const potatoPath = path.join(partsDir, 'potato.jpg');
const pdfPath = path.join(partsDir, 'dummy.pdf');
const potato = readFileSync(potatoPath);
const pdf = readFileSync(pdfPath);
const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const gif = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]);

const scratch = mkdtempSync(path.join(tmpdir(), 'llmproc-parts-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

async function inputError(
  parts: readonly unknown[],
  support: MediaSupport = anthropicMedia,
): Promise<LlmprocError> {
  const error = await resolveInputParts(parts, support).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LlmprocError);
  return error as LlmprocError;
}

describe('sniffMediaType', () => {
  it('tells PNG, JPEG, GIF, WebP and PDF from their first bytes', () => {
    expect(sniffMediaType(png)).toBe('image/png');
    expect(sniffMediaType(potato)).toBe('image/jpeg');
    expect(sniffMediaType(gif)).toBe('image/gif');
    expect(sniffMediaType(webp)).toBe('image/webp');
    expect(sniffMediaType(pdf)).toBe('application/pdf');
    expect(sniffMediaType(Buffer.from('hello world'))).toBeUndefined();
  });
});

describe('resolveInputParts', () => {
  it('reads a path when called, sniffs its type and keeps the bytes as base64', async () => {
    const blocks = await resolveInputParts(
      [
        { type: 'text', text: 'What is this?' },
        { type: 'image', path: potatoPath },
        { type: 'document', path: pdfPath },
      ],
      anthropicMedia,
    );
    expect(blocks).toEqual([
      { type: 'text', text: 'What is this?' },
      {
        type: 'image',
        source: { type: 'base64', media_type: 'image/jpeg', data: potato.toString('base64') },
      },
      {
        type: 'document',
        source: { type: 'base64', media_type: 'application/pdf', data: pdf.toString('base64') },
        title: 'dummy.pdf',
      },
    ]);
  });

  it('takes bytes, base64 text (URL-safe too) and data: URLs alike', async () => {
    const expected = { type: 'base64', media_type: 'image/png', data: png.toString('base64') };
    const sources = [
      { data: new Uint8Array(png) },
      { data: png.toString('base64') },
      { data: png.toString('base64url') },
      { url: `data:image/png;base64,${png.toString('base64')}` },
      { data: `data:image/png;base64,${png.toString('base64')}` },
    ];
    for (const source of sources) {
      const [block] = await resolveInputParts([{ type: 'image', ...source }], anthropicMedia);
      expect(block).toEqual({ type: 'image', source: expected });
    }
  });

  it('keeps an https URL for the provider to fetch, typed from its extension', async () => {
    const blocks = await resolveInputParts(
      [{ type: 'document', url: 'https://example.com/files/report.PDF?v=2' }],
      anthropicMedia,
    );
    expect(blocks).toEqual([
      {
        type: 'document',
        source: {
          type: 'url',
          url: 'https://example.com/files/report.PDF?v=2',
          media_type: 'application/pdf',
        },
      },
    ]);
  });

  it('leaves blank text parts out and refuses an input with nothing else as EMPTY_INPUT', async () => {
    const blocks = await resolveInputParts(
      [
        { type: 'text', text: '  ' },
        { type: 'image', data: png },
      ],
      anthropicMedia,
    );
    expect(blocks.map((b) => b.type)).toEqual(['image']);
    const error = await inputError([{ type: 'text', text: ' ' }]);
    expect(error.code).toBe('EMPTY_INPUT');
    expect((await inputError([])).code).toBe('EMPTY_INPUT');
  });

  it('names the part, its path and the limit when an image is over the provider limit', async () => {
    const big = path.join(scratch, 'big.png');
    writeFileSync(big, Buffer.concat([png, Buffer.alloc(4 * 1024 * 1024)]));
    const error = await inputError([
      { type: 'text', text: 'look' },
      { type: 'image', path: big },
    ]);
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.message).toBe(
      `run(): parts[1] (image from ${JSON.stringify(big)}) is 4194320 bytes (4.0 MB); anthropic takes images of at most 3932160 bytes (5 MB once base64-encoded)`,
    );
    expect(error.details).toEqual({
      index: 1,
      kind: 'image',
      path: big,
      bytes: 4194320,
      limitBytes: 3932160,
    });
  });

  it('checks the size of bytes and base64 data before sniffing them', async () => {
    const bytes = Buffer.concat([png, Buffer.alloc(21 * 1000 * 1000)]);
    const error = await inputError(
      [{ type: 'image', data: bytes.toString('base64') }],
      openAiChatMedia,
    );
    expect(error.message).toMatch(
      /^run\(\): parts\[0\] \(image from data\) is 21000016 bytes .*; openai \(Chat Completions\) takes images of at most 20000000 bytes$/,
    );
  });

  it('refuses bytes of no known type without a mimeType', async () => {
    const error = await inputError([{ type: 'image', data: Buffer.from('just some text') }]);
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.message).toContain('parts[0] (image from data) has bytes of no known type');
  });

  it('refuses a mimeType the bytes contradict, and a kind the bytes are not', async () => {
    const mismatch = await inputError([{ type: 'image', data: potato, mimeType: 'image/png' }]);
    expect(mismatch.message).toContain('says image/png but its bytes are image/jpeg');
    const pdfAsImage = await inputError([{ type: 'image', path: pdfPath }]);
    expect(pdfAsImage.message).toContain('is application/pdf, not an image; send it as a document');
    const imageAsDocument = await inputError([{ type: 'document', data: png }]);
    expect(imageAsDocument.message).toContain('is image/png; send it as an image part');
  });

  it('refuses a type the provider does not take, naming what it takes', async () => {
    const error = await inputError([{ type: 'image', data: gif }], geminiMedia);
    expect(error.message).toBe(
      'run(): parts[0] (image from data) is image/gif; gemini takes images of type image/png, image/jpeg, image/webp, image/heic, image/heif',
    );
  });

  it('refuses an https document URL where the API cannot fetch one (llmproc does not download)', async () => {
    const error = await inputError(
      [{ type: 'document', url: 'https://example.com/a.pdf' }],
      openAiChatMedia,
    );
    expect(error.message).toContain(
      'is an https URL, which openai (Chat Completions) cannot take for documents and llmproc does not download',
    );
    const http = await inputError([{ type: 'image', url: 'http://example.com/a.png' }]);
    expect(http.message).toContain('url is http: URL; give an https: or data: URL');
    const untyped = await inputError([{ type: 'image', url: 'https://example.com/image' }]);
    expect(untyped.message).toContain('url has no known file extension; give mimeType');
  });

  it('refuses a missing file and anything that is not a regular file, without blocking on a FIFO', async () => {
    const missing = await inputError([{ type: 'image', path: path.join(scratch, 'nope.png') }]);
    expect(missing.message).toContain('names no file');
    expect(missing.details).toMatchObject({ index: 0, kind: 'image' });
    const fifo = path.join(scratch, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const error = await inputError([{ type: 'image', path: fifo }]);
    expect(error.message).toContain(
      'is a FIFO (named pipe); parts are read from regular files only',
    );
    const folder = await inputError([{ type: 'document', path: scratch }]);
    expect(folder.message).toContain('is a directory');
  });

  it('refuses malformed parts from JavaScript callers, naming the part', async () => {
    expect((await inputError(['text'])).message).toBe(
      'run(): parts[0] (part) is not an object; expected { type: "text" | "image" | "document" }',
    );
    expect((await inputError([{ type: 'video', path: 'a.mp4' }])).message).toContain(
      'has type "video"',
    );
    expect((await inputError([{ type: 'image', path: 'a.png', data: png }])).message).toContain(
      'gives path and data; give exactly one of path, data or url',
    );
    expect((await inputError([{ type: 'image', data: 'not base64!' }])).message).toContain(
      'data is not valid base64',
    );
  });
});

describe('checkRequestMedia', () => {
  it('counts the media already in the conversation toward the request limit', async () => {
    const [block] = await resolveInputParts([{ type: 'document', data: pdf }], anthropicMedia);
    const small = { ...anthropicMedia, maxRequestBytes: pdf.length + 10 };
    expect(() => {
      checkRequestMedia([], [block!], small);
    }).not.toThrow();
    const conversation = [
      { role: 'user' as const, content: [block!] },
      { role: 'assistant' as const, content: 'Seen.' },
    ];
    let error: unknown;
    try {
      checkRequestMedia(conversation, [block!], small);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LlmprocError);
    expect((error as LlmprocError).code).toBe('INPUT_INVALID');
    expect((error as LlmprocError).message).toContain(
      `come to ${String(2 * pdf.length)} bytes; anthropic takes at most ${String(pdf.length + 10)} bytes of them per request`,
    );
  });
});

describe('run() with parts', () => {
  it('rejects with ABORTED when its signal is already aborted, reading nothing into the state', async () => {
    const { LLMProgram } = await import('../index.js');
    const proc = await new LLMProgram({ model: 'mock', provider: 'mock' }).start();
    const controller = new AbortController();
    controller.abort(new Error('user pressed stop'));
    const error = await proc
      .run([{ type: 'image', path: potatoPath }], { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmprocError);
    expect((error as LlmprocError).code).toBe('ABORTED');
    expect(proc.getState()).toEqual([]);
    const result = await proc.run([{ type: 'image', path: potatoPath }]);
    expect(result.lastMessage).toContain('[image: image/jpeg, 31.1 KB]');
    await proc.close();
  });
});
