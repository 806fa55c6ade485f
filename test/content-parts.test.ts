/**
 * Images and documents as `run()` input, through each official SDK over HTTP against recorded
 * exchanges: the adapter's request carries exactly the recorded content blocks, and a part the
 * provider would refuse fails with INPUT_INVALID before any request, leaving a process that runs again.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LLMProgram, LlmprocError, type ContentPart, type LLMProcess } from '../src/index.js';
import { expectValidConversation } from './support/conversation-invariant.js';
import { failOnUnhandledRejections } from './support/unhandled-rejections.js';
import {
  loadFixture,
  withReplayServer,
  type Fixture,
  type FixtureSet,
} from './support/replay-server.js';

failOnUnhandledRejections();

const secret = 'sk-test-secret-key-that-must-not-leak';
const keys = ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'GEMINI_API_KEY'] as const;
const savedEnv: Record<string, string | undefined> = {};
const scratch = mkdtempSync(path.join(tmpdir(), 'llmproc-parts-it-'));

beforeAll(() => {
  for (const key of [...keys, 'LLMPROC_RETRY_MAX_ATTEMPTS']) savedEnv[key] = process.env[key];
  for (const key of keys) process.env[key] = secret;
  process.env['LLMPROC_RETRY_MAX_ATTEMPTS'] = '1';
});
afterAll(() => {
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  rmSync(scratch, { recursive: true, force: true });
});

const partsDir = path.resolve(import.meta.dirname, 'fixtures/parts');
const potatoPath = path.join(partsDir, 'potato.jpg');
const pdfPath = path.join(partsDir, 'dummy.pdf');
const potato = readFileSync(potatoPath);

type Json = Record<string, unknown>;

function body(value: unknown): Json {
  return value as Json;
}

/** The recorded answer's text, for asserting the run's result. */
function recordedAnswer(fixture: Fixture): string {
  const response = body(fixture.response.body);
  const content = response['content'] as { text?: string }[] | undefined;
  if (content) return content.map((b) => b.text ?? '').join('');
  const choices = response['choices'] as { message: { content: string } }[] | undefined;
  if (choices) return choices[0]?.message.content ?? '';
  const output = response['output'] as { content: { text: string }[] }[] | undefined;
  if (output) return output[0]?.content[0]?.text ?? '';
  const candidates = response['candidates'] as { content: { parts: { text: string }[] } }[];
  return candidates[0]?.content.parts[0]?.text ?? '';
}

interface Case {
  name: string;
  fixture: [set: FixtureSet, name: string];
  provider: 'anthropic' | 'openai' | 'gemini';
  /** The model sent; the Responses cases use a reasoning model so requests go to that API. */
  model: string;
  parameters?: Json;
  parts: ContentPart[];
  /** The recorded user content and the one sent, in comparable form. */
  recordedContent: (request: Json) => unknown;
  sentContent: (request: Json) => unknown;
}

const anthropicContent = (request: Json): unknown => {
  const messages = request['messages'] as { content: Json[] }[];
  // Prompt-caching markers are llmproc's addition; the blocks themselves must match.
  return messages[0]?.content.map(({ cache_control: _marker, ...block }) => block);
};
const chatContent = (request: Json): unknown =>
  (request['messages'] as { role: string; content: unknown }[]).find((m) => m.role === 'user')
    ?.content;
const responsesContent = (request: Json): unknown =>
  (request['input'] as { content: unknown }[])[0]?.content;
/** Gemini's recording holds URL-safe base64; the SDK sends the standard alphabet. Compare bytes. */
const geminiParts = (request: Json): unknown =>
  (request['contents'] as { parts: Json[] }[])[0]?.parts.map((part) => {
    const inline = part['inlineData'] as { data: string; mimeType: string } | undefined;
    if (!inline) return part;
    // Node's base64 decoder reads both alphabets.
    const data = Buffer.from(inline.data, 'base64').toString('base64');
    return { inlineData: { mimeType: inline.mimeType, data } };
  });

const cases: Case[] = [
  {
    name: 'anthropic: an image from a path is a base64 image block',
    fixture: ['anthropic', 'image-base64'],
    provider: 'anthropic',
    model: 'claude-haiku-4-5',
    parts: [
      { type: 'text', text: 'What is this vegetable?' },
      { type: 'image', path: potatoPath },
    ],
    recordedContent: anthropicContent,
    sentContent: anthropicContent,
  },
  {
    name: 'anthropic: a PDF from bytes is a base64 document block',
    fixture: ['anthropic', 'document-pdf'],
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    parts: [
      { type: 'text', text: 'What is the main content on this document?' },
      { type: 'document', data: readFileSync(pdfPath) },
    ],
    recordedContent: anthropicContent,
    sentContent: anthropicContent,
  },
  {
    name: 'openai chat: an image is an image_url part with a data: URL',
    fixture: ['openai-chat', 'image-data-url'],
    provider: 'openai',
    model: 'gpt-4.1-nano',
    parts: [
      { type: 'text', text: 'What is this vegetable?' },
      { type: 'image', path: potatoPath },
    ],
    recordedContent: chatContent,
    sentContent: chatContent,
  },
  {
    name: 'openai chat: a PDF is a file part with file_data and filename',
    fixture: ['openai-chat', 'document-pdf-file'],
    provider: 'openai',
    model: 'gpt-4o',
    parts: [
      { type: 'text', text: 'What is the main content on this document?' },
      { type: 'document', path: pdfPath, filename: 'filename.pdf' },
    ],
    recordedContent: chatContent,
    sentContent: chatContent,
  },
  {
    name: 'openai responses: an image is an input_image with a data: URL',
    fixture: ['openai-responses', 'input-image'],
    provider: 'openai',
    model: 'o4-mini',
    parameters: { reasoning_effort: 'low' },
    parts: [
      { type: 'text', text: 'What is this vegetable?' },
      { type: 'image', data: potato.toString('base64') },
    ],
    recordedContent: responsesContent,
    sentContent: responsesContent,
  },
  {
    name: 'openai responses: a PDF is an input_file with file_data and filename',
    fixture: ['openai-responses', 'input-file-pdf'],
    provider: 'openai',
    model: 'o4-mini',
    parameters: { reasoning_effort: 'low' },
    parts: [
      { type: 'text', text: 'What is in the document?' },
      { type: 'document', path: pdfPath, filename: 'filename.pdf' },
    ],
    recordedContent: responsesContent,
    sentContent: responsesContent,
  },
  {
    name: 'gemini: an image is inlineData',
    fixture: ['gemini', 'inline-image'],
    provider: 'gemini',
    model: 'gemini-2.0-flash',
    parts: [
      { type: 'text', text: 'What is this vegetable?' },
      { type: 'image', url: `data:image/jpeg;base64,${potato.toString('base64')}` },
    ],
    recordedContent: geminiParts,
    sentContent: geminiParts,
  },
  {
    name: 'gemini: a PDF is inlineData',
    fixture: ['gemini', 'inline-pdf'],
    provider: 'gemini',
    model: 'gemini-2.0-flash',
    parts: [
      { type: 'text', text: 'What is the main content on this document?' },
      { type: 'document', path: pdfPath },
    ],
    recordedContent: geminiParts,
    sentContent: geminiParts,
  },
];

