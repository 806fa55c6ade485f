// The http comparison counted in CPU instructions instead of timed: each loop runs in its own Node
// process under valgrind's callgrind, which counts every instruction the process executes (all its
// threads: JIT compilers and GC helpers included). Unlike time, the count does not move with the
// machine's load, so it shows a difference of 1% that wall time on a shared machine cannot.
//
// A process's count includes Node's start and the JIT's warm-up; each loop is therefore run twice,
// for `warm + short` and `warm + long` runs, and the difference divided by `long - short` is the
// count of one run in steady state. Needs valgrind (`apt-get install valgrind`); about 10 minutes.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
const child = fileURLToPath(new URL('./instructions-child.mjs', import.meta.url));
const fmt = (x, digits = 2) => x.toFixed(digits);

async function hasValgrind() {
  try {
    await run('valgrind', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** Instructions callgrind counted for one child process. */
async function count(loop, stream, warm, runs) {
  const { stderr } = await run(
    'valgrind',
    [
      '--tool=callgrind',
      '--callgrind-out-file=/dev/null',
      process.execPath,
      child,
      loop,
      stream ? 'stream' : 'plain',
      String(warm),
      String(runs),
    ],
    { maxBuffer: 64 * 2 ** 20 },
  );
  const match = /Collected : (\d+)/.exec(stderr);
  if (!match) throw new Error(`callgrind printed no count for ${loop}:\n${stderr.slice(-2000)}`);
  return Number(match[1]);
}

/** Instructions of one run in steady state (see the top of this file). */
async function perRun(loop, stream, { warm, short, long }) {
  const [a, b] = await Promise.all([
    count(loop, stream, warm, short),
    count(loop, stream, warm, long),
  ]);
  return (b - a) / (long - short);
}

export async function instructions({ warm = 40, short = 10, long = 40 } = {}) {
  console.log(
    '\n## 10-tool run against a local fake Anthropic server, in CPU instructions per run (callgrind; ratio to the hand-written @anthropic-ai/sdk loop)',
  );
  if (!(await hasValgrind())) {
    console.log('skipped: valgrind is not installed');
    return undefined;
  }
  console.log(`steady state: (${warm} + ${long} runs) - (${warm} + ${short} runs), per run`);
  const results = {};
  for (const stream of [false, true]) {
    const label = stream ? 'streaming' : 'non-streaming';
    const counts = {};
    // The bare loop twice: the two counts differ by what is not deterministic (GC timing).
    for (const loop of ['bare', 'bareAgain', 'llmproc', 'callbacks8']) {
      counts[loop] = await perRun(loop === 'bareAgain' ? 'bare' : loop, stream, {
        warm,
        short,
        long,
      });
    }
    const ratio = (loop) => counts[loop] / counts.bare;
    console.log(`${label}: bare SDK loop ${fmt(counts.bare / 1e6)} M instructions/run`);
    console.log(`  bare loop again (A/A)   ${fmt(ratio('bareAgain'), 3)}x   (the noise)`);
    console.log(`  llmproc                 ${fmt(ratio('llmproc'), 3)}x   (goal <= 1.05x)`);
    console.log(`  llmproc + 8 callbacks   ${fmt(ratio('callbacks8'), 3)}x   (goal <= 1.08x)`);
    results[label] = Object.fromEntries(Object.keys(counts).map((loop) => [loop, ratio(loop)]));
  }
  return results;
}
