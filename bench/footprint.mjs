// Why llmproc's own work costs more inside the HTTP loop than in a tight loop: the bare SDK loop of
// the http suite, with work of one known kind and size added after every reply, against the bare
// loop itself, interleaved round by round after a warm-up like the http suite. Each kind of work is
// also timed alone in a tight loop (hot); its amplification is what it adds to a run in the loop
// divided by what the same calls cost hot.
//
// - compute: one small function that loops (a few hundred bytes of machine code, no allocation);
// - code: 100 distinct small functions, each called once (about as much code per turn as llmproc's
//   per-turn path runs, spread over as many functions);
// - allocation: 300 small objects kept until the turn ends;
// - llmproc itself: its run over HTTP, against its own work per run measured hot, with the SDK's
//   `messages.create` stubbed in both loops (bench/http-loops.mjs), after the HTTP rounds.
//
// On this repo's 2-core VM (docs/architecture.md, "Speed"), compute costs in the loop what it costs
// hot, while code and allocation cost about ten times more.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { TOOL_TURNS, startHttpLoops } from './http-loops.mjs';
import { fmt, httpRounds, interleaved, median, ratioLine } from './speed.mjs';

const CALLS_PER_RUN = TOOL_TURNS + 1;

let sink = 0;

function compute() {
  let x = 0;
  for (let i = 0; i < 20_000; i++) x = (x * 31 + i) | 0;
  sink += x;
}

function allocation() {
  const kept = [];
  for (let i = 0; i < 300; i++) kept.push({ index: i, length: kept.length, next: null });
  sink += kept.length;
}

/**
 * `count` functions whose source differs (so V8 compiles each on its own), written to a module
 * and imported: closures of one function would share its machine code.
 */
async function distinctFunctions(count) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'llmproc-bench-'));
  const file = path.join(dir, 'functions.mjs');
  const body = Array.from(
    { length: count },
    (_, f) =>
      `  (v) => { let x = v | 0; for (let i = 0; i < 8; i++) { x = (x * ${f + 3} + i) ^ (x >>> ${(f % 13) + 1}); if ((x & ${f + 1}) === 7) x += ${f}; else x -= ${f % 5}; } return x; },`,
  ).join('\n');
  await writeFile(file, `export const functions = [\n${body}\n];\n`);
  const { functions } = await import(pathToFileURL(file).href);
  await rm(dir, { recursive: true });
  return () => {
    let v = 1;
    for (const fn of functions) v = fn(v);
    sink += v;
  };
}

/** µs per call of `fn` in a tight loop, after as many calls to warm it up. */
function hotMicroseconds(fn, n = 20_000) {
  for (let i = 0; i < n; i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  return ((performance.now() - t0) * 1000) / n;
}

/** Median over the rounds of what `name` adds to `base`, in µs per run of wall time. */
function addedMicroseconds(samples, name, base) {
  return median(samples[name].wall.map((ms, i) => (ms - samples[base].wall[i]) * 1000));
}

export async function footprint({ rounds, warmup } = httpRounds()) {
  console.log(
    '\n## What work costs inside the HTTP loop, by kind (bare SDK loop + work after each reply)',
  );
  console.log(`${rounds} interleaved rounds of 5 runs each, after ${warmup} warm-up rounds`);
  const code = await distinctFunctions(100);
  const kinds = { compute, code, allocation };
  const hot = Object.fromEntries(
    Object.entries(kinds).map(([name, fn]) => [name, hotMicroseconds(fn)]),
  );

  const loops = await startHttpLoops();
  const variants = {
    bare: () => loops.bare(false),
    bareAgain: () => loops.bare(false),
    ...Object.fromEntries(
      Object.entries(kinds).map(([name, fn]) => [name, () => loops.bare(false, fn)]),
    ),
    llmproc: () => loops.llmproc(false),
  };
  await interleaved(variants, warmup, 5);
  const samples = await interleaved(variants, rounds, 5);
  await loops.close();

  // llmproc's own work per run, hot: both loops without HTTP (the stub stays for this process).
  const stubbed = await startHttpLoops({ url: 'stub' });
  const stubVariants = { bare: () => stubbed.bare(false), llmproc: () => stubbed.llmproc(false) };
  await interleaved(stubVariants, warmup * 5, 20);
  const stubSamples = await interleaved(stubVariants, rounds, 20);
  await stubbed.close();
  const llmprocHotPerRun = addedMicroseconds(stubSamples, 'llmproc', 'bare');

  console.log(
    `bare SDK loop ${fmt(median(samples.bare.wall))} ms/run, ${CALLS_PER_RUN} model calls`,
  );
  console.log(
    'work after each reply        hot, µs/run   in the loop, µs/run   amplification   ratio to bare',
  );
  const row = (label, hotPerRun, name) => {
    const added = addedMicroseconds(samples, name, 'bare');
    const amplification = hotPerRun > 0 ? `${fmt(added / hotPerRun, 1)}x` : '-';
    console.log(
      `${label.padEnd(28)} ${fmt(hotPerRun, 0).padStart(9)}   ${fmt(added, 0).padStart(19)}   ${amplification.padStart(13)}   ${fmt(ratioLine(samples, name, 'bare', 'wall').median)}x`,
    );
  };
  row('none (bare loop again, A/A)', 0, 'bareAgain');
  row('compute (1 small loop)', hot.compute * CALLS_PER_RUN, 'compute');
  row('code (100 small functions)', hot.code * CALLS_PER_RUN, 'code');
  row('allocation (300 objects)', hot.allocation * CALLS_PER_RUN, 'allocation');
  row("llmproc's loop (own work)", llmprocHotPerRun, 'llmproc');
  if (sink === 0.5) console.log(sink);
}
