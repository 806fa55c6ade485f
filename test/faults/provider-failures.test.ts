/**
 * Provider failures below the HTTP status, through the official Anthropic SDK against a fake server
 * on 127.0.0.1: each reaches the caller as a ProviderError, the conversation stays valid, and the
 * process runs again.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LLMProgram, ProviderError } from '../../src/index.js';
import { expectValidConversation } from '../support/conversation-invariant.js';

type Action = (req: IncomingMessage, res: ServerResponse) => void;

const key = 'sk-ant-test-0123456789abcdef';

const message = JSON.stringify({
  id: 'msg_ok',
  type: 'message',
  role: 'assistant',
  model: 'claude-test',
  content: [{ type: 'text', text: 'All good.' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 5, output_tokens: 3 },
});

const ok: Action = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_ok' });
  res.end(message);
};
const resetMidBody: Action = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write(message.slice(0, 40));
  setTimeout(() => res.socket?.destroy(), 20);
};
const notJson: Action = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('<html>502 Bad Gateway</html>');
};
const streamErrorEvent: Action = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.end(
    'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
  );
};
// A proxy that quotes the key it was given (the key itself, whatever header carried it).
const echoesKey: Action = (_req, res) => {
  res.writeHead(401, { 'content-type': 'application/json', 'request-id': 'req_401' });
  res.end(
    JSON.stringify({
      type: 'error',
      error: {
        type: 'authentication_error',
        message: `invalid x-api-key ${key}`,
      },
    }),
  );
};

let server: Server;
let url = '';
let queue: Action[] = [];
let received = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    received++;
    req.resume();
    req.on('end', () => {
      (queue.shift() ?? ok)(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
});

afterEach(() => {
  vi.unstubAllEnvs();
  queue = [];
  received = 0;
});

async function start(actions: Action[], stream = false) {
  vi.stubEnv('ANTHROPIC_API_KEY', key);
  vi.stubEnv('LLMPROC_RETRY_MAX_ATTEMPTS', '2');
  vi.stubEnv('LLMPROC_RETRY_INITIAL_WAIT', '0.01');
  queue = actions;
  const program = LLMProgram.fromDict({
    model: { name: 'claude-test', provider: 'anthropic', base_url: url },
    prompt: { system_prompt: 'Be brief.' },
  });
  const proc = await program.start();
  return { proc, run: () => proc.run('Hello?', { stream }) };
}

describe('every provider failure reaches the caller as a ProviderError', () => {
  it('retries a connection reset in the middle of a body, then answers', async () => {
    const { proc, run } = await start([resetMidBody, ok]);
    const result = await run();
    expect(result.lastMessage).toBe('All good.');
    expect(received).toBe(2);
    await expectValidConversation(proc);
  });

  it('gives up on resets after LLMPROC_RETRY_MAX_ATTEMPTS with a retryable ProviderError', async () => {
    const { proc, run } = await start([resetMidBody, resetMidBody]);
    const error: unknown = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'anthropic', status: undefined, retryable: true });
    expect(received).toBe(2);
    expect(proc.getState()).toEqual([]);
    await expectValidConversation(proc);
  });

  it('turns a 200 whose body is not JSON into a ProviderError', async () => {
    const { proc, run } = await start([notJson, notJson]);
    const error: unknown = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).details).toEqual({ fault: 'invalid_body' });
    await expectValidConversation(proc);
  });

  it('turns an error event inside a stream into a retryable ProviderError', async () => {
    const { proc, run } = await start([streamErrorEvent], true);
    const error: unknown = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'anthropic', retryable: true });
    expect((error as Error).message).toMatch(/overloaded_error/);
    await expectValidConversation(proc);
  });

  it('redacts a credential the server echoes, and keeps the request id', async () => {
    const { proc, run } = await start([echoesKey]);
    const error: unknown = await run().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, retryable: false, requestId: 'req_401' });
    expect((error as Error).message).toContain('[redacted]');
    expect(String((error as Error).stack)).not.toContain(key);
    expect(((error as Error).cause as Error).message).not.toContain(key);
    await expectValidConversation(proc);
  });
});
