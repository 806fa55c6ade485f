/**
 * One retry policy on every provider, through the official `openai` (chat and responses) and
 * `@google/genai` SDKs against a fake server on 127.0.0.1: 408, 409, 429, 5xx and 529 are retried,
 * and the next attempt waits at least what `retry-after` asks (the Gemini SDK does not read it; our
 * fetch does). test/faults/provider-failures.test.ts covers the failures below HTTP on Anthropic.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LLMProgram, ProviderError } from '../../src/index.js';
import { expectValidConversation } from '../support/conversation-invariant.js';
import { loadFixture, type Fixture, type FixtureSet } from '../support/replay-server.js';
import { failOnUnhandledRejections } from '../support/unhandled-rejections.js';

failOnUnhandledRejections();

type Action = (req: IncomingMessage, res: ServerResponse) => void;

/** Answer with a recorded response. */
function replay(fixture: Fixture): Action {
  return (_req, res) => {
    // The recorded length and encoding do not hold for the body written here.
    const headers = Object.entries(fixture.response.headers ?? {}).filter(
      ([name]) => !['content-length', 'content-encoding'].includes(name.toLowerCase()),
    );
    res.writeHead(fixture.response.status, Object.fromEntries(headers));
    res.end(JSON.stringify(fixture.response.body));
  };
}

function status(code: number, headers: Record<string, string>): Action {
  return (_req, res) => {
    res.writeHead(code, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ error: { message: `status ${String(code)}`, code } }));
  };
}

const resetBeforeResponse: Action = (req) => {
  req.socket.destroy();
};
function resetMidBody(fixture: Fixture): Action {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(JSON.stringify(fixture.response.body).slice(0, 40));
    setTimeout(() => res.socket?.destroy(), 20);
  };
}
const notJson: Action = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('<html>502 Bad Gateway</html>');
};
const cutStream: Action = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write('data: {"partial": tr');
  setTimeout(() => res.socket?.destroy(), 20);
};

function sse(frames: readonly { event?: string; data: unknown }[]): Action {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(
      frames
        .map(
          (f) =>
            `${f.event === undefined ? '' : `event: ${f.event}\n`}data: ${JSON.stringify(f.data)}\n\n`,
        )
        .join(''),
    );
  };
}

