/**
 * Hooks on each real provider, through its official SDK over HTTP against recorded exchanges: the
 * second request the provider receives carries the hook's denial or replacement as the tool result.
 */
import { describe, expect, it } from 'vitest';
import { defineTool, LLMProgram, type Hook } from '../src/index.js';
import {
  loadFixture,
  withReplayServer,
  type Fixture,
  type FixtureSet,
} from './support/replay-server.js';
import { expectValidConversation } from './support/conversation-invariant.js';
import { useProviderKeys } from './support/provider-keys.js';

useProviderKeys('test-key');

interface ProviderCase {
  provider: 'anthropic' | 'openai' | 'gemini';
  fixtures: FixtureSet;
  model: string;
  parameters: Record<string, unknown>;
  /** The tool result (text, error flag) in the body of the request that answers the call. */
  sentResult(body: unknown): { text: string; isError: boolean | undefined };
}

const cases: [string, ProviderCase][] = [
  [
    'anthropic',
    {
      provider: 'anthropic',
      fixtures: 'anthropic',
      model: 'claude-sonnet-4-5',
      parameters: { max_tokens: 1024 },
      sentResult: (body) => {
        const messages = (body as { messages: { content: unknown }[] }).messages;
        const blocks = messages.at(-1)?.content as {
          type: string;
          content: string;
          is_error: boolean;
        }[];
        const block = blocks.find((b) => b.type === 'tool_result');
        return { text: block?.content ?? '', isError: block?.is_error };
      },
    },
  ],
  [
    'openai chat completions',
    {
      provider: 'openai',
      fixtures: 'openai-chat',
      model: 'gpt-5-mini',
      parameters: {},
      sentResult: (body) => {
        const messages = (body as { messages: { role: string; content: string }[] }).messages;
        // Chat Completions has no error flag: the text is all the model gets.
        return { text: messages.find((m) => m.role === 'tool')?.content ?? '', isError: undefined };
      },
    },
  ],
  [
    'openai responses',
    {
      provider: 'openai',
      fixtures: 'openai-responses',
      model: 'gpt-5',
      parameters: { reasoning_effort: 'low' },
      sentResult: (body) => {
        const input = (body as { input: { type?: string; output?: string }[] }).input;
        return {
          text: input.find((i) => i.type === 'function_call_output')?.output ?? '',
          isError: undefined,
        };
      },
    },
  ],
  [
    'gemini',
    {
      provider: 'gemini',
      fixtures: 'gemini',
      model: 'gemini-2.5-flash',
      parameters: {},
      sentResult: (body) => {
        const contents = (
          body as {
            contents: {
              parts: { functionResponse?: { response: { output?: string; error?: string } } }[];
            }[];
          }
        ).contents;
        const response = contents.at(-1)?.parts.find((p) => p.functionResponse)
          ?.functionResponse?.response;
        return {
          text: response?.error ?? response?.output ?? '',
          isError: response ? response.error !== undefined : undefined,
        };
      },
    },
  ],
];

/** The recorded tool, run for real unless a hook stops it. */
function recordedTool(first: Fixture, ran: unknown[]) {
  const response = JSON.stringify(first.response.body);
  const name = /"name":\s*"(get_weather|get_capital)"/.exec(response)?.[1] ?? 'unknown';
  return defineTool({
    name,
    description: 'Get the current weather for a city.',
    execute: (args) => {
      ran.push(args);
      return 'the real answer';
    },
  });
}

async function runWith(c: ProviderCase, ...hooks: Hook[]) {
  const fixtures = [loadFixture(c.fixtures, 'tool-loop.1'), loadFixture(c.fixtures, 'tool-loop.2')];
  const ran: unknown[] = [];
  return withReplayServer(fixtures, async (server) => {
    const proc = await new LLMProgram({
      model: c.model,
      provider: c.provider,
      baseUrl: server.url,
      parameters: c.parameters,
      tools: [recordedTool(fixtures[0]!, ran)],
    }).start();
    for (const hook of hooks) proc.addHook(hook);
    try {
      const result = await proc.run('What is it?');
      expect(server.received).toHaveLength(2);
      await expectValidConversation(proc, { runAgain: false });
      return { result, ran, sent: c.sentResult(server.received[1]?.body) };
    } finally {
      await proc.close();
    }
  });
}

describe.each(cases)('hooks on %s', (_, c) => {
  it('a denial reaches the model as an error tool result carrying the reason', async () => {
    const { result, ran, sent } = await runWith(c, {
      beforeToolCall: () => ({ deny: 'lookups are switched off' }),
    });
    expect(ran).toEqual([]);
    expect(sent.text).toBe('Tool call denied: lookups are switched off');
    if (sent.isError !== undefined) expect(sent.isError).toBe(true);
    expect(result.toolCalls[0]?.decision).toBe('denied');
  });

  it.each([
    ['before', true],
    ['after', false],
  ])('a deny registered %s a rewrite wins', async (_order, denyFirst) => {
    const deny: Hook = { beforeToolCall: () => ({ deny: 'blocked' }) };
    const rewrite: Hook = { beforeToolCall: () => ({ args: { city: 'Rome' } }) };
    const { ran, sent } = await runWith(c, ...(denyFirst ? [deny, rewrite] : [rewrite, deny]));
    expect(ran).toEqual([]);
    expect(sent.text).toBe('Tool call denied: blocked');
  });

  it('a throwing hook stops the run after one request and leaves a valid conversation', async () => {
    const fixtures = [
      loadFixture(c.fixtures, 'tool-loop.1'),
      loadFixture(c.fixtures, 'tool-loop.2'),
    ];
    await withReplayServer(fixtures, async (server) => {
      const proc = await new LLMProgram({
        model: c.model,
        provider: c.provider,
        baseUrl: server.url,
        parameters: c.parameters,
        tools: [recordedTool(fixtures[0]!, [])],
      })
        .start()
        .addHook({
          beforeToolCall: () => {
            throw new Error('approval service unreachable');
          },
        });
      try {
        await expect(proc.run('What is it?')).rejects.toMatchObject({ code: 'HOOK_FAILED' });
        expect(server.received).toHaveLength(1);
        expect(proc.getState()).toEqual([]);
        await expectValidConversation(proc, { runAgain: false });
      } finally {
        await proc.close();
      }
    });
  });

  it('an afterToolCall replacement is what the model receives', async () => {
    const { ran, sent } = await runWith(c, {
      afterToolCall: (_call, r) => `${r.contentText()} (checked)`,
    });
    expect(ran).toHaveLength(1);
    expect(sent.text).toBe('the real answer (checked)');
    if (sent.isError !== undefined) expect(sent.isError).toBe(false);
  });

  it('an answer replaces the tool run', async () => {
    const { ran, sent, result } = await runWith(c, {
      beforeToolCall: () => ({ result: 'from the hook' }),
    });
    expect(ran).toEqual([]);
    expect(sent.text).toBe('from the hook');
    expect(result.toolCalls[0]?.decision).toBe('answered');
  });
});
