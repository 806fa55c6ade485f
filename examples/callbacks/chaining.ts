/**
 * Registering callbacks (the guide's "Registering Callbacks"): after the process has started, or
 * chained onto `program.start()` before it has. `addCallback` returns the process, so calls chain;
 * `removeCallback` undoes one.
 *
 *   node examples/callbacks/chaining.ts [config.toml]
 */
import path from 'node:path';
import { LLMProgram, type CallbackEvent } from 'llmproc';

const configPath = process.argv[2] ?? path.join(import.meta.dirname, 'calculator.toml');
const program = LLMProgram.fromFile(configPath);

const counts = new Map<string, number>();
function countEvents(event: CallbackEvent): void {
  counts.set(event, (counts.get(event) ?? 0) + 1);
}
const printResponses = {
  response: (text: string) => {
    console.log(`Response: ${text}`);
  },
};
const neverCalled = {
  response: () => {
    console.log('this callback was removed');
  },
};

// Chained onto start(): registered as soon as the process exists, before anything runs.
const proc = await program.start().addCallback(countEvents).addCallback(printResponses);

// Or on the started process; addCallback and removeCallback return the process too.
proc.addCallback(neverCalled).removeCallback(neverCalled);
console.log(`${String(proc.getCallbacks().length)} callbacks registered`);

await proc.run('What is 6 * 7?');
console.log(`Events seen: ${[...counts].map(([event, n]) => `${event}=${String(n)}`).join(' ')}`);
await proc.close();
