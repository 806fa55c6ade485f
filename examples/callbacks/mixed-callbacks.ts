/**
 * An object callback that mixes sync and async methods (the guide's `MixedCallbacks`). The sync
 * method runs to completion at the event; the async one starts at the event and is awaited by run().
 *
 *   node examples/callbacks/mixed-callbacks.ts [config.toml]
 */
import path from 'node:path';
import { LLMProgram, type Callbacks } from 'llmproc';

const saved: string[] = [];

/** Stands for async storage. */
async function logResponse(text: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 10));
  saved.push(text);
}

class MixedCallbacks implements Callbacks {
  tool_start(toolName: string): void {
    console.log(`sync start: ${toolName}`);
  }

  async response(text: string): Promise<void> {
    await logResponse(text);
    console.log(`async response saved: ${text.slice(0, 30)}`);
  }
}

const configPath = process.argv[2] ?? path.join(import.meta.dirname, 'calculator.toml');
const proc = await LLMProgram.fromFile(configPath).start();
proc.addCallback(new MixedCallbacks());

const result = await proc.run('What is 6 * 7?');
console.log(`Saved ${String(saved.length)} responses before run() resolved`);
console.log(`Answer: ${result.lastMessage}`);
await proc.close();
