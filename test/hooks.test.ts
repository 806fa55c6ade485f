/**
 * Hooks through whole processes on the mock provider: what the model receives next, what callbacks
 * and RunResult report, failures that stop the run, children, and the builtin tools.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  defineTool,
  LLMProgram,
  ToolResult,
  type Hook,
  type HookContext,
  type Message,
  type MockTurnOptions,
} from '../src/index.js';
import { recorder } from './support/recorder.js';
import { expectValidConversation, expectValidMessages } from './support/conversation-invariant.js';

const echoServer = fileURLToPath(
  new URL('../src/tools/mcp/__fixtures__/echo-server.mjs', import.meta.url),
);

function searchTool(ran: Record<string, unknown>[]) {
  return defineTool({
    name: 'search',
    description: 'search',
    parameters: z.object({ q: z.string(), limit: z.number().optional() }),
    execute: (args) => {
      ran.push(args);
      return `found ${args.q} (limit ${String(args.limit ?? 'none')})`;
    },
  });
}

function mockProgram(turns: MockTurnOptions[], ran: Record<string, unknown>[] = []): LLMProgram {
  return new LLMProgram({
    model: 'mock',
    provider: 'mock',
    tools: [searchTool(ran), 'calculator', 'fork', 'spawn', 'goto', 'read_fd'],
    mock: { turns },
  });
}

const searchThenAnswer: MockTurnOptions[] = [
  { toolCalls: [{ name: 'search', args: { q: 'cats' } }] },
  { text: 'done' },
];

type ToolResultSeen = { tool_use_id: string; content: string; is_error: boolean };

/** The tool results of the last user message of each request the model received. */
function toolResultsSent(payloads: Record<string, unknown>[]): ToolResultSeen[][] {
  return payloads.map((payload) => {
    const last = (payload['messages'] as Message[]).at(-1);
    if (!last || typeof last.content === 'string') return [];
    return last.content.filter((b) => b.type === 'tool_result');
  });
}

async function start(program: LLMProgram) {
  const rec = recorder();
  const proc = await program.start().addCallback(rec.callback);
  const payloads = (): Record<string, unknown>[] =>
    rec.events
      .filter((e) => e.event === 'api_request' && e.context.pid === proc.pid)
      .map((e) => e.args[0] as Record<string, unknown>);
  return { proc, rec, payloads };
}

describe('beforeToolCall', () => {
  it('denies: the tool does not run and the next request carries the reason as an error result', async () => {
    const ran: Record<string, unknown>[] = [];
    const { proc, rec, payloads } = await start(mockProgram(searchThenAnswer, ran));
    proc.addHook({ beforeToolCall: () => ({ deny: 'no searching today' }) });
    const result = await proc.run('find cats');
    expect(ran).toEqual([]);
    expect(toolResultsSent(payloads())[1]).toEqual([
      {
        type: 'tool_result',
        tool_use_id: 'toolu_mock_0_0',
        content: 'Tool call denied: no searching today',
        is_error: true,
      },
    ]);
    expect(result.toolCalls).toEqual([
      {
        toolName: 'search',
        args: { q: 'cats' },
        decision: 'denied',
        denyReason: 'no searching today',
      },
    ]);
    const end = rec.events.find((e) => e.event === 'tool_end')?.args[1] as ToolResult;
    expect([end.content, end.isError]).toEqual(['Tool call denied: no searching today', true]);
    expect(result.lastMessage).toBe('done');
  });

  it('rewrites: the tool runs with the final arguments, which tool_start and RunResult show', async () => {
    const ran: Record<string, unknown>[] = [];
    const { proc, rec, payloads } = await start(mockProgram(searchThenAnswer, ran));
    proc.addHook({ beforeToolCall: (call) => ({ args: { ...call.args, limit: 5 } }) }).addHook({
      beforeToolCall: (call) => ({ args: { ...call.args, q: `${String(call.args['q'])}!` } }),
    });
    const result = await proc.run('find cats');
    expect(ran).toEqual([{ q: 'cats!', limit: 5 }]);
    expect(rec.events.find((e) => e.event === 'tool_start')?.args).toEqual([
      'search',
      { q: 'cats!', limit: 5 },
    ]);
    expect(result.toolCalls).toEqual([{ toolName: 'search', args: { q: 'cats!', limit: 5 } }]);
    expect(toolResultsSent(payloads())[1]?.[0]?.content).toBe('found cats! (limit 5)');
  });

  it('answers without running the tool: the model sees the given result', async () => {
    const ran: Record<string, unknown>[] = [];
    const { proc, payloads } = await start(mockProgram(searchThenAnswer, ran));
    proc.addHook({ beforeToolCall: () => ({ result: { cached: ['a', 'b'] } }) });
    const result = await proc.run('find cats');
    expect(ran).toEqual([]);
    expect(toolResultsSent(payloads())[1]?.[0]).toMatchObject({
      content: '{"cached":["a","b"]}',
      is_error: false,
    });
    expect(result.toolCalls[0]?.decision).toBe('answered');
  });

  it.each([
    ['before', true],
    ['after', false],
  ])('lets a deny registered %s a rewrite win', async (_, denyFirst) => {
    const ran: Record<string, unknown>[] = [];
    const { proc, payloads } = await start(mockProgram(searchThenAnswer, ran));
    const deny: Hook = { beforeToolCall: () => ({ deny: 'blocked' }) };
    const rewrite: Hook = { beforeToolCall: () => ({ args: { q: 'dogs' } }) };
    if (denyFirst) proc.addHook(deny).addHook(rewrite);
    else proc.addHook(rewrite).addHook(deny);
    const result = await proc.run('find cats');
    expect(ran).toEqual([]);
    expect(toolResultsSent(payloads())[1]?.[0]?.content).toBe('Tool call denied: blocked');
    expect(result.toolCalls).toEqual([
      { toolName: 'search', args: { q: 'dogs' }, decision: 'denied', denyReason: 'blocked' },
    ]);
  });

  it('gives hooks the call id and where it happens', async () => {
    const seen: [string, HookContext][] = [];
    const { proc } = await start(mockProgram(searchThenAnswer));
    proc.addHook({
      beforeToolCall: (call, context) => {
        seen.push([call.toolUseId, context]);
      },
    });
    await proc.run('find cats');
    expect(seen).toEqual([
      ['toolu_mock_0_0', { pid: proc.pid, parentPid: undefined, turn: 1, signal: undefined }],
    ]);
  });
});

