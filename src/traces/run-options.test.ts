/**
 * Run options in a trace: a run's `output`, budgets, `maxIterations` and `stream` are written with
 * its input, and a replay runs with them when it is given none, so it ends as the recorded run did.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { expectValidConversation } from '../../test/support/conversation-invariant.js';
import {
  LLMProgram,
  readTrace,
  recordTo,
  type MockTurnOptions,
  type RunOptions,
} from '../index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'llmproc-run-options-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const usage = { inputTokens: 60, outputTokens: 40 };

function mockProgram(turns: MockTurnOptions[]): LLMProgram {
  return new LLMProgram({
    model: 'mock',
    provider: 'mock',
    tools: ['calculator'],
    mock: { turns, fallbackText: 'continued' },
  });
}

/** Run `input` with `options`, recording to a new trace; the result and the trace's path. */
async function recordRun(program: LLMProgram, input: string, options: RunOptions, name: string) {
  const file = path.join(dir, `${name}.jsonl`);
  const recorder = recordTo(file);
  const proc = await program.start().addCallback(recorder);
  try {
    const result = await proc.run(input, options);
    return { result, state: proc.getState(), file };
  } finally {
    await recorder.close();
    await proc.close();
  }
}

const invoice = z.object({ total: z.number(), currency: z.string() }).meta({ title: 'Invoice' });
const toolTurn = (expression: string): MockTurnOptions => ({
  toolCalls: [{ name: 'calculator', args: { expression } }],
  usage,
});

describe('run options in a trace', () => {
  it('records a zod output schema as its JSON Schema, and a replay gives the same RunResult.output', async () => {
    const { result, file } = await recordRun(
      mockProgram([toolTurn('40+2'), { text: '{"total": 42, "currency": "EUR"}' }]),
      'Extract the invoice',
      { output: invoice, outputRetries: 2 },
      'output',
    );
    expect(result.output).toEqual({ total: 42, currency: 'EUR' });
    expect(readTrace(file).inputs[0]?.options).toEqual({
      outputRetries: 2,
      output: {
        title: 'Invoice',
        type: 'object',
        properties: { total: { type: 'number' }, currency: { type: 'string' } },
        required: ['total', 'currency'],
        additionalProperties: false,
      },
    });

    const proc = await LLMProgram.fromTrace(file, { replayTools: true }).start();
    const replayed = await proc.run('Extract the invoice');
    expect(replayed.output).toEqual(result.output);
    expect(replayed.toJSON().output).toEqual({ total: 42, currency: 'EUR' });
    await expectValidConversation(proc, { runAgain: false });
    await proc.close();
  });

  it('replays a run that stopped at its token budget: the same stop, calls and tool calls', async () => {
    const { result, state, file } = await recordRun(
      mockProgram([toolTurn('1+1'), toolTurn('2+2'), toolTurn('3+3')]),
      'go',
      { maxTokens: 150, timeoutMs: 600_000 },
      'budget',
    );
    expect([result.status, result.stopReason, result.apiCalls]).toEqual([
      'budget',
      'budget:tokens',
      2,
    ]);
    expect(readTrace(file).inputs[0]?.options).toEqual({ maxTokens: 150, timeoutMs: 600_000 });

    const proc = await LLMProgram.fromTrace(file).start();
    const replayed = await proc.run('go');
    expect([replayed.status, replayed.stopReason, replayed.apiCalls]).toEqual([
      'budget',
      'budget:tokens',
      2,
    ]);
    expect(replayed.toolCalls).toEqual(result.toolCalls);
    // The same whole turns: the call past the budget answered "Not run", as recorded.
    expect(proc.getState()).toEqual(state);
    await expectValidConversation(proc, { runAgain: false });
    await proc.close();
  });

  it('replays each run with its own options: maxIterations, then streaming', async () => {
    const program = mockProgram([toolTurn('1+1'), toolTurn('2+2'), { text: 'Done.' }]);
    const file = path.join(dir, 'two-runs.jsonl');
    const recorder = recordTo(file);
    const proc = await program.start().addCallback(recorder);
    const first = await proc.run('go', 1);
    const second = await proc.run('go on', { stream: true });
    await recorder.close();
    await proc.close();
    expect([first.status, second.status]).toEqual(['max_iterations', 'completed']);
    expect(readTrace(file).inputs.map((input) => input.options)).toEqual([
      { maxIterations: 1 },
      { stream: true },
    ]);

    const replay = await LLMProgram.fromTrace(file).start();
    const deltas: string[] = [];
    replay.addCallback({ text_delta: (delta: string) => void deltas.push(delta) });
    expect((await replay.run('go')).status).toBe('max_iterations');
    expect(deltas).toEqual([]);
    const again = await replay.run('go on');
    expect([again.status, again.lastMessage]).toEqual(['completed', second.lastMessage]);
    expect(deltas.join('')).toBe('Done.');
    await replay.close();
  });

  it('lets options given to a replayed run() override the recorded ones', async () => {
    const { file } = await recordRun(
      mockProgram([toolTurn('1+1'), { text: 'Two.' }]),
      'add',
      { maxIterations: 1 },
      'override',
    );
    const proc = await LLMProgram.fromTrace(file).start();
    // The recorded run stopped after one call; given more, the replay wants a second the trace lacks.
    await expect(proc.run('add', { maxIterations: 5 })).rejects.toMatchObject({
      code: 'REPLAY_DIVERGED',
    });
    await proc.close();
  });
});
