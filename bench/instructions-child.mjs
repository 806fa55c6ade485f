// One loop of bench/http-loops.mjs, `warm + runs` times, in a process of its own (for callgrind:
// see bench/instructions.mjs). Usage: node instructions-child.mjs bare|llmproc|callbacks8 stream|plain WARM RUNS
import { setLogger } from '../dist/index.js';
import { startHttpLoops } from './http-loops.mjs';

setLogger({ debug() {}, info() {}, warn() {}, error() {} });

const [loop, mode, warm, runs] = process.argv.slice(2);
const loops = await startHttpLoops();
const fn = loops[loop];
if (typeof fn !== 'function' || loop === 'close') throw new Error(`unknown loop ${loop}`);
const total = Number(warm) + Number(runs);
for (let i = 0; i < total; i++) await fn(mode === 'stream');
await loops.close();
