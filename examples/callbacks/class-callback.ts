/**
 * An object callback (the guide's "Class-Based Callbacks"): methods named after the events, each
 * called with that event's arguments only. Implementing `Callbacks` lets the editor complete the
 * method names and check their parameters; a class may implement any subset of them.
 *
 *   node examples/callbacks/class-callback.ts [config.toml]
 */
import path from 'node:path';
import { LLMProgram, type Callbacks, type ToolResult } from 'llmproc';

class MyCallbacks implements Callbacks {
  tool_start(toolName: string, toolArgs: Record<string, unknown>): void {
    console.log(`Tool started: ${toolName} ${JSON.stringify(toolArgs)}`);
  }

  tool_end(toolName: string, result: ToolResult): void {
    console.log(`Tool completed: ${toolName} -> ${result.contentText()}`);
  }

  response(text: string): void {
    console.log(`Response: ${text.slice(0, 30)}...`);
  }
}

const configPath = process.argv[2] ?? path.join(import.meta.dirname, 'calculator.toml');
const proc = await LLMProgram.fromFile(configPath).start();
proc.addCallback(new MyCallbacks());

const result = await proc.run('What is 6 * 7?');
console.log(`Answer: ${result.lastMessage}`);
await proc.close();
