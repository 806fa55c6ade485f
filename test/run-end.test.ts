/**
 * `run_end` and provenance: one `run_end` per run of every process, last, whatever the outcome, with
 * the RunResult's status; every event's context names its run, turn and tool call.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  defineTool,
  LLMProgram,
  type EventContext,
  type MockTurnOptions,
  type RunResult,
} from '../src/index.js';
import { recorder, type Observed } from './support/recorder.js';
import { loadFixture, withReplayServer } from './support/replay-server.js';

function mockProgram(
  turns: MockTurnOptions[],
  tools: Parameters<LLMProgram['registerTools']>[0] = [],
): LLMProgram {
  return new LLMProgram({ model: 'mock', provider: 'mock', tools, mock: { turns } });
}

function runEnds(events: Observed[]): { result: RunResult; context: EventContext }[] {
  return events
    .filter((e) => e.event === 'run_end')
    .map((e) => ({ result: e.args[0] as RunResult, context: e.context }));
}

describe('run_end', () => {
  it('is the last event of a run, once, with the RunResult that run() resolves with', async () => {
    const rec = recorder();
    const proc = await mockProgram(
      [{ toolCalls: [{ name: 'calculator', args: { expression: '1+1' } }] }, { text: 'two' }],
      ['calculator'],
    )
      .start()
      .addCallback(rec.callback);
    const result = await proc.run('add');
    expect(rec.names().at(-1)).toBe('run_end');
    const ends = runEnds(rec.events);
    expect(ends).toHaveLength(1);
    expect(ends[0]?.result).toBe(result);
    expect(result.status).toBe('completed');
    expect(result.error).toBeUndefined();
    expect(ends[0]?.context.turn).toBe(2);
    expect(result.endTime).not.toBeNull();
    expect(result.toJSON()).toMatchObject({ status: 'completed', runId: result.runId });
  });

  it('reports max_iterations when the run used all its model calls', async () => {
    const rec = recorder();
    const proc = await mockProgram(
      [
        { toolCalls: [{ name: 'calculator', args: { expression: '1+1' } }] },
        { toolCalls: [{ name: 'calculator', args: { expression: '2+2' } }] },
      ],
      ['calculator'],
    )
      .start()
      .addCallback(rec.callback);
    const result = await proc.run('add', 1);
    expect(result.status).toBe('max_iterations');
    expect(result.stopReason).toBe('max_iterations');
    expect(runEnds(rec.events)[0]?.result.status).toBe('max_iterations');
  });

  it('awaits async run_end callbacks before run() resolves', async () => {
    let saved = '';
    const proc = await mockProgram([{ text: 'done' }])
      .start()
      .addCallback({
        run_end: async (result) => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          saved = `${result.status}: ${result.lastMessage}`;
        },
      });
    await proc.run('go');
    expect(saved).toBe('completed: done');
  });

  it('is delivered with status aborted and the usage spent so far before an aborted run rejects', async () => {
    const controller = new AbortController();
    const stop = defineTool({
      name: 'stop',
      description: 'Aborts the run',
      parameters: z.object({}),
      execute: () => {
        controller.abort();
        return 'stopping';
      },
    });
    const delivered: RunResult[] = [];
    const proc = await mockProgram(
      [{ toolCalls: [{ name: 'stop', args: {} }] }, { text: 'never' }],
      [stop],
    )
      .start()
      .addCallback({
        run_end: async (result) => {
          await Promise.resolve();
          delivered.push(result);
        },
      });
    const error: unknown = await proc
      .run('go', { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ABORTED' });
    expect(delivered).toHaveLength(1);
    const result = delivered[0];
    expect(result?.status).toBe('aborted');
    expect(result?.error).toEqual({
      name: 'LlmprocError',
      message: 'The run was aborted',
      code: 'ABORTED',
    });
    expect(result?.apiCalls).toBe(1);
    expect(result?.usage.inputTokens).toBeGreaterThan(0);
    expect(result?.usage.inputTokens).toBe(result?.apiCallInfos[0]?.usage.inputTokens);
    expect(result?.toolCalls).toEqual([{ toolName: 'stop', args: {} }]);
    // The process can run again after the abort.
    const again = await proc.run('again');
    expect(again.status).toBe('completed');
  });

  it('is delivered with status error and the error before a failing run rejects (Anthropic over HTTP)', async () => {
    const failure = loadFixture('anthropic', 'error-401-authentication');
    const saved = process.env['ANTHROPIC_API_KEY'];
    process.env['ANTHROPIC_API_KEY'] = 'sk-test';
    try {
      await withReplayServer([failure], async (server) => {
        const rec = recorder();
        const proc = await new LLMProgram({
          model: 'claude-sonnet-4-5',
          provider: 'anthropic',
          baseUrl: server.url,
          parameters: { max_tokens: 64 },
        })
          .start()
          .addCallback(rec.callback);
        const error: unknown = await proc.run('hello').catch((e: unknown) => e);
        expect(error).toMatchObject({ name: 'ProviderError', status: 401 });
        expect(rec.names()).toEqual(['turn_start', 'api_request', 'run_end']);
        const result = runEnds(rec.events)[0]?.result;
        expect(result?.status).toBe('error');
        expect(result?.error).toEqual({
          name: 'ProviderError',
          message: (error as Error).message,
          code: 'PROVIDER_ERROR',
        });
        expect(result?.apiCalls).toBe(0);
        expect(JSON.stringify(result)).not.toContain('sk-test');
        await proc.close();
      });
    } finally {
      if (saved === undefined) delete process.env['ANTHROPIC_API_KEY'];
      else process.env['ANTHROPIC_API_KEY'] = saved;
    }
  });

  it('comes from each fork child too, and the parent run counts the children’s tokens', async () => {
    const rec = recorder();
    const parent = await mockProgram(
      [
        { toolCalls: [{ name: 'fork', args: { prompts: ['a', 'b'] } }] },
        { when: 'a', text: 'A' },
        { when: 'b', text: 'B' },
        { text: 'end' },
      ],
      ['fork'],
    )
      .start()
      .addCallback(rec.callback);
    const result = await parent.run('go');
    const ends = runEnds(rec.events);
    expect(ends.map((e) => e.context.pid === parent.pid)).toEqual([false, false, true]);
    expect(ends.at(-1)?.result).toBe(result);
    const children = ends.slice(0, 2).map((e) => e.result);
    const own = result.apiCallInfos.reduce((sum, info) => sum + info.usage.inputTokens, 0);
    const childTokens = children.reduce((sum, child) => sum + child.usage.inputTokens, 0);
    expect(childTokens).toBeGreaterThan(0);
    expect(result.usage.inputTokens).toBe(own + childTokens);
  });
});

describe('provenance in the EventContext', () => {
  it('names the run, the turn and the tool call of each event', async () => {
    const rec = recorder();
    const proc = await mockProgram(
      [
        {
          toolCalls: [
            { name: 'write_stderr', args: { message: 'note' } },
            { name: 'calculator', args: { expression: '6*7' } },
          ],
        },
        { text: 'done' },
      ],
      ['write_stderr', 'calculator'],
    )
      .start()
      .addCallback(rec.callback);
    const first = await proc.run('go');
    const second = await proc.run('again');
    expect(first.runId).not.toBe(second.runId);
    const firstEvents = rec.events.filter((e) => e.context.runId === first.runId);
    expect(firstEvents.map((e) => `${e.event}@${String(e.context.turn)}`)).toEqual([
      'turn_start@1',
      'api_request@1',
      'api_response@1',
      'tool_start@1',
      'stderr_write@1',
      'tool_end@1',
      'tool_start@1',
      'tool_end@1',
      'turn_end@1',
      'turn_start@2',
      'api_request@2',
      'api_response@2',
      'response@2',
      'turn_end@2',
      'run_end@2',
    ]);
    const reply = firstEvents.find((e) => e.event === 'api_response')?.args[0] as {
      content: { type: string; id?: string }[];
    };
    const callIds = reply.content.filter((b) => b.type === 'tool_use').map((b) => b.id);
    expect(callIds).toHaveLength(2);
    const inTools = firstEvents.filter((e) => e.context.toolUseId !== undefined);
    expect(inTools.map((e) => [e.event, e.context.toolUseId])).toEqual([
      ['tool_start', callIds[0]],
      ['stderr_write', callIds[0]],
      ['tool_end', callIds[0]],
      ['tool_start', callIds[1]],
      ['tool_end', callIds[1]],
    ]);
    expect(rec.events.filter((e) => e.context.runId === second.runId)).toHaveLength(6);
    expect(rec.events.every((e) => e.context.parentToolUseId === undefined)).toBe(true);
  });

  it('gives events between runs no run, turn or tool call', async () => {
    const rec = recorder();
    const proc = await mockProgram([{ text: 'hi' }])
      .start()
      .addCallback(rec.callback);
    proc.writeStderr('outside');
    expect(rec.events[0]?.context).toMatchObject({
      runId: undefined,
      turn: undefined,
      toolUseId: undefined,
    });
    expect(Object.keys(JSON.parse(JSON.stringify(rec.events[0]?.context)) as object)).toEqual([
      'pid',
      'seq',
      'time',
    ]);
  });

  it("stamps every event of a fork tool's child with the fork call's id as parentToolUseId", async () => {
    const rec = recorder();
    const parent = await mockProgram(
      [
        { toolCalls: [{ name: 'fork', args: { prompts: ['a'] } }] },
        { when: 'a', toolCalls: [{ name: 'calculator', args: { expression: '1+2' } }] },
        { when: 'a', text: 'A' },
        { text: 'end' },
      ],
      ['fork', 'calculator'],
    )
      .start()
      .addCallback(rec.callback);
    const result = await parent.run('go');
    const forkStart = rec.events.find((e) => e.event === 'tool_start' && e.args[0] === 'fork');
    const forkCallId = forkStart?.context.toolUseId;
    expect(forkCallId).toEqual(expect.any(String));
    const childEvents = rec.events.filter((e) => e.context.pid !== parent.pid);
    expect(childEvents.length).toBe(12);
    expect(childEvents.every((e) => e.context.parentToolUseId === forkCallId)).toBe(true);
    expect(childEvents.every((e) => e.context.parentPid === parent.pid)).toBe(true);
    const childRunIds = new Set(childEvents.map((e) => e.context.runId));
    expect(childRunIds.size).toBe(1);
    expect(childRunIds.has(result.runId)).toBe(false);
    const childCalc = childEvents.find((e) => e.event === 'tool_start');
    expect(childCalc?.context.toolUseId).toEqual(expect.any(String));
    expect(childCalc?.context.toolUseId).not.toBe(forkCallId);
    const serialized = JSON.parse(JSON.stringify(childCalc?.context)) as Record<string, unknown>;
    expect(Object.keys(serialized)).toEqual([
      'pid',
      'parentPid',
      'seq',
      'time',
      'runId',
      'turn',
      'toolUseId',
      'parentToolUseId',
    ]);
  });

  it('gives a forkProcess() child made outside a tool call no parentToolUseId', async () => {
    const rec = recorder();
    const parent = await mockProgram([{ text: 'p' }, { text: 'c' }])
      .start()
      .addCallback(rec.callback);
    await parent.run('go');
    const child = await parent.forkProcess();
    await child.run('child');
    const childEvents = rec.events.filter((e) => e.context.pid === child.pid);
    expect(childEvents.map((e) => e.event).at(-1)).toBe('run_end');
    expect(childEvents.every((e) => e.context.parentToolUseId === undefined)).toBe(true);
  });
});