describe('afterToolCall', () => {
  it('replaces the result the model and tool_end see', async () => {
    const { proc, rec, payloads } = await start(mockProgram(searchThenAnswer));
    const seen: string[] = [];
    proc.addHook({
      afterToolCall: async (_call, result) => {
        seen.push(result.contentText());
        return Promise.resolve(ToolResult.fromSuccess('[redacted]'));
      },
    });
    await proc.run('find cats');
    expect(seen).toEqual(['found cats (limit none)']);
    expect(toolResultsSent(payloads())[1]?.[0]?.content).toBe('[redacted]');
    const end = rec.events.find((e) => e.event === 'tool_end')?.args[1] as ToolResult;
    expect(end.content).toBe('[redacted]');
  });

  it('sees answered calls but not denied ones', async () => {
    const { proc } = await start(
      mockProgram([
        {
          toolCalls: [
            { name: 'search', args: { q: 'a' } },
            { name: 'search', args: { q: 'b' } },
          ],
        },
        { text: 'done' },
      ]),
    );
    const reviewed: unknown[] = [];
    proc.addHook({
      beforeToolCall: (call) => (call.args['q'] === 'a' ? { deny: 'no a' } : { result: 'B' }),
      afterToolCall: (call, result) => {
        reviewed.push([call.args, result.content]);
      },
    });
    await proc.run('go');
    expect(reviewed).toEqual([[{ q: 'b' }, 'B']]);
  });
});

describe('a failing hook', () => {
  it.each(['beforeToolCall', 'afterToolCall'] as const)(
    'stops the run with HOOK_FAILED naming %s and the tool, keeping whole turns, and the process runs again',
    async (method) => {
      const ran: Record<string, unknown>[] = [];
      const { proc, rec } = await start(
        mockProgram(
          [
            { toolCalls: [{ name: 'calculator', args: { expression: '1+1' } }] },
            {
              text: 'now search',
              toolCalls: [
                { name: 'calculator', args: { expression: '2+2' } },
                { name: 'search', args: { q: 'x' } },
              ],
            },
            { text: 'recovered' },
          ],
          ran,
        ),
      );
      const failing: Hook = {
        [method]: (call: { toolName: string }) => {
          if (call.toolName === 'search') throw new Error('policy service down');
          return undefined;
        },
      };
      proc.addHook(failing);
      const error: unknown = await proc.run('go').catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'HOOK_FAILED',
        details: { hook: method, toolName: 'search' },
      });
      expect((error as Error).message).toBe(
        `${method} hook failed for tool 'search': policy service down`,
      );
      // The first turn is kept whole; the failing turn (its calculator call included) is not.
      const state = proc.getState();
      expect(state.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
      expectValidMessages(state);
      // Every tool_start is closed by a tool_end, for observers that pair them.
      const names = rec.names();
      expect(names.filter((n) => n === 'tool_start').length).toBe(
        names.filter((n) => n === 'tool_end').length,
      );
      proc.removeHook(failing);
      const again = await proc.run('try again');
      expect(again.lastMessage).toBe('recovered');
      expectValidMessages(proc.getState());
    },
  );

  it('in the first turn puts the conversation back as it was before run()', async () => {
    const { proc } = await start(mockProgram(searchThenAnswer));
    proc.addHook({ beforeToolCall: () => Promise.reject(new Error('nope')) });
    await expect(proc.run('find cats')).rejects.toMatchObject({ code: 'HOOK_FAILED' });
    expect(proc.getState()).toEqual([]);
  });
});

