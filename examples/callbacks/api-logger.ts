/**
 * The guide's APILogger: keeps the raw request and response of every API call. The request is the
 * object handed to the provider's SDK and the response is what the SDK returned, so their shapes are
 * the provider's (the mock's are shaped like Anthropic's Messages API).
 *
 *   node examples/callbacks/api-logger.ts [config.toml]
 */
import path from 'node:path';
import { LLMProgram, type Callbacks } from 'llmproc';

class APILogger implements Callbacks {
  readonly calls: { request: Record<string, unknown>; response?: unknown }[] = [];

  api_request(payload: Record<string, unknown>): void {
    this.calls.push({ request: payload });
  }

  api_response(response: unknown): void {
    const last = this.calls.at(-1);
    if (last) last.response = response;
  }
}

function keysOf(value: unknown): string {
  return typeof value === 'object' && value !== null ? Object.keys(value).join(', ') : typeof value;
}

const configPath = process.argv[2] ?? path.join(import.meta.dirname, 'calculator.toml');
const logger = new APILogger();
const proc = await LLMProgram.fromFile(configPath).start().addCallback(logger);

const result = await proc.run('What is 6 * 7?');
console.log(
  `${String(logger.calls.length)} API calls (RunResult.apiCalls = ${String(result.apiCalls)})`,
);
logger.calls.forEach((call, i) => {
  console.log(`call ${String(i + 1)} request: ${keysOf(call.request)}`);
  console.log(`call ${String(i + 1)} response: ${keysOf(call.response)}`);
});
await proc.close();
