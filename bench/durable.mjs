// Durable runs on Restate against the same runs in-process, both on a local fake Anthropic server.
// Per-step overhead is the slope between a 2-tool and a 10-tool run (so the per-run costs, the
// ingress call and the state load and save, drop out); throughput is 100 concurrent runs.
import { performance } from 'node:perf_hooks';
import { LLMProgram, defineTool, setLogger } from '../dist/index.js';
import { registerDeployment, restateService, serveRestate } from '../dist/restate.js';
import { startFakeAnthropic } from './fake-anthropic.mjs';
import { startRestateServer } from '../test/support/restate-server.ts';

setLogger({ debug() {}, info() {}, warn() {}, error() {} });
process.env.ANTHROPIC_API_KEY = 'bench-key';
// The SDK logs every invocation at INFO; the figures are what this script prints.
process.env.RESTATE_LOGGING = 'ERROR';

const fmt = (x, digits = 2) => x.toFixed(digits);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs) => `${fmt(Math.min(...xs))}-${fmt(Math.max(...xs))}`;

const noop = defineTool({
  name: 'noop',
  description: 'does nothing',
  parameters: { type: 'object', properties: { i: { type: 'number' } } },
  execute: () => 'ok',
});

function program(url) {
  return new LLMProgram({
    model: 'claude-bench',
    provider: 'anthropic',
    baseUrl: url,
    tools: [noop],
    parameters: { max_tokens: 1024 },
    disableAutomaticCaching: true,
    maxIterations: 20,
  });
}

export async function durable() {
  console.log(
    '\n## Durable runs on Restate (ratio to the same runs in-process, fake Anthropic server)',
  );
  const server = await startRestateServer();
  const short = await startFakeAnthropic(2);
  const long = await startFakeAnthropic(10);
  const programs = { short: program(short.url), long: program(long.url) };
  const worker = await serveRestate(
    [
      restateService(programs.short, { name: 'short' }),
      restateService(programs.long, { name: 'long' }),
    ],
    { port: 0 },
  );
  let key = 0;
  try {
    await registerDeployment(server.adminUrl, worker.url);
    const durableRun = async (name) => {
      const response = await fetch(`${server.ingressUrl}/${name}/k${key++}/run`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input: 'go' }),
      });
      if (!response.ok) throw new Error(`run failed: ${await response.text()}`);
      await response.json();
    };
    const localRun = async (name) => {
      const proc = await programs[name].start();
      await proc.run('go');
      await proc.close();
    };
    const timeOf = async (fn, n) => {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await fn();
      return (performance.now() - t0) / n;
    };
    // Steps per run: toolTurns + 1 model calls and toolTurns tool calls.
    const steps = { short: 5, long: 21 };
    for (const name of ['short', 'long']) {
      await timeOf(() => durableRun(name), 5); // warm up the JIT, connections and partitions
      await timeOf(() => localRun(name), 5);
    }
    const rounds = { perStep: [], ratio: [], perRun: [] };
    for (let round = 0; round < 5; round++) {
      const d = {
        short: await timeOf(() => durableRun('short'), 10),
        long: await timeOf(() => durableRun('long'), 10),
      };
      const l = {
        short: await timeOf(() => localRun('short'), 10),
        long: await timeOf(() => localRun('long'), 10),
      };
      const slope = (t) => (t.long - t.short) / (steps.long - steps.short);
      rounds.perStep.push(slope(d) - slope(l));
      rounds.ratio.push(d.long / l.long);
      rounds.perRun.push(d.short - l.short - (slope(d) - slope(l)) * steps.short);
    }
    console.log(
      `overhead per journaled step   ${fmt(median(rounds.perStep))} ms (range ${range(rounds.perStep)} over 5 rounds; goal <= 2-4 ms)`,
    );
    console.log(
      `overhead per run (ingress, state load/save) ${fmt(median(rounds.perRun))} ms (range ${range(rounds.perRun)})`,
    );
    console.log(
      `10-tool run durable / in-process ${fmt(median(rounds.ratio))}x (range ${range(rounds.ratio)})`,
    );

    const concurrent = async (run) => {
      const t0 = performance.now();
      await Promise.all(Array.from({ length: 100 }, () => run('short')));
      return performance.now() - t0;
    };
    const through = { durable: [], local: [] };
    for (let round = 0; round < 3; round++) {
      through.durable.push(await concurrent(durableRun));
      through.local.push(await concurrent(localRun));
    }
    const d = median(through.durable);
    const l = median(through.local);
    console.log(
      `100 concurrent 2-tool runs    durable ${fmt(d, 0)} ms (${fmt(100_000 / d, 0)} runs/s, ${fmt(500_000 / d, 0)} steps/s); in-process ${fmt(l, 0)} ms; ratio ${fmt(d / l)}x (range ${range(through.durable.map((x, i) => x / through.local[i]))})`,
    );
  } finally {
    await worker.close();
    await short.close();
    await long.close();
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await durable();
