/**
 * A function callback (the guide's "Function-Based Callbacks"): called with the event name, the
 * event's arguments and an EventContext. Checking `params[0]` narrows the rest of the tuple, so
 * `toolArgs`, `result` and `text` are typed without casts.
 *
 *   node examples/callbacks/function-callback.ts [config.toml]
 */
import path from 'node:path';
import { CallbackEvent, LLMProgram, type CallbackParams } from 'llmproc';

function myCallback(...params: CallbackParams): void {
  if (params[0] === CallbackEvent.TOOL_START) {
    const [, toolName, toolArgs] = params;
    console.log(`Tool started: ${toolName} ${JSON.stringify(toolArgs)}`);
  } else if (params[0] === CallbackEvent.TOOL_END) {
    const [, toolName, result] = params;
    console.log(`Tool completed: ${toolName} -> ${result.contentText()}`);
  } else if (params[0] === CallbackEvent.RESPONSE) {
    const [, text] = params;
    console.log(`Response: ${text.slice(0, 30)}...`);
  }
}

const configPath = process.argv[2] ?? path.join(import.meta.dirname, 'calculator.toml');
const program = LLMProgram.fromFile(configPath);
const proc = await program.start();
proc.addCallback(myCallback);

const result = await proc.run('What is 6 * 7?');
console.log(`Answer: ${result.lastMessage}`);
await proc.close();
