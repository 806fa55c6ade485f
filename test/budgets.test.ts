/**
 * Budgets through whole processes on the mock provider: each budget stops a run mid-way at a step
 * boundary, with whole turns, the right stop reason, a valid conversation, and a process that runs
 * again; a fork child's spending counts against its parent's run.
 */
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineTool, LLMProgram, type MockTurnOptions } from '../src/index.js';
import { recorder } from './support/recorder.js';
import { expectValidConversation } from './support/conversation-invariant.js';

const usage = { inputTokens: 60, outputTokens: 40 }; // 100 tokens a call

function toolTurn(expression: string, when?: string): MockTurnOptions {
  return {
    toolCalls: [{ name: 'calculator', args: { expression } }],
    usage,
    ...(when === undefined ? {} : { when }),
  };
}

function program(turns: MockTurnOptions[], extra: Record<string, unknown> = {}): LLMProgram {
  return new LLMProgram({
    model: 'mock',
    provider: 'mock',
    tools: ['calculator', 'fork'],
    mock: { turns, fallbackText: 'continued' },
    ...extra,
  });
}

describe('maxTokens', () => {
  it('stops at the next step boundary with whole turns, and another run() continues', async () => {
    const rec = recorder();
    const proc = await program([toolTurn('1+1'), toolTurn('2+2'), toolTurn('3+3')])
      .start()
      .addCallback(rec.callback);
    const result = await proc.run('go', { maxTokens: 150 });
    expect([result.status, result.stopReason]).toEqual(['budget', 'budget:tokens']);
    // Turn 1 (100 tokens) ran its tool; turn 2 reached 200, so its call was answered, not run.
    expect(result.apiCalls).toBe(2);
    expect(result.toolCalls.map((c) => c.args)).toEqual([{ expression: '1+1' }]);
    const state = proc.getState();
    expect(state.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
    const last = state.at(-1);
    expect(typeof last?.content === 'string' ? [] : last?.content).toEqual([
      {
        type: 'tool_result',
        tool_use_id: 'toolu_mock_1_0',
        content: 'Not run: the run reached its token budget',
        is_error: true,
      },
    ]);
    expect(rec.names().filter((n) => n === 'tool_start')).toHaveLength(1);
    expect(rec.names().at(-1)).toBe('run_end');
    const again = await expectValidConversation(proc);
    expect(again?.status).toBe('max_iterations');
  });
});

describe('timeoutMs', () => {
  it('aborts a tool still running at the deadline, drops the unfinished turn, and resolves', async () => {
    let sawAbort = false;
    const slow = defineTool({
      name: 'slow',
      description: 'waits',
      parameters: z.object({}),
      execute: async (_args, context) => {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 20_000);
          context.signal?.addEventListener('abort', () => {
            sawAbort = true;
            clearTimeout(timer);
            resolve();
          });
        });
        return sawAbort ? 'interrupted' : 'finished';
      },
    });
    const proc = await new LLMProgram({
      model: 'mock',
      provider: 'mock',
      tools: [slow],
      mock: { turns: [{ toolCalls: [{ name: 'slow', args: {} }] }, { text: 'never' }] },
    }).start();
    const rec = recorder();
    proc.addCallback(rec.callback);
    const result = await proc.run('go', { timeoutMs: 50 });
    expect(sawAbort).toBe(true);
    expect([result.status, result.stopReason, result.apiCalls]).toEqual([
      'budget',
      'budget:time',
      1,
    ]);
    // Like a caller's abort, the deadline does not wait for the tool: the turn in flight is dropped
    // (whole turns only), the input stays, and the tool's late result is never reported.
    expect(rec.events.map((e) => e.event)).not.toContain('tool_end');
    expect(proc.getState().map((m) => m.role)).toEqual(['user']);
    await expectValidConversation(proc);
  });
});

describe('maxCostUsd', () => {
  it('refuses a cost budget for a model without a price before any call', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', 'sk-test-never-sent');
    try {
      const proc = await new LLMProgram({
        model: 'claude-no-such-model',
        provider: 'anthropic',
      }).start();
      // Rejected before any request: no server exists for this client to reach.
      await expect(proc.run('go', { maxCostUsd: 1 })).rejects.toThrow(/maxCostUsd needs a price/);
      expect(proc.getState()).toEqual([]);
      await proc.close();
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('children spend from the budget of the run that made them', () => {
  it("a fork child's tokens stop the child and then the parent", async () => {
    const proc = await program([
      {
        toolCalls: [{ name: 'fork', args: { prompts: ['child task'] } }],
        usage: { inputTokens: 5, outputTokens: 5 },
      },
      toolTurn('7*8', 'child task'),
      { when: 'child task', text: 'child done', usage },
      toolTurn('1+1'),
    ]).start();
    const rec = recorder();
    proc.addCallback(rec.callback);
    const result = await proc.run('split', { maxTokens: 50 });
    expect([result.status, result.stopReason]).toEqual(['budget', 'budget:tokens']);
    // The parent made one call (10 tokens); the child's first call (100) spent the rest.
    expect(result.apiCalls).toBe(1);
    expect(result.usage.inputTokens + result.usage.outputTokens).toBe(110);
    const childEnds = rec.events.filter((e) => e.event === 'run_end' && e.context.pid !== proc.pid);
    expect(childEnds.map((e) => (e.args[0] as { stopReason: string }).stopReason)).toContain(
      'budget:tokens',
    );
    // The child's calculator call was answered as not run: no tool_start for it.
    expect(rec.events.filter((e) => e.event === 'tool_start').map((e) => e.args[0])).toEqual([
      'fork',
    ]);
    await expectValidConversation(proc);
  });
});

describe('program defaults and bad limits', () => {
  it('reads a [budget] table; run options override it key by key', async () => {
    const proc = await LLMProgram.fromDict({
      model: { name: 'mock', provider: 'mock' },
      tools: { builtin: ['calculator'] },
      budget: { max_tokens: 150, timeout_ms: 60_000 },
      mock: { turns: [toolTurn('1+1'), toolTurn('2+2'), toolTurn('3+3'), { text: 'done' }] },
    }).start();
    const byDefault = await proc.run('go');
    expect(byDefault.stopReason).toBe('budget:tokens');
    const overridden = await proc.run('more', { maxTokens: 10_000 });
    expect(overridden.status).toBe('completed');
  });

  it('takes budget defaults in code', async () => {
    const proc = await program([toolTurn('1+1'), toolTurn('2+2')], {
      budget: { maxTokens: 100 },
    }).start();
    expect((await proc.run('go')).stopReason).toBe('budget:tokens');
  });

  it('rejects a limit that is not positive, before any model call', async () => {
    const proc = await program([{ text: 'hi' }]).start();
    await expect(proc.run('go', { maxTokens: 0 })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: 'run(): maxTokens must be a positive integer; got 0',
    });
    await expect(proc.run('go', { timeoutMs: 1.5 })).rejects.toThrow(
      'timeoutMs must be a positive integer',
    );
    expect(proc.getState()).toEqual([]);
    expect(() =>
      LLMProgram.fromDict({
        model: { name: 'mock', provider: 'mock' },
        budget: { max_cost_usd: -1 },
      }),
    ).toThrow(/budget\.max_cost_usd/);
  });
});
