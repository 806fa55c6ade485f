/**
 * A synthetic trace of a given size, written line by line as the recorder writes them: a parent whose
 * turns each call two tools (one fails every tenth turn), and a forked child. For the view's
 * large-trace tests, where recording a real run of that size would only cost time.
 */
import type { TraceLine } from '../../src/index.js';
import type { JsonValue } from '../../src/traces/json-safe.js';

/** Trace text with about `events` events (a multiple of 7 per parent turn, plus the child's). */
export function bigTraceText(events: number): string {
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  const lines: TraceLine[] = [
    {
      type: 'header',
      format: 'llmproc-trace',
      version: 1,
      llmprocVersion: '0.0.0-test',
      startTime: new Date(start).toISOString(),
      programs: { main: { model: 'mock', provider: 'mock' } },
    },
  ];
  let seq = 0;
  let time = start;
  const processLine = (pid: number, parentPid?: number): TraceLine => ({
    type: 'process',
    pid,
    ...(parentPid === undefined ? {} : { parentPid }),
    displayName: pid === 1 ? 'Big parent' : 'Big child',
    model: 'mock',
    provider: 'mock',
    systemPrompt: 'You are big.',
    tools: [],
  });
  const event = (pid: number, name: string, args: JsonValue[], extra = {}): number => {
    seq++;
    time += 3;
    lines.push({ type: 'event', seq, time, pid, name, args, turn: 1, ...extra });
    return seq;
  };
  lines.push(processLine(1));
  const turns = Math.max(1, Math.floor((events - 9) / 7));
  for (let turn = 1; turn <= turns; turn++) {
    event(1, 'turn_start', [{ $process: 1 }]);
    const request = event(1, 'api_request', [{ model: 'mock', turn }]);
    const response = event(1, 'api_response', [{ id: `msg_${String(turn)}` }]);
    lines.push({
      type: 'exchange',
      pid: 1,
      turn,
      provider: 'mock',
      model: 'mock',
      requestSeq: request,
      responseSeq: response,
      startTime: time - 3,
      endTime: time,
      durationMs: 3,
    });
    const failed = turn % 10 === 0;
    const id = `toolu_${String(turn)}`;
    event(1, 'tool_start', ['calculator', { expression: `${String(turn)}*2` }], { toolUseId: id });
    event(
      1,
      'tool_end',
      ['calculator', { content: failed ? 'Error: bad' : String(turn * 2), isError: failed }],
      { toolUseId: id },
    );
    event(1, 'response', [`Turn ${String(turn)} done.`]);
    event(1, 'turn_end', [{ $process: 1 }]);
    if (turn === 1) {
      event(1, 'tool_start', ['fork', { prompts: ['child work'] }], { toolUseId: 'toolu_fork' });
      lines.push(processLine(2, 1));
      const child = { parentPid: 1, parentToolUseId: 'toolu_fork' };
      event(2, 'turn_start', [{ $process: 2 }], child);
      event(2, 'response', ['Child done.'], child);
      event(2, 'turn_end', [{ $process: 2 }], child);
      event(1, 'tool_end', ['fork', { content: 'Child done.', isError: false }], {
        toolUseId: 'toolu_fork',
      });
    }
  }
  return `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`;
}