describe('where hooks are registered', () => {
  it('on what program.start() returns, chained with callbacks', async () => {
    const ran: Record<string, unknown>[] = [];
    const rec = recorder();
    const proc = await mockProgram(searchThenAnswer, ran)
      .start()
      .addCallback(rec.callback)
      .addHook({ beforeToolCall: () => ({ deny: 'chained' }) });
    const result = await proc.run('find cats');
    expect(ran).toEqual([]);
    expect(result.toolCalls[0]?.denyReason).toBe('chained');
  });

  it('on a program: every process it starts has them, first', async () => {
    const order: string[] = [];
    const program = mockProgram(searchThenAnswer).addHook({
      beforeToolCall: () => void order.push('program'),
    });
    const first = await program
      .start()
      .addHook({ beforeToolCall: () => void order.push('process') });
    await first.run('a');
    const second = await program.start();
    await second.run('b');
    expect(order).toEqual(['program', 'process', 'program']);
  });

  it('removeHook stops a hook from deciding', async () => {
    const ran: Record<string, unknown>[] = [];
    const { proc } = await start(mockProgram(searchThenAnswer, ran));
    const deny: Hook = { beforeToolCall: () => ({ deny: 'x' }) };
    proc.addHook(deny).removeHook(deny);
    expect(proc.getHooks()).toEqual([]);
    await proc.run('find cats');
    expect(ran).toEqual([{ q: 'cats' }]);
  });

  it('addHook rejects an object without hook methods', async () => {
    const { proc } = await start(mockProgram(searchThenAnswer));
    expect(() => proc.addHook({})).toThrow(/beforeToolCall and\/or afterToolCall/);
  });
});

describe('children and builtin tools', () => {
  it('fork children inherit hooks: their tool calls are decided by the parent’s hooks', async () => {
    const ran: Record<string, unknown>[] = [];
    const program = mockProgram(
      [
        { toolCalls: [{ name: 'fork', args: { prompts: ['child task'] } }] },
        { when: 'child task', toolCalls: [{ name: 'search', args: { q: 'in child' } }] },
        { when: 'child task', text: 'child done' },
        { text: 'parent done' },
      ],
      ran,
    );
    const decided: [string, number][] = [];
    const { proc, payloads } = await start(program);
    proc.addHook({
      beforeToolCall: (call, context) => {
        decided.push([call.toolName, context.pid]);
        return call.toolName === 'search' ? { deny: 'not in children either' } : undefined;
      },
    });
    await proc.run('split the work');
    expect(ran).toEqual([]);
    expect(decided[0]).toEqual(['fork', proc.pid]);
    expect(decided[1]?.[0]).toBe('search');
    expect(decided[1]?.[1]).not.toBe(proc.pid);
    expect(toolResultsSent(payloads())[1]?.[0]?.content).toContain('child done');
    await expectValidConversation(proc);
  });

  it('spawn children inherit hooks', async () => {
    const ran: Record<string, unknown>[] = [];
    const program = mockProgram(
      [
        { toolCalls: [{ name: 'spawn', args: { prompt: 'child job' } }] },
        { when: 'child job', toolCalls: [{ name: 'search', args: { q: 'spawned' } }] },
        { when: 'child job', text: 'child finished' },
        { text: 'all done' },
      ],
      ran,
    );
    const { proc } = await start(program);
    proc.addHook({
      beforeToolCall: (call) => (call.toolName === 'search' ? { result: 'hooked' } : undefined),
    });
    const result = await proc.run('delegate');
    expect(ran).toEqual([]);
    expect(result.lastMessage).toBe('all done');
  });

  it('a denied fork makes no child, and a denied goto leaves the conversation alone', async () => {
    const program = mockProgram([
      { toolCalls: [{ name: 'fork', args: { prompts: ['x'] } }] },
      { toolCalls: [{ name: 'goto', args: { position: 'msg_0', message: 'restart' } }] },
      { text: 'fine' },
    ]);
    const { proc, rec } = await start(program);
    proc.addHook({ beforeToolCall: (call) => ({ deny: `${call.toolName} is off` }) });
    const result = await proc.run('go');
    expect(new Set(rec.events.map((e) => e.context.pid))).toEqual(new Set([proc.pid]));
    expect(result.toolCalls.map((c) => c.denyReason)).toEqual(['fork is off', 'goto is off']);
    expect(proc.getState().map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    await expectValidConversation(proc);
  });

  it('MCP tools go through hooks: a rewrite reaches the server', async () => {
    const program = LLMProgram.fromDict({
      model: { name: 'mock', provider: 'mock' },
      mcp: { servers: { srv: { type: 'stdio', command: process.execPath, args: [echoServer] } } },
      tools: { mcp: { srv: ['add'] } },
      mock: {
        turns: [{ tool_calls: [{ name: 'srv__add', args: { a: 2, b: 3 } }] }, { text: 'five' }],
      },
    });
    const { proc, rec } = await start(program);
    try {
      proc.addHook({ beforeToolCall: (call) => ({ args: { ...call.args, b: 40 } }) });
      await proc.run('add');
      const end = rec.events.find((e) => e.event === 'tool_end')?.args[1] as ToolResult;
      expect(end.content).toBe('42');
    } finally {
      await proc.close();
    }
  });
});
