import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsPerProcess } from '../../../test/support/trace-events.js';
import { forkingProgram } from '../../../test/support/trace-programs.js';
import { defineTool, LLMProgram, recordTo, type LLMProcess } from '../../index.js';
import { z } from 'zod';

let dir: string;
let recorded: string;
let recordedAnswer: string;

async function record(program: LLMProgram, input: string, file: string): Promise<string> {
  const recorder = recordTo(file);
  const proc = await program.start().addCallback(recorder);
  try {
    return (await proc.run(input)).lastMessage;
  } finally {
    await recorder.close();
    await proc.close();
  }
}

async function replayTo(
  proc: LLMProcess,
  input: string,
  file: string,
): Promise<{ answer: string; file: string }> {
  const recorder = recordTo(file);
  proc.addCallback(recorder);
  try {
    return { answer: (await proc.run(input)).lastMessage, file };
  } finally {
    await recorder.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'llmproc-replay-'));
  recorded = path.join(dir, 'run.jsonl');
  recordedAnswer = await record(forkingProgram({ stream: true }), 'do both', recorded);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('LLMProgram.fromTrace', () => {
  it('replays a run with fork children: the same events with the same arguments, and the same answer', async () => {
    const proc = await LLMProgram.fromTrace(recorded).start();
    const replay = await replayTo(proc, 'do both', path.join(dir, 'replay.jsonl'));
    expect(replay.answer).toBe(recordedAnswer);
    expect(eventsPerProcess(replay.file)).toEqual(eventsPerProcess(recorded));
    // Streaming was replayed as recorded: the text deltas are among the events compared above.
    expect(readFileSync(replay.file, 'utf8')).toContain('"name":"text_delta"');
  });

  it('answers tools from the trace with replayTools, without running them', async () => {
    let runs = 0;
    const clock = defineTool({
      name: 'clock',
      description: 'The time now',
      parameters: z.object({}),
      execute: () => `tick ${String(++runs)}`,
    });
    const program = new LLMProgram({
      model: 'mock',
      provider: 'mock',
      tools: [clock],
      mock: { turns: [{ toolCalls: [{ name: 'clock', args: {} }] }, { text: 'done' }] },
    });
    const file = path.join(dir, 'clock.jsonl');
    await record(program, 'what time is it?', file);
    expect(runs).toBe(1);

    // Without the code tool registered again, its calls are answered from the trace anyway.
    const replayed = await LLMProgram.fromTrace(file).start();
    const replay = await replayTo(
      replayed,
      'what time is it?',
      path.join(dir, 'clock-replay.jsonl'),
    );
    expect(replay.answer).toBe('done');
    expect(runs).toBe(1);
    expect(eventsPerProcess(replay.file)).toEqual(eventsPerProcess(file));

    // Registered again, the tool runs for real, unless replayTools says otherwise.
    const real = await LLMProgram.fromTrace(file).registerTools([clock]).start();
    await expect(real.run('what time is it?')).rejects.toThrow(
      /turn 2: the request differs at messages\[2\]\.content\[0\]\.content: recorded "tick 1", replayed "tick 2"/,
    );
    const answered = await LLMProgram.fromTrace(file, { replayTools: true })
      .registerTools([clock])
      .start();
    expect((await answered.run('what time is it?')).lastMessage).toBe('done');
    expect(runs).toBe(2);
  });

  it('fails naming the process, the turn and the first differing field when the input differs', async () => {
    const proc = await LLMProgram.fromTrace(recorded).start();
    const error: unknown = await proc.run('do neither').catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'REPLAY_DIVERGED',
      pid: 1,
      turn: 1,
      field: 'messages[0].content',
    });
    expect((error as Error).message).toBe(
      `Replay of ${recorded} left the recording in process 1 ("Mock mock"), turn 1: the request differs at messages[0].content: recorded "do both", replayed "do neither"`,
    );
  });

  it('names a child process when a fork child leaves the recording', async () => {
    // The recording of one child says it was asked something else than its parent asks it now.
    const lines = readFileSync(recorded, 'utf8').trimEnd().split('\n');
    const changed = path.join(dir, 'changed.jsonl');
    const edited = lines.map((line) =>
      line.includes('"name":"api_request"') && line.includes('"pid":2,')
        ? line.replaceAll('add numbers', 'add more numbers')
        : line,
    );
    writeFileSync(changed, `${edited.join('\n')}\n`);
    const proc = await LLMProgram.fromTrace(changed).start();
    const error: unknown = await proc.run('do both').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'REPLAY_DIVERGED', pid: 2, turn: 1 });
    expect((error as Error).message).toMatch(
      /^Replay of .* left the recording in process 2 \("Mock mock", a child of process 1\), turn 1: the request differs at messages\[3\]\.content\[1\]\.input\.prompts\[0\]: recorded "add more numbers", replayed "add numbers" \(and then process 1 /,
    );
  });

  it('fails when the replayed run makes more model calls than were recorded', async () => {
    const proc = await LLMProgram.fromTrace(recorded).start();
    await proc.run('do both');
    await expect(proc.run('and again')).rejects.toThrow(
      /left the recording in process 1 \("Mock mock"\), turn 4: the process makes model call 4, but the recording has 3/,
    );
  });

  it('refuses a trace without model exchanges', () => {
    const lines = readFileSync(recorded, 'utf8')
      .trimEnd()
      .split('\n')
      .filter((line) => !line.startsWith('{"type":"exchange"'));
    const file = path.join(dir, 'no-exchanges.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    expect(() => LLMProgram.fromTrace(file)).toThrow(
      `${file} has no model exchanges (no "exchange" lines), so there is nothing to replay`,
    );
  });
});
