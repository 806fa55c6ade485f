import { describe, expect, it } from 'vitest';
import { defineTool, LLMProgram, type ToolResult } from '../src/index.js';
import { recorder } from './support/recorder.js';
import type { AssistantBlock, UserBlock } from '../src/conversation/messages.js';

const bigOutput = defineTool({
  name: 'big',
  description: 'long output',
  access: 'read',
  execute: () => 'x'.repeat(50) + '\n' + 'y'.repeat(50),
});

describe('file descriptors in a process', () => {
  it('pages a long tool output into an fd that read_fd can read back', async () => {
    const rec = recorder();
    const proc = await new LLMProgram({
      model: 'mock',
      provider: 'mock',
      tools: [bigOutput, 'read_fd'],
      fileDescriptor: { enabled: true, max_direct_output_chars: 40, default_page_size: 40 },
      mock: {
        turns: [
          { toolCalls: [{ name: 'big', args: {} }] },
          { toolCalls: [{ name: 'read_fd', args: { fd: 'fd:1', start: 2 } }] },
          { text: 'read it' },
        ],
      },
    })
      .start()
      .addCallback(rec.callback);
    expect(proc.systemPrompt).toContain('<file_descriptor_instructions>');
    await proc.run('go');
    const results: (UserBlock | AssistantBlock)[] = [];
    for (const message of proc.getState())
      if (typeof message.content !== 'string') results.push(...message.content);
    const paged = results.find(
      (b) => b.type === 'tool_result' && b.tool_use_id === 'toolu_mock_0_0',
    );
    expect(
      paged?.type === 'tool_result' && paged.content.startsWith('<fd_result fd="fd:1" pages="3"'),
    ).toBe(true);
    const page2 = results.find(
      (b) => b.type === 'tool_result' && b.tool_use_id === 'toolu_mock_1_0',
    );
    expect(page2?.type === 'tool_result' ? page2.content : '').toContain('x'.repeat(10));
    expect(page2?.type === 'tool_result' ? page2.content : '').toContain('page="2"');
    // The tool_end event carries what the model sees: the paged result.
    const firstEnd = rec.events.find((e) => e.event === 'tool_end')?.args[1] as ToolResult;
    expect(firstEnd.contentText()).toContain('<fd_result fd="fd:1"');
  });
});

describe('goto', () => {
  it('rewinds the conversation and ends the run without committing the reply that called it', async () => {
    const proc = await new LLMProgram({
      model: 'mock',
      provider: 'mock',
      tools: ['goto'],
      mock: {
        turns: [
          { text: 'first answer' },
          { text: 'second answer' },
          {
            text: 'Going back.',
            toolCalls: [
              { name: 'goto', args: { position: 'msg_0', message: 'start over, briefly' } },
            ],
          },
        ],
      },
    }).start();
    await proc.run('first question');
    await proc.run('second question');
    const requests: unknown[] = [];
    proc.addCallback({
      api_request: (payload: Record<string, unknown>) => requests.push(payload['messages']),
    });
    const result = await proc.run('third question');
    // User messages reach the model with ids so it can name them.
    expect(JSON.stringify(requests[0])).toContain('[msg_0] first question');
    const state = proc.getState();
    expect(state).toHaveLength(1);
    expect(state[0]?.role).toBe('user');
    expect(JSON.stringify(state[0]?.content)).toContain('start over, briefly');
    expect(result.apiCalls).toBe(1);
    expect(proc.timeTravelHistory).toHaveLength(1);
  });
});