async function start(c: Pick<Case, 'provider' | 'model' | 'parameters'>, url: string) {
  return new LLMProgram({
    model: c.model,
    provider: c.provider,
    baseUrl: url,
    ...(c.parameters ? { parameters: c.parameters } : {}),
  }).start();
}

describe('content parts on every provider, through its SDK', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const fixture = loadFixture(...c.fixture);
      await withReplayServer([fixture], async (server) => {
        const proc = await start(c, server.url);
        const result = await proc.run(c.parts);
        expect(result.lastMessage).toBe(recordedAnswer(fixture));
        expect(server.received).toHaveLength(1);
        const sent = c.sentContent(body(server.received[0]?.body));
        expect(sent).toEqual(c.recordedContent(body(fixture.request.body)));
        // The state holds the bytes (base64), so getState() and a fork carry the part.
        const state = proc.getState();
        const first = state[0]?.content;
        expect(Array.isArray(first) ? first.map((b) => b.type) : first).toEqual([
          'text',
          c.parts[1]?.type,
        ]);
        expect(JSON.parse(JSON.stringify(state))).toEqual(state);
        await expectValidConversation(proc, { runAgain: false });
        await proc.close();
      });
    });
  }
});

/** Run `parts`, expect INPUT_INVALID before any request; then the recorded input works. */
async function expectRefusedThenRuns(
  c: Case,
  parts: readonly ContentPart[],
  message: RegExp | string,
): Promise<void> {
  const fixture = loadFixture(...c.fixture);
  await withReplayServer([fixture], async (server) => {
    const proc: LLMProcess = await start(c, server.url);
    const error = await proc.run(parts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmprocError);
    expect((error as LlmprocError).code).toBe('INPUT_INVALID');
    if (typeof message === 'string') expect((error as LlmprocError).message).toContain(message);
    else expect((error as LlmprocError).message).toMatch(message);
    expect(server.received).toHaveLength(0);
    expect(proc.getState()).toEqual([]);
    // Nothing was lost: the same process runs the good input (the recorded exchange).
    const result = await proc.run(c.parts);
    expect(result.lastMessage).toBe(recordedAnswer(fixture));
    await expectValidConversation(proc, { runAgain: false });
    await proc.close();
  });
}

describe('a part the provider would refuse fails before any request', () => {
  const [anthropicImage, , chatImage, chatPdf, , , geminiImage] = cases;

  it('anthropic: an image over 5 MB base64-encoded', async () => {
    const big = Buffer.concat([potato, Buffer.alloc(4 * 1024 * 1024)]);
    await expectRefusedThenRuns(
      anthropicImage!,
      [
        { type: 'text', text: 'What is this?' },
        { type: 'image', data: big },
      ],
      /^run\(\): parts\[1\] \(image from data\) is \d+ bytes \(4\.0 MB\); anthropic takes images of at most 3932160 bytes/,
    );
  });

  it('openai chat: bytes of no known type', async () => {
    await expectRefusedThenRuns(
      chatImage!,
      [{ type: 'image', data: Buffer.from('not an image at all') }],
      'parts[0] (image from data) has bytes of no known type',
    );
  });

  it('openai chat: a document by https URL, which Chat Completions cannot take', async () => {
    await expectRefusedThenRuns(
      chatPdf!,
      [{ type: 'document', url: 'https://example.com/report.pdf' }],
      'openai (Chat Completions) cannot take for documents',
    );
  });

  it('gemini: a missing file, a FIFO and a GIF', async () => {
    const fifo = path.join(scratch, 'fifo.png');
    execFileSync('mkfifo', [fifo]);
    const gif = path.join(scratch, 'anim.gif');
    writeFileSync(gif, Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00', 'latin1'));
    await expectRefusedThenRuns(
      geminiImage!,
      [{ type: 'image', path: path.join(scratch, 'missing.png') }],
      'names no file',
    );
    await expectRefusedThenRuns(
      geminiImage!,
      [{ type: 'image', path: fifo }],
      'is a FIFO (named pipe)',
    );
    await expectRefusedThenRuns(
      geminiImage!,
      [{ type: 'image', path: gif }],
      'is image/gif; gemini takes images of type image/png, image/jpeg',
    );
  });
});
