import { describe, expect, it } from 'vitest';
import {
  defineTool,
  LLMProgram,
  ToolResult,
  type ProgramOptions,
  type Tool,
} from '../../src/index.js';
import { expectValidConversation } from '../support/conversation-invariant.js';
import { recorder } from '../support/recorder.js';
import { failOnUnhandledRejections } from '../support/unhandled-rejections.js';

failOnUnhandledRejections();

/** Run `tool` once as the model would, then check THE invariant; what the model got, and the state. */
async function runOnce(
  tool: Tool,
  options: Partial<ProgramOptions> = {},
  extraTools: string[] = [],
): Promise<{ shown: ToolResult; committed: string; requestChars: number }> {
  const rec = recorder();
  const proc = await new LLMProgram({
    model: 'mock',
    provider: 'mock',
    tools: [tool, ...extraTools],
    mock: {
      turns: [{ toolCalls: [{ name: tool.name, args: {} }] }, { text: 'done' }],
      fallbackText: 'again',
    },
    ...options,
  })
    .start()
    .addCallback(rec.callback);
  const result = await proc.run('call it');
  expect(result.lastMessage).toBe('done');
  const shown = rec.events.find((e) => e.event === 'tool_end')?.args[1] as ToolResult;
  const state = proc.getState();
  const answer = state[2];
  const block = Array.isArray(answer?.content) ? answer.content[0] : undefined;
  const committed = block?.type === 'tool_result' ? block.content : '';
  // The process runs again, with a request that carries the bounded result, not the original.
  const again = await expectValidConversation(proc);
  const requestChars = JSON.stringify(again?.apiCallInfos.at(-1)?.request).length;
  await proc.close();
  return { shown, committed, requestChars };
}

const note = (total: number, shown: number): string =>
  `\n\n[llmproc: this result has ${String(total)} characters; only the first ${String(shown)} are shown (the [tools] max_result_chars limit)]`;

describe('tool results are bounded before they reach the conversation', () => {
  it('cuts a 100 MB result to max_result_chars with a note, and later runs still work', async () => {
    const huge = defineTool({ name: 'huge', execute: () => 'x'.repeat(100 * 1024 * 1024) });
    const { shown, committed, requestChars } = await runOnce(huge);
    expect(committed).toBe('x'.repeat(100_000) + note(104_857_600, 100_000));
    expect(shown.contentText()).toBe(committed);
    expect(requestChars).toBeLessThan(200_000);
  });

  it('cuts JSON and error results too, at the configured size', async () => {
    const list = defineTool({
      name: 'list',
      execute: () => Array.from({ length: 1000 }, (_, i) => i),
    });
    const failing = defineTool({
      name: 'failing',
      execute: () => ToolResult.fromError('e'.repeat(5000)),
    });
    const json = await runOnce(list, { maxToolResultChars: 50 });
    const text = JSON.stringify(Array.from({ length: 1000 }, (_, i) => i));
    expect(json.committed).toBe(text.slice(0, 50) + note(text.length, 50));
    const error = await runOnce(failing, { maxToolResultChars: 10 });
    expect(error.committed).toBe('e'.repeat(10) + note(5000, 10));
    expect(error.shown.isError).toBe(true);
  });

  it('pages a long result into a file descriptor when file descriptors are on', async () => {
    const long = defineTool({ name: 'long', execute: () => 'y'.repeat(20_000) });
    const { committed } = await runOnce(
      long,
      {
        fileDescriptor: { enabled: true, max_direct_output_chars: 1000 },
      },
      ['read_fd'],
    );
    expect(committed).toMatch(/^<fd_result fd="fd:1" pages="5" truncated="true"/);
    expect(committed.length).toBeLessThan(5_000);
  });

  it('never cuts a surrogate pair, and replaces a lone surrogate no provider accepts', async () => {
    const emoji = defineTool({ name: 'emoji', execute: () => 'a😀b' });
    const lone = defineTool({ name: 'lone', execute: () => 'bad \uD800 text' });
    expect((await runOnce(emoji, { maxToolResultChars: 2 })).committed).toBe('a' + note(4, 1));
    expect((await runOnce(lone)).committed).toBe('bad \uFFFD text');
  });

  it('shows a value JSON cannot hold with its own toString', async () => {
    class Node {
      self: Node = this;
      toString(): string {
        return 'Node(loop)';
      }
    }
    const cyclic = defineTool({ name: 'cyclic', execute: () => new Node() });
    expect((await runOnce(cyclic)).committed).toBe('Node(loop)');
  });
});
