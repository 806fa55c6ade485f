// llmproc benchmarks. Figures are ratios against a baseline measured in the same run, because
// absolute times on shared machines are noise. Run with `npm run bench` (builds first).
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { LLMProgram, defineTool, setLogger } from '../dist/index.js';
import { noopTool } from './http-loops.mjs';

setLogger({ debug() {}, info() {}, warn() {}, error() {} });

const only = process.argv[2];

/** Median nanoseconds per call of fn over `rounds` rounds of `n` calls. */
function nsPerOp(fn, n = 2_000_000, rounds = 7) {
  for (let i = 0; i < n; i++) fn(i); // warm up
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn(i);
    samples.push(((performance.now() - t0) * 1e6) / n);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

async function medianMs(fn, rounds = 5) {
  await fn();
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const fmt = (x, digits = 2) => x.toFixed(digits);

async function dispatch() {
  console.log('\n## Event dispatch (ns per event; ratio to a direct call of the same callback)');
  const proc = await new LLMProgram({ model: 'mock', provider: 'mock' }).start();
  let sink = 0;
  // The baseline: what a hand-written hook costs, a call through a function reference that the
  // JIT cannot inline away (it is swapped between two functions).
  const hooks = [
    (event, text) => {
      sink += text.length;
    },
    (event, text) => {
      sink += text.length + 1;
    },
  ];
  const direct = nsPerOp((i) => hooks[i & 1]('response', 'hello'));
  // Every delivered event carries a timestamp; on some VMs the clock read alone dwarfs a call.
  const now = performance.now.bind(performance);
  const clock = nsPerOp(() => {
    sink += now();
  });
  const none = nsPerOp(() => proc.triggerEvent('response', 'hello'));
  proc.addCallback((event, text) => {
    sink += text.length;
  });
  const oneSync = nsPerOp(() => proc.triggerEvent('response', 'hello'));
  const syncOnly = proc.getCallbacks()[0];
  proc.removeCallback(syncOnly);
  const asyncCb = async (event, text) => {
    sink += text.length;
  };
  proc.addCallback(asyncCb);
  const oneAsync = nsPerOp(() => proc.triggerEvent('response', 'hello'), 300_000);
  await proc.run('drain'); // settle the tracked promises
  proc.removeCallback(asyncCb);
  for (let i = 0; i < 10; i++)
    proc.addCallback((event, text) => {
      sink += text.length + i;
    });
  const ten = nsPerOp(() => proc.triggerEvent('response', 'hello'));
  console.log(`direct call (baseline)   ${fmt(direct)} ns`);
  console.log(`clock read (context.time) ${fmt(clock)} ns   ratio ${fmt(clock / direct)}x`);
  console.log(
    `no callbacks             ${fmt(none)} ns   ratio ${fmt(none / direct)}x   (goal < 20 ns)`,
  );
  console.log(
    `1 sync callback          ${fmt(oneSync)} ns   ratio ${fmt(oneSync / direct)}x   (goal < 2x)`,
  );
  console.log(`1 async callback         ${fmt(oneAsync)} ns   ratio ${fmt(oneAsync / direct)}x`);
  console.log(`10 sync callbacks        ${fmt(ten)} ns   ratio ${fmt(ten / direct)}x`);
  if (sink === -1) console.log(sink);
}

function turnScript(turns, toolsPerTurn) {
  const script = [];
  for (let t = 0; t < turns; t++) {
    script.push({
      toolCalls: Array.from({ length: toolsPerTurn }, (_, i) => ({ name: 'noop', args: { i } })),
    });
  }
  script.push({ text: 'done', toolCalls: [] });
  return script;
}

async function perTurn() {
  console.log('\n## Per-turn overhead of a 10-tool mock run (10 turns, one no-op tool each)');
  const program = new LLMProgram({
    model: 'mock',
    provider: 'mock',
    tools: [noopTool],
    mock: { turns: turnScript(10, 1) },
  });
  // Baseline: the same provider calls and tool calls in a bare loop, without llmproc's process.
  const { MockProvider } = await import('../dist/providers/mock/provider.js');
  const bare = async () => {
    const provider = new MockProvider({ turns: turnScript(10, 1) }, 'mock');
    const messages = [{ role: 'user', content: 'go' }];
    for (;;) {
      const payload = provider.buildRequest({
        model: 'mock',
        systemPrompt: '',
        messages,
        tools: [],
        parameters: {},
        promptCaching: true,
        stream: false,
      });
      const { response } = await provider.doGenerate(payload, {});
      messages.push({ role: 'assistant', content: response.content });
      const calls = response.content.filter((b) => b.type === 'tool_use');
      if (calls.length === 0) break;
      messages.push({
        role: 'user',
        content: calls.map((c) => ({
          type: 'tool_result',
          tool_use_id: c.id,
          content: String(noopTool.execute(c.input)),
          is_error: false,
        })),
      });
    }
  };
  // A fork of a started process is a fresh process at the start of the script, without paying for
  // start() (system prompt, tool registry) on every run: the figure is the loop's own overhead.
  const root = await program.start();
  const rootWithCallback = await program.start().addCallback(() => {});
  const runOnce = async (withCallbacks) => {
    const proc = await (withCallbacks ? rootWithCallback : root).forkProcess();
    await proc.run('go');
  };
  const repeat = (fn, k) => async () => {
    for (let i = 0; i < k; i++) await fn();
  };
  const base = await medianMs(repeat(bare, 200));
  const plain = await medianMs(repeat(() => runOnce(false), 200));
  const cb = await medianMs(repeat(() => runOnce(true), 200));
  const perTurnUs = (ms) => (ms * 1000) / (200 * 11);
  console.log(`bare loop (baseline)     ${fmt(perTurnUs(base))} us/turn`);
  console.log(
    `llmproc                  ${fmt(perTurnUs(plain))} us/turn   ratio ${fmt(plain / base)}x`,
  );
  console.log(`llmproc + 1 callback     ${fmt(perTurnUs(cb))} us/turn   ratio ${fmt(cb / base)}x`);
}

function bigConversation(bytes) {
  const messages = [];
  let size = 0;
  let i = 0;
  while (size < bytes) {
    const text = `message ${i} `.repeat(40);
    messages.push({ role: 'user', content: text });
    messages.push({
      role: 'assistant',
      content: [
        { type: 'text', text },
        { type: 'tool_use', id: `t${i}`, name: 'calc', input: { expression: `${i}+1` } },
      ],
    });
    messages.push({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: `t${i}`, content: String(i + 1), is_error: false },
      ],
    });
    size += text.length * 2 + 120;
    i++;
  }
  return messages;
}

