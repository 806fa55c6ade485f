/**
 * Content parts after the run: getState(), start({ state }), forks and traces keep them as plain
 * JSON (base64), and images an MCP tool returns (the real server-everything's get-tiny-image) reach
 * the providers that take images in tool results, as a placeholder elsewhere.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LLMProgram, recordTo, type ToolResultBlock } from '../src/index.js';
import { readTrace } from '../src/traces/read.js';
import { toAnthropicMessages } from '../src/providers/anthropic/request.js';
import { toChatMessages } from '../src/providers/openai/chat/request.js';
import { toResponsesInput } from '../src/providers/openai/responses/request.js';
import { toGeminiContents } from '../src/providers/gemini/request.js';
import { expectValidConversation } from './support/conversation-invariant.js';
import { failOnUnhandledRejections } from './support/unhandled-rejections.js';

failOnUnhandledRejections();

const require = createRequire(import.meta.url);
const partsDir = path.resolve(import.meta.dirname, 'fixtures/parts');
const potatoPath = path.join(partsDir, 'potato.jpg');
const pdf = readFileSync(path.join(partsDir, 'dummy.pdf'));
const scratch = mkdtempSync(path.join(tmpdir(), 'llmproc-parts-state-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const imageBlock = {
  type: 'image',
  source: {
    type: 'base64',
    media_type: 'image/jpeg',
    data: readFileSync(potatoPath).toString('base64'),
  },
};
const documentBlock = {
  type: 'document',
  source: { type: 'base64', media_type: 'application/pdf', data: pdf.toString('base64') },
  title: 'report.pdf',
};

describe('parts in state, forks and traces', () => {
  it('keeps the bytes through getState(), start({ state }), a fork and a trace', async () => {
    const tracePath = path.join(scratch, 'run.jsonl');
    const program = new LLMProgram({
      model: 'mock',
      provider: 'mock',
      mock: { turns: [{ when: '[document: report.pdf', text: 'A potato and a PDF.' }] },
    });
    const proc = await program.start();
    const recorder = recordTo(tracePath);
    proc.addCallback(recorder);
    const result = await proc.run([
      { type: 'text', text: 'Describe both.' },
      { type: 'image', path: potatoPath },
      { type: 'document', data: pdf, filename: 'report.pdf' },
    ]);
    expect(result.lastMessage).toBe('A potato and a PDF.');
    await recorder.close();

    const state = proc.getState();
    expect(state[0]).toEqual({
      role: 'user',
      content: [{ type: 'text', text: 'Describe both.' }, imageBlock, documentBlock],
    });
    // Plain JSON: what a file or a database gives back starts a process that has the parts.
    const saved: unknown = JSON.parse(JSON.stringify(state));
    const restored = await program.start({ state: saved as typeof state });
    expect(restored.getState()).toEqual(state);
    const child = await proc.forkProcess();
    expect(child.getState()[0]).toEqual(state[0]);

    const trace = readTrace(tracePath);
    expect(trace.inputs[0]?.content).toEqual([
      { type: 'text', text: 'Describe both.' },
      imageBlock,
      documentBlock,
    ]);

    await expectValidConversation(proc);
    await expectValidConversation(child);
    await Promise.all([proc.close(), child.close(), restored.close()]);
  });

  it('refuses a saved state whose image has no source, naming the message', async () => {
    const program = new LLMProgram({ model: 'mock', provider: 'mock' });
    const error = await program
      .start({ state: [{ role: 'user', content: [{ type: 'image' }] }] as never })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ message: expect.stringContaining('state.0.content') as string });
  });
});

describe('images from an MCP tool', () => {
  it('reach Anthropic and the Responses API in the tool result, and are described elsewhere', async () => {
    const manifest = require.resolve('@modelcontextprotocol/server-everything/package.json');
    const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> };
    const script = path.join(path.dirname(manifest), Object.values(bin)[0] ?? '');
    const program = LLMProgram.fromDict({
      model: { name: 'mock', provider: 'mock' },
      mcp: {
        servers: {
          everything: { type: 'stdio', command: process.execPath, args: [script, 'stdio'] },
        },
      },
      tools: { mcp: { everything: ['get-tiny-image'] } },
      mock: {
        turns: [
          { toolCalls: [{ name: 'everything__get-tiny-image', args: {} }] },
          { text: 'It is the MCP logo.' },
        ],
        fallbackText: 'ok',
      },
    });
    const proc = await program.start();
    try {
      const result = await proc.run('Show me the tiny image.');
      expect(result.lastMessage).toBe('It is the MCP logo.');
      const answer = proc.getState()[2];
      const block = (Array.isArray(answer?.content) ? answer.content[0] : undefined) as
        ToolResultBlock | undefined;
      expect(block?.content).toContain("Here's the image you requested:");
      expect(block?.images).toHaveLength(1);
      const image = block?.images?.[0];
      expect(image?.source).toMatchObject({ type: 'base64', media_type: 'image/png' });
      const bytes = Buffer.from(image?.source.type === 'base64' ? image.source.data : '', 'base64');
      expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');

      const messages = proc.getState();
      const anthropic = toAnthropicMessages(messages, { promptCaching: false })[2]?.content[0];
      expect(anthropic).toMatchObject({
        type: 'tool_result',
        content: [
          { type: 'text', text: block?.content },
          { type: 'image', source: image?.source },
        ],
      });
      const responses = toResponsesInput(messages).find(
        (item) => 'type' in item && item.type === 'function_call_output',
      );
      expect(responses).toMatchObject({
        output: [
          { type: 'input_text', text: block?.content },
          {
            type: 'input_image',
            detail: 'auto',
            image_url: expect.stringMatching(/^data:image\/png;base64,iVBOR/) as string,
          },
        ],
      });
      const placeholder = (label: string): string =>
        `[image: image/png, ${(bytes.length / 1024).toFixed(1)} KB, not sent: ${label} does not accept images in tool results]`;
      const chatTool = toChatMessages('', messages).find((m) => m.role === 'tool');
      expect(chatTool?.content).toBe(
        `${block?.content ?? ''}\n${placeholder('openai (Chat Completions)')}`,
      );
      const gemini = toGeminiContents(messages)[2]?.parts?.[0]?.functionResponse?.response;
      expect(gemini).toEqual({ output: `${block?.content ?? ''}\n${placeholder('gemini')}` });

      await expectValidConversation(proc);
    } finally {
      await proc.close();
    }
  });
});
