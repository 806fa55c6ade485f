// One loop of bench/http-loops.mjs, `warm + runs` times, in a process of its own (for callgrind:
// see bench/instructions.mjs), against the fake server at URL, or with URL `stub` against the
// SDK's messages.create stubbed (see http-loops.mjs).
// Usage: node --expose-gc instructions-child.mjs bare|llmproc|callbacks8 stream|plain WARM RUNS URL
import { setLogger } from '../dist/index.js';
import { startHttpLoops } from './http-loops.mjs';

setLogger({ debug() {}, info() {}, warn() {}, error() {} });

const [loop, mode, warm, runs, url] = process.argv.slice(2);
const loops = await startHttpLoops({ url });
const fn = loops[loop];
if (typeof fn !== 'function' || loop === 'close') throw new Error(`unknown loop ${loop}`);
const stream = mode === 'stream';
for (let i = 0; i < Number(warm); i++) await fn(stream);
// A full collection before and after the counted runs: the count then holds the collection of
// their garbage, whenever V8 would have run it (else a major GC falls in one process's runs and
// not the other's, a few percent of a count).
globalThis.gc();
for (let i = 0; i < Number(runs); i++) await fn(stream);
globalThis.gc();
await loops.close();
