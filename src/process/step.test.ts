import { describe, expect, it } from 'vitest';
import { recorder } from '../../test/support/recorder.js';
import { LLMProgram, type MockTurnOptions, type StepRunner } from '../index.js';

function program(turns: MockTurnOptions[], tools: string[]): LLMProgram {
  return new LLMProgram({ model: 'mock', provider: 'mock', tools, mock: { turns } });
}

/** A runner that records each step's name, options and (JSON) result, as a journal would. */
function journaling(): { step: StepRunner; journal: Map<string, unknown>; kinds: string[] } {
  const journal = new Map<string, unknown>();
  const kinds: string[] = [];
  const step: StepRunner = async (name, fn, options) => {
    kinds.push(options?.hasChildSteps === true ? `${name} (children)` : name);
    const result = await fn();
    if (options?.hasChildSteps !== true) journal.set(name, JSON.parse(JSON.stringify(result)));
    return result;
  };
  return { step, journal, kinds };
}

/** A runner that answers every step from `journal` without running it, as after a crash. */
function replaying(journal: Map<string, unknown>): StepRunner {
  const step = (name: string, fn: () => Promise<unknown>): Promise<unknown> =>
    journal.has(name) ? Promise.resolve(structuredClone(journal.get(name))) : fn();
  return Object.assign(step, { isReplaying: () => true }) as StepRunner;
}

const toolTurns: MockTurnOptions[] = [
  {
    text: 'Working.',
    toolCalls: [
      { name: 'write_stderr', args: { message: 'noted' } },
      { name: 'calculator', args: { expression: '6*7' } },
    ],
  },
  { text: 'It is 42.' },
];

describe('the step seam', () => {
  it('names every model call and tool call of a run deterministically', async () => {
    const { step, kinds } = journaling();
    const proc = await program(toolTurns, ['calculator', 'write_stderr']).start({ step });
    await proc.run('compute');
    expect(kinds).toEqual(['turn-1/model', 'turn-1/tool-0', 'turn-1/tool-1', 'turn-2/model']);
  });

  it("names a fork's children after the tool call that made them and marks that call as holding steps", async () => {
    const { step, kinds } = journaling();
    const proc = await program(
      [
        { toolCalls: [{ name: 'fork', args: { prompts: ['left', 'right'] } }] },
        { when: 'left', text: 'left done' },
        { when: 'right', text: 'right done' },
        { text: 'both done' },
      ],
      ['fork'],
    ).start({ step });
    const result = await proc.run('split the work');
    expect(result.lastMessage).toBe('both done');
    expect([...kinds].sort()).toEqual(
      [
        'turn-1/model',
        'turn-1/tool-0 (children)',
        'turn-1/tool-0/child-0/turn-1/model',
        'turn-1/tool-0/child-1/turn-1/model',
        'turn-2/model',
      ].sort(),
    );
  });

  it('replays a run from its journal without emitting its events, restoring what the tools did', async () => {
    const { step, journal } = journaling();
    const live = recorder();
    const first = await program(toolTurns, ['calculator', 'write_stderr'])
      .start({ step })
      .addCallback(live.callback);
    const original = await first.run('compute');
    expect(live.names()).toContain('tool_start');

    const replayed = recorder();
    const again = await program(toolTurns, ['calculator', 'write_stderr'])
      .start({ step: replaying(journal) })
      .addCallback(replayed.callback);
    const result = await again.run('compute');
    expect(replayed.names()).toEqual([]);
    expect(again.getState()).toEqual(first.getState());
    expect(again.getStderrLog()).toEqual(['noted']);
    const timeless = (json: object): object => ({
      ...json,
      durationMs: 0,
      startTime: 0,
      endTime: 0,
      runId: '',
    });
    expect(timeless(result.toJSON())).toEqual(timeless(original.toJSON()));
  });

  it('keeps the conversation a replayed goto made', async () => {
    const turns: MockTurnOptions[] = [
      { text: 'First answer.' },
      { toolCalls: [{ name: 'goto', args: { position: 'msg_0', message: 'Start over.' } }] },
      { text: 'After the jump.' },
    ];
    const { step, journal } = journaling();
    const first = await program(turns, ['goto']).start({ step });
    await first.run('one');
    await first.run('two');
    const again = await program(turns, ['goto']).start({ step: replaying(journal) });
    await again.run('one');
    // The second run's steps are journaled as turn-2/turn-3 of the same process.
    await again.run('two');
    expect(again.getState()).toEqual(first.getState());
  });
});
