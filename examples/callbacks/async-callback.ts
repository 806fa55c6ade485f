/**
 * An async function callback (the guide's "Async Callbacks"). It starts at the moment of the event,
 * like a sync one; the process tracks its promise, and run() resolves only once every callback
 * promise started during the run has settled. So the log is complete when run() returns.
 *
 *   node examples/callbacks/async-callback.ts [config.toml]
 */
import path from 'node:path';
import { LLMProgram, type CallbackEvent } from 'llmproc';

const log: string[] = [];

/** Stands for real async work: a database insert, an HTTP post, a file append. */
async function logEvent(event: CallbackEvent): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 5));
  log.push(event);
}

async function myAsyncCallback(event: CallbackEvent): Promise<void> {
  await logEvent(event);
}

const configPath = process.argv[2] ?? path.join(import.meta.dirname, 'calculator.toml');
const proc = await LLMProgram.fromFile(configPath).start();
proc.addCallback(myAsyncCallback);

const result = await proc.run('What is 6 * 7?');
// Every logEvent has finished by now: no event is missing, none arrives later.
console.log(`Logged ${String(log.length)} events: ${log.join(', ')}`);
console.log(`Answer: ${result.lastMessage}`);
await proc.close();
