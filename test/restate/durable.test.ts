import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDeployment } from '../../src/restate/serve.js';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic-turns.js';
import { freePort, startRestateServer, type RestateServer } from '../support/restate-server.js';
import {
  attach,
  postJson,
  readJsonLines,
  sendRun,
  startRoundRobin,
  startWorker,
  type Worker,
} from './support.js';

// Real restate-server and real workers (subprocesses, stopped by pid): these tests need `npm run
// build` first, as `npm test` does.
const workerScript = 'test/restate/__fixtures__/worker.mjs';

interface RecordedEvent {
  worker: string;
  run: string;
  event: string;
  id: unknown;
}
interface Tick {
  worker: string;
  run: string;
  n: number;
}

let server: RestateServer;
let dir: string;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  // A stream per connection, so the round-robin balancer of the two-worker test sees many connections.
  server = await startRestateServer({
    RESTATE_WORKER__INVOKER__HTTP2_STREAMS_PER_CONNECTION_LIMIT: '1',
  });
  dir = mkdtempSync(path.join(os.tmpdir(), 'llmproc-durable-'));
}, 90_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

function files(name: string): { EVENTS_FILE: string; TICKS_FILE: string } {
  return {
    EVENTS_FILE: path.join(dir, `${name}.events.jsonl`),
    TICKS_FILE: path.join(dir, `${name}.ticks.jsonl`),
  };
}

async function worker(args: string[], env: Record<string, string>): Promise<Worker> {
  const started = await startWorker(args, env);
  cleanups.push(() => started.stop());
  return started;
}

async function fake(options: { toolTurns: number; holdTurn?: number }): Promise<FakeAnthropic> {
  const started = await startFakeAnthropic(options);
  cleanups.push(() => started.close());
  return started;
}

