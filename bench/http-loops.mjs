// The loops the http speed suites compare, against one local fake Anthropic server: a hand-written
// @anthropic-ai/sdk loop (the baseline) and llmproc running the same 10-tool conversation, without
// callbacks and with 8 sync ones. bench/speed.mjs times them; bench/instructions.mjs counts their
// instructions.
import { LLMProgram, defineTool } from '../dist/index.js';
import { reply, startFakeAnthropic } from './fake-anthropic.mjs';

export const TOOL_TURNS = 10;

/** The tool every bench program calls: it does nothing. */
export const noopTool = defineTool({
  name: 'noop',
  description: 'does nothing',
  parameters: { type: 'object', properties: { i: { type: 'number' } } },
  execute: () => 'ok',
});

/** The llmproc program the http suites run against the fake server at `baseUrl`. */
export function fakeAnthropicProgram(baseUrl) {
  return new LLMProgram({
    model: 'claude-bench',
    provider: 'anthropic',
    baseUrl,
    tools: [noopTool],
    parameters: { max_tokens: 1024 },
    disableAutomaticCaching: true,
    maxIterations: 20,
  });
}

/**
 * Replaces the SDK's `messages.create` (for every client, llmproc's included) by the fake server's
 * reply, without HTTP: what the loops then cost is their own work, not the SDK's and the network's.
 * Non-streaming only.
 */
function stubMessagesCreate(Anthropic) {
  const messages = Object.getPrototypeOf(new Anthropic({ apiKey: 'stub' }).messages);
  // Through JSON, as a reply from the network would be: fresh objects each call.
  messages.create = async (body) => JSON.parse(JSON.stringify(reply(body, TOOL_TURNS)));
}

/**
 * The loops, against a fake server of their own or, given `url`, one already running (in another
 * process: bench/instructions.mjs counts the loops' instructions without the server's); with
 * `url: 'stub'`, against no server at all (see {@link stubMessagesCreate}).
 */
export async function startHttpLoops({ url } = {}) {
  const { default: Anthropic } = await import('@anthropic-ai/sdk');
  if (url === 'stub') stubMessagesCreate(Anthropic);
  const server = url
    ? { url: url === 'stub' ? 'http://127.0.0.1:9' : url, close: async () => {} }
    : await startFakeAnthropic(TOOL_TURNS);
  process.env.ANTHROPIC_API_KEY = 'bench-key';
  const tools = [
    {
      name: 'noop',
      description: 'does nothing',
      input_schema: { type: 'object', properties: { i: { type: 'number' } } },
    },
  ];
  const client = new Anthropic({ apiKey: 'bench-key', baseURL: server.url });
  // `afterReply`, if given, runs after every reply: bench/footprint.mjs adds work of a known kind
  // and size there, to see what such work costs inside the loop.
  const bare = async (stream, afterReply) => {
    const messages = [{ role: 'user', content: 'go' }];
    for (;;) {
      const params = { model: 'claude-bench', max_tokens: 1024, messages, tools };
      const message = stream
        ? await client.messages.stream(params).finalMessage()
        : await client.messages.create(params);
      afterReply?.();
      messages.push({ role: 'assistant', content: message.content });
      const calls = message.content.filter((b) => b.type === 'tool_use');
      if (calls.length === 0) return;
      messages.push({
        role: 'user',
        content: calls.map((c) => ({ type: 'tool_result', tool_use_id: c.id, content: 'ok' })),
      });
    }
  };
  const program = fakeAnthropicProgram(server.url);
  const plain = await program.start();
  const withCallbacks = await program.start();
  const seen = new Array(8).fill(0);
  for (let i = 0; i < 8; i++) {
    withCallbacks.addCallback(() => {
      seen[i]++;
    });
  }
  const viaLlmproc = async (proc, stream) => {
    proc.resetState();
    const result = await proc.run('go', { stream });
    if (result.apiCalls !== TOOL_TURNS + 1) {
      throw new Error(`expected ${TOOL_TURNS + 1} model calls, got ${result.apiCalls}`);
    }
  };
  let callbackRuns = 0;
  return {
    bare,
    llmproc: (stream) => viaLlmproc(plain, stream),
    callbacks8: (stream) => {
      callbackRuns++;
      return viaLlmproc(withCallbacks, stream);
    },
    async close() {
      await plain.close();
      await withCallbacks.close();
      await server.close();
      if (callbackRuns > 0 && seen.some((n) => n === 0)) {
        throw new Error('a callback saw no event');
      }
    },
  };
}
