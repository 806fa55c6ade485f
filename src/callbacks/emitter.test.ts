import { afterEach, describe, expect, it } from 'vitest';
import { LLMProgram, setLogger, type Logger, type LLMProcess } from '../index.js';
import { forkingProgram } from '../../test/support/fork-program.js';

const warnings: string[] = [];
const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (m) => warnings.push(m),
  error: (m) => warnings.push(m),
};
const previous = setLogger(quiet);
afterEach(() => {
  warnings.length = 0;
});
process.on('exit', () => setLogger(previous));

async function mockProcess(text = 'hello there'): Promise<LLMProcess> {
  return new LLMProgram({ model: 'mock', provider: 'mock', mock: { turns: [{ text }] } }).start();
}

describe('callback delivery', () => {
  it('calls callbacks in registration order, synchronously at the moment of the event', async () => {
    const proc = await mockProcess();
    const order: string[] = [];
    proc.addCallback((event) => {
      if (event === 'stderr_write') order.push('first');
    });
    proc.addCallback({ stderr_write: () => order.push('second') });
    proc.addCallback((event) => {
      if (event === 'stderr_write') order.push('third');
    });
    proc.writeStderr('x');
    order.push('after emit');
    expect(order).toEqual(['first', 'second', 'third', 'after emit']);
  });

  it('skips objects that have no method for an event', async () => {
    const proc = await mockProcess();
    const got: string[] = [];
    proc.addCallback({ tool_start: () => got.push('tool_start') });
    proc.addCallback({ response: (text: string) => got.push(text) });
    await proc.run('hi');
    expect(got).toEqual(['hello there']);
    expect(warnings).toEqual([]);
  });

  it('keeps running when a callback throws, reports it with the event name, and still calls later callbacks', async () => {
    const proc = await mockProcess();
    const later: string[] = [];
    proc.addCallback(() => {
      throw new Error('boom');
    });
    proc.addCallback((event) => later.push(event));
    const result = await proc.run('hi');
    expect(result.lastMessage).toBe('hello there');
    // Each failure also reaches the other callbacks as a callback_error event.
    expect(later).toEqual(
      ['turn_start', 'api_request', 'api_response', 'response', 'turn_end', 'run_end'].flatMap(
        (event) => [event, 'callback_error'],
      ),
    );
    expect(warnings).toContain('Error in turn_start callback: boom');
    expect(warnings).toHaveLength(6);
  });

  it('reports a rejecting async callback without an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      const proc = await mockProcess();
      proc.addCallback({
        response: async () => {
          await new Promise((r) => setTimeout(r, 1));
          throw new Error('async boom');
        },
      });
      const result = await proc.run('hi');
      expect(result.lastMessage).toBe('hello there');
      await new Promise((r) => setTimeout(r, 10));
      expect(warnings).toEqual(['Error in response callback: async boom']);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('resolves run() only after every async callback started during the run has settled', async () => {
    const proc = await mockProcess();
    let settled = 0;
    proc.addCallback(async () => {
      await new Promise((r) => setTimeout(r, 20));
      settled++;
    });
    await proc.run('hi');
    expect(settled).toBe(6);
  });

  it('starts async callbacks at once, before the next event', async () => {
    const proc = await mockProcess();
    const trace: string[] = [];
    proc.addCallback(async (event) => {
      trace.push(`start ${event}`);
      await Promise.resolve();
      trace.push(`end ${event}`);
    });
    proc.addCallback((event) => trace.push(`sync ${event}`));
    proc.writeStderr('x');
    expect(trace).toEqual(['start stderr_write', 'sync stderr_write']);
    await Promise.resolve();
    expect(trace).toEqual(['start stderr_write', 'sync stderr_write', 'end stderr_write']);
  });

  it('stops calling a callback once it is removed', async () => {
    const proc = await mockProcess();
    const got: string[] = [];
    const cb = (event: string): void => {
      got.push(event);
    };
    proc.addCallback(cb).removeCallback(cb);
    await proc.run('hi');
    expect(got).toEqual([]);
  });

  it('gives every event a context naming the process, in increasing sequence', async () => {
    const proc = await mockProcess();
    const contexts: { pid: number; parentPid: number | undefined; seq: number; time: number }[] =
      [];
    proc.addCallback((...params) => {
      contexts.push(params[params.length - 1] as (typeof contexts)[number]);
    });
    await proc.run('hi');
    expect(contexts.map((c) => c.pid)).toEqual(Array(6).fill(proc.pid));
    expect(contexts.every((c) => c.parentPid === undefined)).toBe(true);
    const seqs = contexts.map((c) => c.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(6);
    expect(Math.abs((contexts[0]?.time ?? 0) - Date.now())).toBeLessThan(5000);
  });

  it('serializes the context without the process', async () => {
    const proc = await mockProcess();
    let json = '';
    proc.addCallback((...params) => {
      const context = params[params.length - 1];
      if (params[0] === 'stderr_write') json = JSON.stringify(context);
      expect((context as { process: unknown }).process).toBe(proc);
    });
    proc.writeStderr('x');
    expect(Object.keys(JSON.parse(json) as object).sort()).toEqual(['pid', 'seq', 'time']);
  });

  it('lets a custom tool emit events with triggerEvent', async () => {
    const proc = await mockProcess();
    const got: unknown[] = [];
    proc.addCallback({ stderr_write: (text: string) => got.push(text) });
    proc.triggerEvent('stderr_write', 'custom progress');
    expect(got).toEqual(['custom progress']);
  });
});

describe('callback_error', () => {
  it('delivers a failure to the other callbacks, with the event name and the error', async () => {
    const proc = await mockProcess();
    const boom = new Error('observer bug');
    const seen: [string, unknown, string | undefined][] = [];
    const failing = {
      response: () => {
        throw boom;
      },
      callback_error: () => {
        seen.push(['the failing callback itself', undefined, undefined]);
      },
    };
    proc.addCallback(failing).addCallback({
      callback_error: (eventName: string, error: unknown, context) => {
        seen.push([eventName, error, context.runId]);
      },
    });
    const result = await proc.run('hi');
    expect(seen).toEqual([['response', boom, result.runId]]);
    expect(warnings).toEqual(['Error in response callback: observer bug']);
  });

  it('reports a rejecting async callback the same way', async () => {
    const proc = await mockProcess();
    const errors: unknown[] = [];
    proc
      .addCallback({
        response: async () => {
          await Promise.resolve();
          throw new Error('late');
        },
      })
      .addCallback({ callback_error: (_event: string, error: unknown) => errors.push(error) });
    await proc.run('hi');
    expect(errors.map((e) => (e as Error).message)).toEqual(['late']);
  });

  it('never re-delivers the failure of a callback_error callback', async () => {
    const proc = await mockProcess();
    let calls = 0;
    proc
      .addCallback({
        response: () => {
          throw new Error('first');
        },
      })
      .addCallback({
        callback_error: () => {
          calls++;
          throw new Error('handler broke too');
        },
      })
      .addCallback({
        callback_error: () => {
          calls++;
        },
      });
    const result = await proc.run('hi');
    expect(result.lastMessage).toBe('hello there');
    expect(calls).toBe(2);
    expect(warnings).toEqual([
      'Error in response callback: first',
      'Error in callback_error callback: handler broke too',
    ]);
  });

  it('makes a strict run reject with the first callback error, after the run has ended', async () => {
    const proc = await mockProcess();
    const order: string[] = [];
    proc.addCallback({
      turn_end: () => {
        throw new Error('first failure');
      },
      run_end: () => {
        order.push('run_end');
        throw new Error('second failure');
      },
    });
    const error: unknown = await proc.run('hi', { strict: true }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('first failure');
    expect(order).toEqual(['run_end']);
    // The run itself completed and the process can run again.
    expect(proc.getLastMessage()).toBe('hello there');
    const relaxed = await proc.run('again');
    expect(relaxed.status).toBe('completed');
  });

  it("makes a strict run reject for a failing callback of a fork tool's child", async () => {
    const proc = await forkingProgram('child', 'from the child', 'done').start();
    proc.addCallback({
      response: async (text: string, context) => {
        await Promise.resolve();
        if (context.parentPid !== undefined) throw new Error(`child callback failed on ${text}`);
      },
    });
    await expect(proc.run('go', { strict: true })).rejects.toThrow(
      'child callback failed on from the child',
    );
  });
});

describe('what run() waits for', () => {
  it('does not wait for a callback promise started before the run', async () => {
    const proc = await mockProcess();
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    proc.addCallback({ stderr_write: () => slow });
    proc.writeStderr('before the run'); // starts a promise that only settles when released
    const result = await Promise.race([
      proc.run('hi'),
      new Promise<'timeout'>((resolve) =>
        setTimeout(() => {
          resolve('timeout');
        }, 2000),
      ),
    ]);
    release();
    expect(result).not.toBe('timeout');
  });

  it('registers a callback added to start() after the process has started', async () => {
    const starting = new LLMProgram({
      model: 'mock',
      provider: 'mock',
      mock: { turns: [{ text: 'hi' }] },
    }).start();
    const proc = await starting;
    const got: string[] = [];
    starting.addCallback({ response: (text: string) => got.push(text) });
    await proc.run('hello');
    expect(got).toEqual(['hi']);
  });
});
