/**
 * Item 3 of the hardening issue: abort settles `run()` promptly (the target is 100 ms) whatever a
 * tool, a callback or a provider does; a tool's late result is dropped; the conversation keeps whole
 * turns only.
 *
 * Timing: each case measures from `abort()` to the settlement of `run()`, and holds the run with
 * something that would otherwise take 30 s or forever. The bound asserted (1 s) is ten times the
 * target so that a loaded 2-core CI machine does not flake, and still 30 times shorter than what
 * the run would take if abort did not free it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineTool, LLMProgram, type LLMProcess } from '../../src/index.js';
import { startProcess } from '../../src/program/start.js';
import { AccessLevel } from '../../src/tools/access-level.js';
import type { GenerateResult, Provider } from '../../src/providers/types.js';
import { emptyUsage } from '../../src/conversation/usage.js';
import { expectValidConversation } from '../support/conversation-invariant.js';
import { recorder } from '../support/recorder.js';
import { loadFixture } from '../support/replay-server.js';
import { failOnUnhandledRejections } from '../support/unhandled-rejections.js';

failOnUnhandledRejections();

const abortBoundMs = 1000;
const thirtySeconds = 30_000;

/** Abort, then measure how long `run` takes to settle; returns its rejection (or result) and the time. */
async function abortAndMeasure(
  controller: AbortController,
  run: Promise<unknown>,
): Promise<{ outcome: unknown; elapsedMs: number }> {
  run.catch(() => undefined);
  const started = performance.now();
  controller.abort(new Error('user pressed stop'));
  const outcome = await run.then(
    (value) => value,
    (error: unknown) => error,
  );
  return { outcome, elapsedMs: performance.now() - started };
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the awaited condition never came true');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** A tool that ignores its abort signal and answers only when told to (or after 30 s). */
function stubbornTool(): { tool: ReturnType<typeof defineTool>; finish(): void; started: boolean } {
  const state = {
    started: false,
    finish: (): void => undefined,
    tool: defineTool({
      name: 'slow',
      description: 'takes 30 s and ignores abort',
      access: 'read',
      execute: () =>
        new Promise<string>((resolve) => {
          state.started = true;
          const timer = setTimeout(() => {
            resolve('late result');
          }, thirtySeconds);
          timer.unref();
          state.finish = () => {
            clearTimeout(timer);
            resolve('late result');
          };
        }),
    }),
  };
  return state;
}

describe('abort', () => {
  it('frees run() from a tool that ignores the signal, and drops its late result', async () => {
    const slow = stubbornTool();
    const rec = recorder();
    const proc = await new LLMProgram({
      model: 'mock',
      provider: 'mock',
      tools: [slow.tool],
      mock: { turns: [{ toolCalls: [{ name: 'slow', args: {} }] }], fallbackText: 'ok' },
    })
      .start()
      .addCallback(rec.callback);
    const controller = new AbortController();
    const run = proc.run('Do the slow thing.', { signal: controller.signal });
    await until(() => slow.started);

    const { outcome, elapsedMs } = await abortAndMeasure(controller, run);
    expect(outcome).toMatchObject({ code: 'ABORTED', message: 'The run was aborted' });
    expect(elapsedMs).toBeLessThan(abortBoundMs);

    slow.finish(); // the tool answers after all: nobody may see it
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(rec.names()).not.toContain('tool_end');
    expect(proc.getState()).toEqual([]); // nothing of the run was committed: the input is taken back
    await expectValidConversation(proc);
    await proc.close();
  });

  it('keeps the turns committed before the abort, whole', async () => {
    const slow = stubbornTool();
    const proc = await new LLMProgram({
      model: 'mock',
      provider: 'mock',
      tools: ['calculator', slow.tool],
      mock: {
        turns: [
          { toolCalls: [{ name: 'calculator', args: { expression: '6*7' } }] },
          {
            text: 'Now the slow part.',
            toolCalls: [
              { name: 'calculator', args: { expression: '1+1' } },
              { name: 'slow', args: {} },
            ],
          },
        ],
        fallbackText: 'ok',
      },
    }).start();
    const controller = new AbortController();
    const run = proc.run('Compute, then wait.', { signal: controller.signal });
    await until(() => slow.started);
    const { outcome, elapsedMs } = await abortAndMeasure(controller, run);
    expect(outcome).toMatchObject({ code: 'ABORTED' });
    expect(elapsedMs).toBeLessThan(abortBoundMs);
    slow.finish();

    const state = proc.getState();
    expect(state.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(JSON.stringify(state)).not.toContain('Now the slow part.');
    await expectValidConversation(proc);
    await proc.close();
  });

  it('frees run() from an async callback that never settles', async () => {
    const proc = await new LLMProgram({
      model: 'mock',
      provider: 'mock',
      mock: { turns: [{ text: 'answer' }], fallbackText: 'ok' },
    }).start();
    let hanging = false;
    let calls = 0;
    proc.addCallback({
      response: () => {
        if (++calls > 1) return undefined;
        hanging = true;
        return new Promise<void>(() => undefined); // never settles
      },
    });
    const controller = new AbortController();
    const run = proc.run('Hello', { signal: controller.signal });
    await until(() => hanging);

    const { outcome, elapsedMs } = await abortAndMeasure(controller, run);
    // The loop had finished: the run completed and reports the callback it stopped waiting for.
    expect(outcome).toMatchObject({
      lastMessage: 'answer',
      unsettledCallbacks: [{ event: 'response', callback: 'Object.response', pid: proc.pid }],
    });
    expect(elapsedMs).toBeLessThan(abortBoundMs);
    await expectValidConversation(proc);
    await proc.close();
  });

  it('frees run() from a provider that ignores the signal, and reports nothing of its late reply', async () => {
    let release = (): void => undefined;
    let calls = 0;
    const provider: Provider = {
      name: 'mock',
      buildRequest: (request) => ({ model: request.model, messages: request.messages }),
      doGenerate: async (): Promise<GenerateResult> => {
        calls++;
        // The first call ignores its signal and answers only when released (or after 30 s).
        if (calls === 1) {
          await new Promise<void>((resolve) => {
            release = resolve;
            setTimeout(resolve, thirtySeconds).unref();
          });
        }
        const content = [{ type: 'text' as const, text: `reply ${String(calls)}` }];
        return {
          raw: { content },
          response: {
            id: null,
            model: 'mock',
            content,
            stopReason: 'end_turn',
            usage: emptyUsage(),
          },
        };
      },
      countTokens: () => Promise.resolve(null),
    };
    const program = new LLMProgram({ model: 'mock', provider: 'mock' });
    const proc: LLMProcess = await startProcess(program, {
      accessLevel: AccessLevel.ADMIN,
      provider,
    });
    const rec = recorder();
    proc.addCallback(rec.callback);
    const controller = new AbortController();
    const run = proc.run('Hello', { signal: controller.signal });
    await until(() => calls === 1);

    const { outcome, elapsedMs } = await abortAndMeasure(controller, run);
    expect(outcome).toMatchObject({ code: 'ABORTED' });
    expect(elapsedMs).toBeLessThan(abortBoundMs);
    release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(rec.names()).toEqual(['turn_start', 'api_request', 'run_end']);
    expect(rec.events.at(-1)?.args[0]).toMatchObject({ status: 'aborted' });
    expect(proc.getState()).toEqual([]);
    const again = await expectValidConversation(proc);
    expect(again?.lastMessage).toBe('reply 2');
    await proc.close();
  });
});

describe('abort of a real SDK call', () => {
  let server: http.Server;
  let url = '';
  let requests = 0;
  const savedKey = process.env['ANTHROPIC_API_KEY'];

  beforeEach(async () => {
    process.env['ANTHROPIC_API_KEY'] = 'sk-ant-test-abort';
    requests = 0;
    const reply = loadFixture('anthropic', 'text').response;
    // The first request is held open forever (headers never sent); later ones get a real reply.
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (++requests === 1) return;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  });

  afterEach(async () => {
    if (savedKey === undefined) delete process.env['ANTHROPIC_API_KEY'];
    else process.env['ANTHROPIC_API_KEY'] = savedKey;
    server.closeAllConnections();
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
  });

  it('settles run() against an Anthropic server that never answers, and runs again', async () => {
    const proc = await new LLMProgram({
      model: 'claude-3-opus-latest',
      provider: 'anthropic',
      baseUrl: url,
      parameters: { max_tokens: 1024 },
    }).start();
    const controller = new AbortController();
    const run = proc.run('What is the capital of France?', { signal: controller.signal });
    await until(() => requests === 1);

    const { outcome, elapsedMs } = await abortAndMeasure(controller, run);
    expect(outcome).toMatchObject({ code: 'ABORTED' });
    expect(elapsedMs).toBeLessThan(abortBoundMs);
    expect(proc.getState()).toEqual([]);
    const again = await expectValidConversation(proc);
    expect(again?.lastMessage).toContain('Paris');
    expect(requests).toBe(2);
    await proc.close();
  });
});
