/**
 * Every callback event on one run with tool calls and a fork (the guide's closing pointer). One
 * object callback implements all eight events of the guide, and `run_end`, and prints a line for
 * each, indented and tagged with the pid for the fork children; then a count per event. Add
 * `--stream` to stream the replies and see `text_delta` as well.
 *
 *   node examples/scripts/callback_demo.ts [config.toml] [--stream]
 */
import path from 'node:path';
import {
  CallbackEvent,
  LLMProgram,
  type Callbacks,
  type EventContext,
  type LLMProcess,
  type RunResult,
  type ToolResult,
  type ToolResultBlock,
} from 'llmproc';

function shorten(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

class DemoCallbacks implements Callbacks {
  readonly counts = new Map<CallbackEvent, number>();

  #print(event: CallbackEvent, context: EventContext, detail: string): void {
    this.counts.set(event, (this.counts.get(event) ?? 0) + 1);
    const child = context.parentPid === undefined ? '' : `    [pid ${String(context.pid)}] `;
    console.log(`${child}${event.padEnd(12)} ${detail}`);
  }

  turn_start(process: LLMProcess, context: EventContext): void {
    this.#print('turn_start', context, `${String(process.getState().length)} messages so far`);
  }

  api_request(payload: Record<string, unknown>, context: EventContext): void {
    const messages = payload['messages'] ?? payload['contents'] ?? payload['input'];
    const count = Array.isArray(messages) ? messages.length : 0;
    this.#print(
      'api_request',
      context,
      `model ${String(payload['model'])}, ${String(count)} messages`,
    );
  }

  api_response(response: unknown, context: EventContext): void {
    const id = field(response, 'id') ?? field(response, 'responseId');
    this.#print('api_response', context, typeof id === 'string' ? `id ${id}` : 'received');
  }

  response(text: string, context: EventContext): void {
    this.#print('response', context, shorten(text));
  }

  tool_start(toolName: string, toolArgs: Record<string, unknown>, context: EventContext): void {
    this.#print('tool_start', context, `${toolName} ${shorten(JSON.stringify(toolArgs))}`);
  }

  tool_end(toolName: string, result: ToolResult, context: EventContext): void {
    const status = result.isError ? 'error' : 'ok';
    this.#print('tool_end', context, `${toolName} ${status}: ${shorten(result.contentText())}`);
  }

  stderr_write(text: string, context: EventContext): void {
    this.#print('stderr_write', context, text);
  }

  turn_end(
    _process: LLMProcess,
    _response: unknown,
    toolResults: ToolResultBlock[],
    context: EventContext,
  ): void {
    this.#print('turn_end', context, `${String(toolResults.length)} tool result(s)`);
  }

  run_end(result: RunResult, context: EventContext): void {
    this.#print('run_end', context, `${result.status} after ${String(context.turn)} turn(s)`);
  }

  text_delta(): void {
    // Only when streaming; counted, not printed, to keep the output readable.
    this.counts.set('text_delta', (this.counts.get('text_delta') ?? 0) + 1);
  }
}

const args = process.argv.slice(2);
const stream = args.includes('--stream');
const configPath =
  args.find((arg) => !arg.startsWith('--')) ?? path.join(import.meta.dirname, 'callback_demo.toml');

const demo = new DemoCallbacks();
const proc = await LLMProgram.fromFile(configPath).start().addCallback(demo);
const result = await proc.run('What is 6 * 7? Check it two ways in parallel.', { stream });

console.log(`\nanswer: ${result.lastMessage}`);
console.log(`stderr log: ${JSON.stringify(proc.getStderrLog())}`);
console.log('\nevent counts (parent and children):');
for (const event of Object.values(CallbackEvent)) {
  console.log(`  ${event.padEnd(12)} ${String(demo.counts.get(event) ?? 0)}`);
}
const seedEvents = Object.values(CallbackEvent).filter(
  (event) => event !== 'text_delta' && event !== 'run_end' && event !== 'callback_error',
);
const missing = seedEvents.filter((event) => !demo.counts.has(event));
console.log(missing.length === 0 ? 'all eight events seen' : `missing: ${missing.join(', ')}`);
await proc.close();