describe('durable runs on a real Restate server', () => {
  it('resumes a run whose worker was killed mid-run without repeating finished steps or events', async () => {
    const provider = await fake({ toolTurns: 3, holdTurn: 2 });
    const paths = files('kill');
    const port = String(await freePort());
    const env = { FAKE_URL: provider.url, SERVICE_NAME: 'ticker', PORT: port, ...paths };
    const first = await worker([workerScript], { ...env, WORKER_ID: 'first' });
    await registerDeployment(server.adminUrl, first.url);

    const input = 'tick three times';
    const invocation = await sendRun(server.ingressUrl, 'ticker', 'kill-1', input);
    await provider.held; // turn 3's request is in flight and will never be answered
    await first.stop('SIGKILL');
    await worker([workerScript], { ...env, WORKER_ID: 'second' });

    const result = (await attach(server.ingressUrl, invocation)) as Record<string, unknown>;
    expect(result['lastMessage']).toBe('Ticked 3 times.');
    expect(result['apiCalls']).toBe(4);
    expect(result['toolCalls']).toEqual([1, 2, 3].map((n) => ({ toolName: 'tick', args: { n } })));

    // Turns 1 and 2 were paid once; turn 3 twice (the held request died with the worker).
    expect(Object.fromEntries(provider.requests)).toEqual({
      [`${input}#0`]: 1,
      [`${input}#1`]: 1,
      [`${input}#2`]: 2,
      [`${input}#3`]: 1,
    });
    // Finished tool calls ran once, on the first worker; the third on the second.
    expect(readJsonLines<Tick>(paths.TICKS_FILE)).toEqual([
      { worker: 'first', run: input, n: 1 },
      { worker: 'first', run: input, n: 2 },
      { worker: 'second', run: input, n: 3 },
    ]);

    // The callbacks saw the run's events once each, in order, split across the two workers; the
    // one event seen twice is turn 3's api_request, because that request really was sent twice.
    const events = readJsonLines<RecordedEvent>(paths.EVENTS_FILE);
    const seen = events.map((e) => `${e.event}:${String(e.id)}`);
    const turn = (n: number, messages: number, tool: boolean): string[] => [
      `turn_start:${String(messages)}`,
      `api_request:${String(messages)}`,
      `api_response:msg_${String(n)}`,
      ...(tool ? [`tool_start:${String(n + 1)}`, `tool_end:tick ${String(n + 1)} done`] : []),
      ...(tool ? [] : ['response:Ticked 3 times.']),
      `turn_end:msg_${String(n)}`,
    ];
    const heldRequest = 'api_request:5';
    expect(seen).toEqual([
      ...turn(0, 1, true),
      ...turn(1, 3, true),
      'turn_start:5',
      heldRequest,
      ...turn(2, 5, true).slice(1),
      ...turn(3, 7, false),
      'run_end:completed',
    ]);
    expect(events.filter((e) => e.worker === 'first').map((e) => e.event)).toEqual(
      [...turn(0, 1, true), ...turn(1, 3, true), 'turn_start:5', heldRequest].map(
        (s) => s.split(':')[0],
      ),
    );
  }, 120_000);

  it('continues the conversation on a second run of the same key, served by `llmproc serve`', async () => {
    const provider = await fake({ toolTurns: 0 });
    const programPath = path.join(dir, 'chat.toml');
    writeFileSync(
      programPath,
      [
        '[model]',
        'name = "claude-test"',
        'provider = "anthropic"',
        `base_url = "${provider.url}"`,
        '[prompt]',
        'system_prompt = "Answer briefly."',
        '[parameters]',
        'max_tokens = 256',
      ].join('\n'),
    );
    const served = await worker(
      [
        'dist/cli-bundle/llmproc.js',
        'serve',
        programPath,
        '--port',
        '0',
        '--register',
        server.adminUrl,
      ],
      {},
    );
    await expect.poll(() => served.stderr()).toContain('registered');

    const first = (await postJson(`${server.ingressUrl}/chat/alice/run`, { input: 'hello' })) as {
      lastMessage: string;
    };
    const second = (await postJson(`${server.ingressUrl}/chat/alice/run`, {
      input: 'and again',
    })) as { lastMessage: string };
    expect([first.lastMessage, second.lastMessage]).toEqual(['Ticked 0 times.', 'Ticked 0 times.']);
    // The second request carried the first exchange: the same durable process.
    expect(provider.bodies.at(-1)?.messages.map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'user',
    ]);
    const state = (await postJson(`${server.ingressUrl}/chat/alice/getState`, null)) as unknown[];
    expect(state).toHaveLength(4);
    // Another key is another process, with a conversation of its own.
    await postJson(`${server.ingressUrl}/chat/bob/run`, { input: 'hi' });
    expect(provider.bodies.at(-1)?.messages).toHaveLength(1);
    // The served program's events were printed by the worker, as the CLI prints them.
    expect(served.stderr()).toContain('Ticked 0 times.');
  }, 120_000);

  it('shares 50 concurrent runs between two workers behind one server, each run exactly once', async () => {
    const provider = await fake({ toolTurns: 1 });
    const paths = files('pool');
    const base = { FAKE_URL: provider.url, SERVICE_NAME: 'pool', ...paths };
    const workers = [
      await worker([workerScript], { ...base, WORKER_ID: 'a' }),
      await worker([workerScript], { ...base, WORKER_ID: 'b' }),
    ];
    const balancer = await startRoundRobin(workers.map((w) => w.url));
    cleanups.push(() => balancer.close());
    await registerDeployment(server.adminUrl, balancer.url);

    const runs = Array.from({ length: 50 }, (_, i) => `job ${String(i)}`);
    const ids = await Promise.all(
      runs.map((input, i) => sendRun(server.ingressUrl, 'pool', `job-${String(i)}`, input)),
    );
    const results = (await Promise.all(ids.map((id) => attach(server.ingressUrl, id)))) as {
      lastMessage: string;
    }[];
    expect(results.map((r) => r.lastMessage)).toEqual(runs.map(() => 'Ticked 1 times.'));
    // Each run: two model calls and one tool call, never repeated.
    for (const input of runs) {
      expect([provider.requests.get(`${input}#0`), provider.requests.get(`${input}#1`)]).toEqual([
        1, 1,
      ]);
    }
    const ticks = readJsonLines<Tick>(paths.TICKS_FILE);
    expect(ticks.map((t) => t.run).sort()).toEqual([...runs].sort());
    // Both workers took a share.
    expect(new Set(ticks.map((t) => t.worker))).toEqual(new Set(['a', 'b']));
  }, 180_000);
});
