#!/usr/bin/env node
// The `llmproc` executable. It only switches on V8's compile cache (Node >= 22.1; off with
// NODE_DISABLE_COMPILE_CACHE=1) before anything else loads, so that every module after it, the
// library and zod included, starts from cached code on later runs.
import module from 'node:module';

module.enableCompileCache();
await import('./main.js');