async function fork() {
  console.log('\n## forkProcess of a 1 MB conversation (ratio to structuredClone of it)');
  const state = bigConversation(1_000_000);
  const parent = await new LLMProgram({ model: 'mock', provider: 'mock' }).start({ state });
  parent.addCallback(() => {});
  const clone = await medianMs(async () => {
    for (let i = 0; i < 20; i++) structuredClone(state);
  }, 7);
  const forked = await medianMs(async () => {
    for (let i = 0; i < 20; i++) await parent.forkProcess();
  }, 7);
  console.log(`structuredClone (baseline) ${fmt(clone / 20)} ms`);
  console.log(
    `forkProcess                ${fmt(forked / 20)} ms   ratio ${fmt(forked / clone)}x   (goal < 1.5x)`,
  );
}

async function concurrent() {
  console.log('\n## 1,000 concurrent mock processes');
  const noop = defineTool({ name: 'noop', description: 'does nothing', execute: () => 'ok' });
  const runAll = async (turns) => {
    const program = new LLMProgram({
      model: 'mock',
      provider: 'mock',
      tools: [noop],
      mock: { turns: turnScript(turns - 1, 1) },
      maxIterations: turns + 1,
    });
    const procs = await Promise.all(Array.from({ length: 1000 }, () => program.start()));
    const t0 = performance.now();
    await Promise.all(procs.map((p) => p.run('go')));
    return { ms: performance.now() - t0, procs };
  };
  const median = async (turns) => {
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await runAll(turns));
    runs.sort((a, b) => a.ms - b.ms);
    return runs[1];
  };
  const rssBefore = process.memoryUsage().rss;
  await runAll(5); // warm up the JIT so the first measured size is not charged for compilation
  const five = await median(5);
  const ten = await median(10);
  const rssPeak = process.memoryUsage().rss;
  const twenty = await median(20);
  const forty = await median(40);
  console.log(
    `10 turns each: ${fmt(ten.ms, 0)} ms, RSS ${fmt(rssPeak / 2 ** 20, 0)} MB (was ${fmt(rssBefore / 2 ** 20, 0)} MB before; goal < 256 MB)`,
  );
  console.log(`time ratio 10 turns / 5 turns   ${fmt(ten.ms / five.ms)}x  (linear: 2x)`);
  console.log(`time ratio 20 turns / 10 turns  ${fmt(twenty.ms / ten.ms)}x  (linear: 2x)`);
  console.log(`time ratio 40 turns / 20 turns  ${fmt(forty.ms / twenty.ms)}x  (linear: 2x)`);
  if (five.procs.length + ten.procs.length + twenty.procs.length !== 3000)
    throw new Error('lost processes');
}

// Imported only when its suite runs: it starts restate-server and loads the Restate SDK.
const durable = async () => (await import('./durable.mjs')).durable();
// The speed targets (HTTP loop against a bare SDK loop, one callback against EventEmitter, CLI start).
const http = async () => (await import('./speed.mjs')).http();
const emit = async () => (await import('./speed.mjs')).emit();
const cli = async () => (await import('./speed.mjs')).cli();
// Why llmproc's own work costs more inside the HTTP loop than alone (the work's kind, not its size).
const footprint = async () => (await import('./footprint.mjs')).footprint();
// The http comparison in CPU instructions (valgrind): slow, so only when asked for by name.
const instructions = async () => (await import('./instructions.mjs')).instructions();
// Likewise: the OpenTelemetry SDK is loaded only for its suite.
const otel = async () => (await import('./otel.mjs')).otel();
const suites = { dispatch, emit, perTurn, fork, concurrent, http, footprint, cli, durable, otel };

/** Set in the fresh process a suite runs in (see below). */
const FRESH_PROCESS = 'LLMPROC_BENCH_FRESH_PROCESS';

/**
 * Run suite `name` in a fresh Node process. Without --expose-gc: no suite forces a collection (a
 * forced one throws optimized code away, and the next runs time the recompilation; bench/speed.mjs).
 */
async function inFreshProcess(name) {
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, [fileURLToPath(import.meta.url), name], {
    stdio: 'inherit',
    env: { ...process.env, [FRESH_PROCESS]: '1' },
  });
}

if (only) {
  const suite = { ...suites, instructions }[only];
  if (!suite) {
    throw new Error(
      `unknown suite ${only}; one of ${[...Object.keys(suites), 'instructions'].join(', ')}`,
    );
  }
  // Like every suite of a full run: in a process of its own.
  if (process.env[FRESH_PROCESS] === '1') await suite();
  else await inFreshProcess(only);
} else {
  // Each suite in a fresh Node process: memory figures (RSS) and JIT state must not carry over.
  for (const name of Object.keys(suites)) await inFreshProcess(name);
}
