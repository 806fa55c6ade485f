import { describe, expect, it } from 'vitest';
import { LLMProgram, type ProgramOptions } from '../index.js';
import {
  EventPrinter,
  formatCost,
  formatDuration,
  formatSummary,
  plural,
  shorten,
} from './event-printer.js';

async function printedLines(
  options: Omit<ProgramOptions, 'model' | 'provider'>,
  color = false,
): Promise<string[]> {
  const lines: string[] = [];
  const program = new LLMProgram({ model: 'mock', provider: 'mock', ...options });
  const proc = await program
    .start()
    .addCallback(new EventPrinter({ write: (line) => lines.push(line), color }));
  await proc.run('go');
  await proc.close();
  // Durations vary from run to run.
  return lines.map((line) =>
    line.replace(/ \d+(\.\d)?(ms|s) → /, ' <t> → ').replace(/, \d+(\.\d)?(ms|s), /, ', <t>, '),
  );
}

describe('EventPrinter', () => {
  it('prints turns, responses, tool starts and ends with durations, and stderr writes', async () => {
    const lines = await printedLines({
      tools: ['calculator', 'write_stderr'],
      mock: {
        turns: [
          {
            text: 'Computing.',
            toolCalls: [
              { name: 'calculator', args: { expression: '6*7' } },
              { name: 'write_stderr', args: { message: 'note\nwith a newline' } },
              { name: 'calculator', args: { expression: '1/0' } },
            ],
          },
          { text: 'It is 42.' },
        ],
      },
    });
    expect(lines).toEqual([
      'turn 1',
      '  text: Computing.',
      '  tool: calculator {"expression":"6*7"}',
      '  done: calculator <t> → 42',
      '  tool: write_stderr {"message":"note\\nwith a newline"}',
      '  stderr: note with a newline',
      '  done: write_stderr <t> → written',
      '  tool: calculator {"expression":"1/0"}',
      '  fail: calculator <t> → Calculation error: Error evaluating expression: division by zero',
      'turn 2',
      '  text: It is 42.',
      'completed: 2 turns, 3 tool calls, 166 in / 91 out tokens, $0.0000, <t>, stop: end_turn',
    ]);
  });

  it('indents the lines of fork children and tags them with their pid', async () => {
    const lines = await printedLines({
      tools: ['fork', 'calculator'],
      mock: {
        turns: [
          { toolCalls: [{ name: 'fork', args: { prompts: ['child A'] } }] },
          { when: 'child A', toolCalls: [{ name: 'calculator', args: { expression: '2+2' } }] },
          { when: 'child A', text: 'A done' },
          { text: 'parent done' },
        ],
      },
    });
    const childLines = lines.filter((line) => line.includes('[pid '));
    const pid = /\[pid (\d+)\]/.exec(childLines[0] ?? '')?.[1];
    expect(lines).toEqual([
      'turn 1',
      '  tool: fork {"prompts":["child A"]}',
      `  [pid ${String(pid)}] turn 1`,
      `  [pid ${String(pid)}]   tool: calculator {"expression":"2+2"}`,
      `  [pid ${String(pid)}]   done: calculator <t> → 4`,
      `  [pid ${String(pid)}] turn 2`,
      `  [pid ${String(pid)}]   text: A done`,
      '  done: fork <t> → [{"id":0,"message":"A done"}]',
      'turn 2',
      '  text: parent done',
      // The parent's tokens include its fork child's run; the child's own summary is not printed.
      'completed: 2 turns, 1 tool call, 266 in / 65 out tokens, $0.0000, <t>, stop: end_turn',
    ]);
  });

  it('colours the labels when asked to', async () => {
    const lines = await printedLines({ mock: { turns: [{ text: 'hi' }] } }, true);
    expect(lines).toEqual([
      '\u001b[1mturn 1\u001b[22m',
      '  \u001b[35mtext:\u001b[39m hi',
      '\u001b[2mcompleted: 1 turn, 0 tool calls, 1 in / 8 out tokens, $0.0000, <t>, stop: end_turn\u001b[22m',
    ]);
  });

  it('shortens long arguments and results to one line', async () => {
    const long = 'x'.repeat(200);
    const lines = await printedLines({
      tools: ['write_stderr'],
      mock: {
        turns: [{ toolCalls: [{ name: 'write_stderr', args: { message: long } }] }, { text: 'ok' }],
      },
    });
    const toolLine = lines.find((line) => line.startsWith('  tool:')) ?? '';
    expect(toolLine).toBe(`  tool: write_stderr ${`{"message":"${long}`.slice(0, 79)}…`);
  });
});

describe('formatting helpers', () => {
  it('counts with the singular for one and the plural otherwise', () => {
    expect(plural(1, 'turn')).toBe('1 turn');
    expect(plural(0, 'turn')).toBe('0 turns');
    expect(plural(1, 'process', 'processes')).toBe('1 process');
    expect(plural(3, 'process', 'processes')).toBe('3 processes');
  });

  it('collapses whitespace and cuts with an ellipsis', () => {
    expect(shorten('a\n\n b  c', 10)).toBe('a b c');
    expect(shorten('abcdefghij', 5)).toBe('abcd…');
  });

  it('formats costs for people, and says when a cost is unknown', () => {
    expect(formatCost(0.00123)).toBe('$0.0012');
    expect(formatCost(0)).toBe('$0.0000');
    expect(formatCost(12.345)).toBe('$12.35');
    expect(formatCost(null)).toBe('cost unknown');
  });

  it('formats durations for people', () => {
    expect(formatDuration(0.42)).toBe('0.4ms');
    expect(formatDuration(12.3)).toBe('12ms');
    expect(formatDuration(1500)).toBe('1.5s');
  });

  it('sums up a run in one line', () => {
    expect(
      formatSummary(
        {
          lastMessage: 'x',
          apiCalls: 1,
          apiCallInfos: [],
          toolCalls: [{ toolName: 'calculator', args: {} }],
          usage: {
            inputTokens: 10,
            outputTokens: 5,
            cacheReadTokens: 0,
            cacheWriteTokens: 0,
            reasoningTokens: 0,
            totalTokens: 15,
            costUsd: 0.0012,
          },
          durationMs: 12,
          stopReason: 'end_turn',
          status: 'completed',
          runId: 'r1',
          startTime: 0,
          endTime: 12,
        },
        2,
      ),
    ).toBe('completed: 2 turns, 1 tool call, 10 in / 5 out tokens, $0.0012, 12ms, stop: end_turn');
  });
});
