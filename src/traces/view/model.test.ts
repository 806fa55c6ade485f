import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigTraceText } from '../../../test/support/big-trace.js';
import { forkingProgram } from '../../../test/support/trace-programs.js';
import { traceText } from '../../../test/support/trace-text.js';
import { recordTo } from '../../index.js';
import { parseTrace, readTrace } from '../read.js';
import { buildViewModel, maxViewTextChars, type ViewModel } from './model.js';

let dir: string;
let view: ViewModel;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'llmproc-view-model-'));
  const file = path.join(dir, 'fork.jsonl');
  const recorder = recordTo(file);
  const proc = await forkingProgram().start();
  proc.addCallback(recorder);
  await proc.run('do both');
  await recorder.close();
  view = buildViewModel(readTrace(file));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function traceOf(...lines: object[]): string {
  return traceText(lines);
}

const t0 = Date.parse('2026-01-01T00:00:00.000Z');
function event(seq: number, name: string, args: unknown[], extra: object = {}): object {
  return { type: 'event', seq, time: t0 + seq * 10, pid: 1, name, args, ...extra };
}

describe('buildViewModel', () => {
  it('puts fork children in the tree under their parent and under the fork call that made them', () => {
    expect(view.processes.map((p) => [p.pid, p.parentPid, p.turns.length])).toEqual([
      [1, null, 3],
      [2, 1, 2],
      [3, 1, 2],
    ]);
    const fork = view.processes[0]?.turns[1]?.tools[0];
    expect(fork).toMatchObject({ name: 'fork', childPids: [2, 3], isError: false });
    expect(fork?.args).toBe('{\n  "prompts": [\n    "add numbers",\n    "write a note"\n  ]\n}');
  });

  it("gives each turn its texts, tool calls with results, model call and the run's usage", () => {
    const [first, , last] = view.processes[0]?.turns ?? [];
    expect(first).toMatchObject({
      turn: 1,
      input: 'do both',
      texts: ['Checking first.'],
      stopReason: 'tool_use',
      costUsd: 0,
      error: null,
    });
    expect(first?.tools).toMatchObject([
      { name: 'calculator', args: '{\n  "expression": "1/"\n}', isError: true },
    ]);
    expect(first?.tools[0]?.result).toMatch(/^Calculation error: /);
    expect(first?.modelMs).toBeGreaterThanOrEqual(0);
    expect(first?.modelStartMs).toBeGreaterThanOrEqual(first?.startMs ?? Infinity);
    expect(first?.usage?.outputTokens).toBeGreaterThan(0);
    expect(last?.texts).toEqual(['Both children finished: 42 and a note.']);
    // The input shows on the first turn of the run only; children get theirs from the fork call.
    expect(view.processes.flatMap((p) => p.turns.map((turn) => turn.input))).toEqual([
      'do both',
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(last?.stopReason).toBe('end_turn');
  });

  it('totals turns, tool calls, errors and usage over every process', () => {
    const turns = view.processes.flatMap((p) => p.turns);
    expect(view.totals).toMatchObject({ turns: 7, toolCalls: 4, errors: 1, costUsd: 0 });
    expect(view.totals.usage.inputTokens).toBe(
      turns.reduce((sum, turn) => sum + (turn.usage?.inputTokens ?? 0), 0),
    );
    expect(view.durationMs).toBe(Math.max(...view.processes.map((p) => p.endMs)));
  });

  it('marks a failed run and the model call that never answered', () => {
    const trace = parseTrace(
      traceOf(
        event(1, 'turn_start', [{ $process: 1 }]),
        event(2, 'api_request', [{ model: 'm' }]),
        event(3, 'run_end', [
          { status: 'error', error: { name: 'ProviderError', message: 'overloaded' } },
        ]),
      ),
      'failed.jsonl',
    );
    const [proc] = buildViewModel(trace).processes;
    expect(proc?.errors).toEqual(['Run error: overloaded']);
    expect(proc?.turns[0]).toMatchObject({
      modelStartMs: 20,
      modelMs: null,
      error: 'Run error: overloaded',
    });
    expect(buildViewModel(trace).totals.errors).toBe(1);
  });

  it('matches tool results to calls by id when tools run at once and end out of order', () => {
    const trace = parseTrace(
      traceOf(
        event(1, 'turn_start', [{ $process: 1 }]),
        event(2, 'tool_start', ['slow', {}], { toolUseId: 'a' }),
        event(3, 'tool_start', ['fast', {}], { toolUseId: 'b' }),
        event(4, 'tool_end', ['fast', { content: 'fast done', isError: false }], {
          toolUseId: 'b',
        }),
        event(5, 'tool_end', ['slow', { content: 'slow done', isError: false }], {
          toolUseId: 'a',
        }),
      ),
      'parallel.jsonl',
    );
    const tools = buildViewModel(trace).processes[0]?.turns[0]?.tools;
    expect(tools?.map((tool) => [tool.name, tool.result, tool.durationMs])).toEqual([
      ['slow', 'slow done', 30],
      ['fast', 'fast done', 10],
    ]);
  });

  it('cuts a huge tool result short and says how much was left out', () => {
    const huge = 'x'.repeat(maxViewTextChars + 500);
    const trace = parseTrace(
      traceOf(
        event(1, 'turn_start', [{ $process: 1 }]),
        event(2, 'tool_start', ['read', {}], { toolUseId: 'a' }),
        event(3, 'tool_end', ['read', { content: huge, isError: false }], { toolUseId: 'a' }),
      ),
      'huge.jsonl',
    );
    const result = buildViewModel(trace).processes[0]?.turns[0]?.tools[0]?.result ?? '';
    expect(result.length).toBeLessThan(maxViewTextChars + 100);
    expect(result.endsWith('\n… (500 more characters in the trace)')).toBe(true);
  });

  it('reads a trace of 10,000 events into every turn and tool call', () => {
    const model = buildViewModel(parseTrace(bigTraceText(10_000), 'big.jsonl'));
    const parent = model.processes[0];
    expect(parent?.turns.length).toBe(1427);
    expect(model.totals.toolCalls).toBe(1428);
    // Every tenth turn's calculator call fails.
    expect(model.totals.errors).toBe(142);
    expect(parent?.turns[0]?.tools[1]?.childPids).toEqual([2]);
  });
});