const key = 'sk-fault-test-0123456789abcdef';
/** A 401 from a proxy that quotes the key it was given. */
const echoesKey: Action = (_req, res) => {
  res.writeHead(401, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${key}`, code: 401 } }));
};

const cases: {
  name: string;
  streamError: Action;
  set: FixtureSet;
  provider: string;
  dict: Record<string, unknown>;
  answer: string;
}[] = [
  {
    name: 'openai chat',
    provider: 'openai',
    set: 'openai-chat',
    streamError: sse([
      { data: { error: { message: 'The server had an error', type: 'server_error' } } },
    ]),
    dict: { model: { name: 'gpt-4o', provider: 'openai' } },
    answer: 'The capital of France is Paris.',
  },
  {
    name: 'openai responses',
    provider: 'openai',
    set: 'openai-responses',
    streamError: sse(
      loadFixture('openai-responses', 'stream-error-insufficient-quota').response.sse ?? [],
    ),
    dict: {
      model: { name: 'gpt-5-nano', provider: 'openai' },
      parameters: { reasoning_effort: 'low' },
    },
    answer: 'The capital of France is Paris.',
  },
  {
    name: 'gemini',
    provider: 'gemini',
    streamError: sse([
      {
        data: { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } },
      },
    ]),
    set: 'gemini',
    dict: { model: { name: 'gemini-2.5-flash', provider: 'gemini' } },
    answer: 'Hello! How can I help you today?',
  },
];

let server: Server;
let url = '';
let queue: Action[] = [];
let arrivals: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    arrivals.push(performance.now());
    req.resume();
    req.on('end', () => {
      (queue.shift() ?? status(500, {}))(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
});

afterEach(() => {
  vi.unstubAllEnvs();
  queue = [];
  arrivals = [];
});

describe.each(cases)('$name retries like every provider', (c) => {
  const ok = replay(loadFixture(c.set, 'text'));

  async function runWith(actions: Action[]): Promise<void> {
    vi.stubEnv('OPENAI_API_KEY', 'sk-test');
    vi.stubEnv('GEMINI_API_KEY', 'test-key');
    vi.stubEnv('LLMPROC_RETRY_MAX_ATTEMPTS', '2');
    vi.stubEnv('LLMPROC_RETRY_INITIAL_WAIT', '0.01');
    // expectValidConversation runs the process once more: one more answer for it.
    queue = [...actions, ok];
    const model = c.dict['model'] as Record<string, unknown>;
    const proc = await LLMProgram.fromDict({
      ...c.dict,
      model: { ...model, base_url: url },
    }).start();
    const result = await proc.run('What is the capital of France?');
    expect(result.lastMessage).toBe(c.answer);
    await expectValidConversation(proc);
    await proc.close();
  }

  it.each([408, 409, 429, 500, 503, 529])('retries a %i, then answers', async (code) => {
    await runWith([status(code, { 'retry-after': '0' }), ok]);
    expect(arrivals).toHaveLength(3); // two attempts, then the invariant's run
  });

  /** The run's error; then the conversation is valid and the process answers again. */
  async function failureOf(
    actions: Action[],
    stream = false,
    apiKey = 'test-key',
  ): Promise<unknown> {
    vi.stubEnv('OPENAI_API_KEY', apiKey);
    vi.stubEnv('GEMINI_API_KEY', apiKey);
    vi.stubEnv('LLMPROC_RETRY_MAX_ATTEMPTS', '2');
    vi.stubEnv('LLMPROC_RETRY_INITIAL_WAIT', '0.01');
    queue = [...actions];
    const model = c.dict['model'] as Record<string, unknown>;
    const proc = await LLMProgram.fromDict({
      ...c.dict,
      model: { ...model, base_url: url },
    }).start();
    const error: unknown = await proc.run('Hello?', { stream }).catch((e: unknown) => e);
    expect(proc.getState()).toEqual([]);
    // Whatever the retries left unused, the invariant's run gets an answer.
    queue = [ok];
    await expectValidConversation(proc);
    await proc.close();
    return error;
  }

  it('retries a connection reset before the response, then answers', async () => {
    await runWith([resetBeforeResponse, ok]);
  });

  it('retries a connection reset in the middle of a body, then answers', async () => {
    await runWith([resetMidBody(loadFixture(c.set, 'text')), ok]);
  });

  it('gives up on resets after LLMPROC_RETRY_MAX_ATTEMPTS with a retryable ProviderError', async () => {
    const body = resetMidBody(loadFixture(c.set, 'text'));
    const error = await failureOf([body, body]);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: c.provider, status: undefined, retryable: true });
  });

  it('turns a 200 whose body is not JSON into a ProviderError', async () => {
    const error = await failureOf([notJson, notJson]);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: c.provider, status: undefined });
  });

  it('turns a stream cut before its end into a ProviderError', async () => {
    const error = await failureOf([cutStream, cutStream], true);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: c.provider, status: undefined });
  });

  it('turns an error event inside a stream into a ProviderError', async () => {
    const error = await failureOf([c.streamError, c.streamError], true);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: c.provider });
  });

  it('redacts a credential the server echoes', async () => {
    vi.stubEnv('OPENAI_API_KEY', key);
    vi.stubEnv('GEMINI_API_KEY', key);
    const error = await failureOf([echoesKey], false, key);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: c.provider, status: 401, retryable: false });
    expect((error as Error).message).toContain('[redacted]');
    expect(String((error as Error).stack)).not.toContain(key);
    expect(String(((error as Error).cause as Error | undefined)?.message)).not.toContain(key);
  });

  it('gives up on a 503 after LLMPROC_RETRY_MAX_ATTEMPTS, keeping its status', async () => {
    const error = await failureOf([status(503, {}), status(503, {})]);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: c.provider, status: 503, retryable: true });
  });

  it('waits at least what retry-after asks before the next attempt', async () => {
    await runWith([status(429, { 'retry-after': '1' }), ok]);
    const [first = 0, second = 0] = arrivals;
    // LLMPROC_RETRY_INITIAL_WAIT is 10 ms: only the header can make the wait this long.
    expect(second - first).toBeGreaterThanOrEqual(900);
  });
});
