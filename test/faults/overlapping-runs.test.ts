/**
 * Item 2 of the hardening issue: runs on one process are strictly one at a time; a run holds the
 * process until its callbacks have settled; its RunResult is built from its own data; a later run
 * never waits for an earlier run's callbacks; `callbackTimeoutMs` is the way out of a callback that
 * never settles.
 */
import { describe, expect, it } from 'vitest';
import { LLMProgram, LlmprocError, type EventContext } from '../../src/index.js';
import { expectValidConversation } from '../support/conversation-invariant.js';
import { failOnUnhandledRejections } from '../support/unhandled-rejections.js';
import { forkingProgram } from '../support/fork-program.js';

failOnUnhandledRejections();

function gate(): { promise: Promise<void>; open(): void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Resolves with `promise`, or rejects naming `what` if it takes longer than `ms` (a hang). */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what} did not settle within ${String(ms)} ms`));
    }, ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

const twoAnswers = new LLMProgram({
  model: 'mock',
  provider: 'mock',
  mock: { turns: [{ text: 'first answer' }, { text: 'second answer' }], fallbackText: 'more' },
});

describe('overlapping runs', () => {
  it('refuse a second run while the first waits for its callbacks, and keep the first result its own', async () => {
    const slow = gate();
    let waiting = false;
    const proc = await twoAnswers.start();
    proc.addCallback({
      response: async (text: string) => {
        if (text !== 'first answer') return;
        waiting = true;
        await slow.promise;
      },
    });
    const first = proc.run('one');
    await within(
      5000,
      'the first response callback',
      until(() => waiting),
    );

    // The first run's loop is over, but its callback is not: the process is still busy.
    const second = proc.run('two');
    await expect(second).rejects.toThrow(LlmprocError);
    await expect(second).rejects.toMatchObject({
      code: 'PROCESS_BUSY',
      message: `Process ${String(proc.pid)} is already running; await its run() before starting another`,
    });
    expect(proc.getState()).toHaveLength(2);

    slow.open();
    const result = await first;
    expect(result.lastMessage).toBe('first answer');
    expect(result.unsettledCallbacks).toEqual([]);

    const next = await proc.run('two');
    expect(next.lastMessage).toBe('second answer');
    expect(result.lastMessage).toBe('first answer');
    await expectValidConversation(proc);
    await proc.close();
  });

  it('build the RunResult from the run itself, even when a callback changes the conversation after the loop', async () => {
    const proc = await twoAnswers.start();
    let misbehaved = false;
    proc.addCallback({
      response: async () => {
        if (misbehaved) return;
        misbehaved = true;
        await new Promise((resolve) => setTimeout(resolve, 10));
        proc.resetState(); // a callback misbehaving after the reply was committed
      },
    });
    const result = await proc.run('one');
    expect(result.lastMessage).toBe('first answer');
    expect(proc.getState()).toEqual([]);
    await expectValidConversation(proc);
    await proc.close();
  });
});

describe('a callback that never settles', () => {
  it('holds run() only until callbackTimeoutMs, which reports it, and a later run does not wait for it', async () => {
    const never = gate(); // never opened
    const proc = await twoAnswers.start();
    let calls = 0;
    proc.addCallback(function hangsOnFirstResponse(event: string) {
      if (event !== 'response' || ++calls > 1) return undefined;
      return never.promise;
    });
    const first = await within(
      5000,
      'run() with callbackTimeoutMs',
      proc.run('one', { callbackTimeoutMs: 50 }),
    );
    expect(first.lastMessage).toBe('first answer');
    expect(first.unsettledCallbacks).toEqual([
      { event: 'response', callback: 'hangsOnFirstResponse', pid: proc.pid },
    ]);
    expect(first.toJSON().unsettledCallbacks).toEqual(first.unsettledCallbacks);

    // The first run's callback is still pending, forever; the next run has nothing to do with it.
    const second = await within(5000, 'the next run', proc.run('two'));
    expect(second.lastMessage).toBe('second answer');
    expect(second.unsettledCallbacks).toEqual([]);
    expect(second.toJSON()).not.toHaveProperty('unsettledCallbacks');
    await expectValidConversation(proc);
    await proc.close();
  });

  it("in a fork child made during the run is bounded by the parent run's callbackTimeoutMs", async () => {
    const never = gate();
    const proc = await forkingProgram('child goal', 'child answer', 'parent done').start();
    proc.addCallback({
      response(_text: string, context: EventContext) {
        return context.parentPid === undefined ? undefined : never.promise;
      },
    });
    const result = await within(
      5000,
      'a run whose fork child has a hanging callback',
      proc.run('split it', { callbackTimeoutMs: 100 }),
    );
    expect(result.lastMessage).toBe('parent done');
    expect(result.unsettledCallbacks).toHaveLength(1);
    expect(result.unsettledCallbacks[0]?.event).toBe('response');
    expect(result.unsettledCallbacks[0]?.pid).not.toBe(proc.pid);
    expect(result.toolCalls.map((call) => call.toolName)).toEqual(['fork']);
    await expectValidConversation(proc);
    await proc.close();
  });

  it('rejects a callbackTimeoutMs that is not a non-negative number, before running', async () => {
    const proc = await twoAnswers.start();
    await expect(proc.run('one', { callbackTimeoutMs: -1 })).rejects.toThrow(
      'callbackTimeoutMs must be a non-negative number of milliseconds; got -1',
    );
    await expect(proc.run('one', { callbackTimeoutMs: Number.NaN })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
    expect(proc.getState()).toEqual([]);
    await expectValidConversation(proc);
    await proc.close();
  });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
}
