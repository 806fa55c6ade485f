#!/usr/bin/env node
// The `llmproc` executable. It checks the Node version first (the provider SDKs need Node 22), then
// switches on V8's compile cache (off with NODE_DISABLE_COMPILE_CACHE=1) before anything else loads,
// so that every module after it, the library and zod included, starts from cached code on later runs.
import module from 'node:module';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `llmproc requires Node.js 22 or newer; this is Node.js ${process.versions.node}\n`,
  );
  process.exit(1);
}
module.enableCompileCache();
await import('./main.js');
