// What llmproc adds to a hand-written @anthropic-ai/sdk loop, counted in CPU instructions instead of
// timed. On a shared machine wall time moves by more than the 5% the speed goal is about; an
// instruction count moves far less.
//
// Each loop runs in its own Node process under valgrind's callgrind, which counts every instruction
// the process executes (JIT compilers and GC included). A process's count includes Node's start and
// the JIT's warm-up, so each loop runs twice, for `warm + short` and `warm + long` runs: the
// difference divided by `long - short` is one run in steady state.
//
// Counting the HTTP loops themselves is not stable enough: how the socket's bytes arrive, and so how
// much work the SDK and undici do, depends on timing, and two counts of the same llmproc loop were
// found up to 20% apart. So the suite counts two things that are stable:
// - the bare loop against a fake server (in this process, not counted): what one run costs;
// - both loops with the SDK's `messages.create` replaced by the fake server's reply (no HTTP):
//   the difference is llmproc's own work per run, since both send the same requests through the
//   same SDK.
// llmproc's ratio to the bare loop is then 1 + own work / bare HTTP run. Non-streaming only (the
// stub has no stream). Needs valgrind (`apt-get install valgrind`); about 15 minutes.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startFakeAnthropic } from './fake-anthropic.mjs';
import { TOOL_TURNS } from './http-loops.mjs';

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
async function count(url, loop, warm, runs) {
  const { stderr } = await run(
    'valgrind',
    [
      '--tool=callgrind',
      '--callgrind-out-file=/dev/null',
      process.execPath,
      '--expose-gc',
      child,
      loop,
      'plain',
      String(warm),
      String(runs),
      url,
    ],
    { maxBuffer: 64 * 2 ** 20 },
  );
  const match = /Collected : (\d+)/.exec(stderr);
  if (!match) throw new Error(`callgrind printed no count for ${loop}:\n${stderr.slice(-2000)}`);
  return Number(match[1]);
}

/** Instructions of one run in steady state (see the top of this file). */
async function perRun(url, loop, { warm, short, long }) {
  const [a, b] = await Promise.all([count(url, loop, warm, short), count(url, loop, warm, long)]);
  return (b - a) / (long - short);
}

export async function instructions() {
  console.log(
    '\n## 10-tool run, non-streaming: what llmproc adds to a hand-written @anthropic-ai/sdk loop, in CPU instructions (callgrind)',
  );
  if (!(await hasValgrind())) {
    console.log('skipped: valgrind is not installed');
    return undefined;
  }
  // The server runs here, not under callgrind.
  const server = await startFakeAnthropic(TOOL_TURNS);
  const http = { warm: 40, short: 10, long: 60 };
  // Runs without HTTP are 50 times cheaper: more of them, for the same precision.
  const stubbed = { warm: 500, short: 200, long: 1200 };
  const bareHttp = await perRun(server.url, 'bare', http);
  await server.close();
  const own = {};
  for (const loop of ['bare', 'llmproc', 'callbacks8'])
    own[loop] = await perRun('stub', loop, stubbed);
  const added = (loop) => own[loop] - own.bare;
  const ratio = (loop) => 1 + added(loop) / bareHttp;
  console.log(`bare SDK loop over HTTP              ${fmt(bareHttp / 1e6)} M instructions/run`);
  console.log(
    `SDK call stubbed: bare loop ${fmt(own.bare / 1e3, 0)} k, llmproc ${fmt(own.llmproc / 1e3, 0)} k, + 8 callbacks ${fmt(own.callbacks8 / 1e3, 0)} k instructions/run`,
  );
  console.log(
    `llmproc                 adds ${fmt(added('llmproc') / 1e3, 0)} k/run: ${fmt(ratio('llmproc'), 3)}x the bare loop   (goal <= 1.05x)`,
  );
  console.log(
    `llmproc + 8 callbacks   adds ${fmt(added('callbacks8') / 1e3, 0)} k/run: ${fmt(ratio('callbacks8'), 3)}x the bare loop   (goal <= 1.08x)`,
  );
  return { llmproc: ratio('llmproc'), callbacks8: ratio('callbacks8') };
}
