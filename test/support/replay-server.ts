/**
 * A local HTTP server on 127.0.0.1 that replays recorded provider exchanges (see
 * ../shared/fixtures/README.md), so the official SDKs are tested over a real socket with no mocking.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export interface Fixture {
  description?: string;
  request: { method: string; path: string; headers?: Record<string, string>; body?: unknown };
  response: {
    status: number;
    headers?: Record<string, string>;
    body?: unknown;
    sse?: { event?: string; data: unknown }[];
  };
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface ReplayServer {
  url: string;
  /** Every request received, in order, with its parsed JSON body. */
  received: ReceivedRequest[];
  /** Fixtures not yet served. */
  remaining(): number;
  close(): Promise<void>;
}

const providersDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../src/providers',
);

/**
 * Where each set of recorded exchanges lives: beside the adapter that replays it, in its folder's
 * `__fixtures__/` (src/providers/FIXTURES.md describes the files). A set is named after the API it
 * recorded, so a test names the set and never a path.
 */
const fixtureDirs = {
  anthropic: 'anthropic/__fixtures__',
  'azure-openai': 'azure-openai/__fixtures__',
  bedrock: 'anthropic-bedrock/__fixtures__',
  gemini: 'gemini/__fixtures__',
  'openai-chat': 'openai/__fixtures__/chat',
  'openai-compatible': 'openai/__fixtures__/compatible',
  'openai-responses': 'openai/__fixtures__/responses',
} as const satisfies Record<string, string>;

/** A set of recorded exchanges (one provider API). */
export type FixtureSet = keyof typeof fixtureDirs;

/** The absolute directory of a set of recorded exchanges. */
export function fixtureDir(set: FixtureSet): string {
  return path.join(providersDir, fixtureDirs[set]);
}

/** One recorded exchange: `loadFixture('anthropic', 'tool-loop.1')` reads `tool-loop.1.json` of that set. */
export function loadFixture(set: FixtureSet, file: string): Fixture {
  return JSON.parse(readFileSync(path.join(fixtureDir(set), `${file}.json`), 'utf8')) as Fixture;
}

/** Serve `fixtures` in order, one per request; a request that does not match gets a 500 naming it. */
export async function startReplayServer(
  fixtures: Fixture[],
  options: { frameDelayMs?: number } = {},
): Promise<ReplayServer> {
  const queue = [...fixtures];
  const received: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        // keep the raw text
      }
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const fixture = queue.shift();
      // Decoded: SDKs escape path parts (Bedrock model ids carry ':'), recordings keep them plain.
      const requestPath = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
      if (
        !fixture ||
        fixture.request.method !== req.method ||
        fixture.request.path !== requestPath
      ) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`unexpected ${req.method ?? ''} ${req.url ?? ''}`);
        return;
      }
      void respond(res, fixture, options.frameDelayMs ?? 0); // errors end the response; nothing to await
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    remaining: () => queue.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

async function respond(
  res: http.ServerResponse,
  fixture: Fixture,
  frameDelayMs: number,
): Promise<void> {
  const headers = { ...(fixture.response.headers ?? {}) };
  delete headers['content-length'];
  delete headers['transfer-encoding'];
  delete headers['content-encoding'];
  res.writeHead(fixture.response.status, headers);
  if (fixture.response.sse) {
    for (const frame of fixture.response.sse) {
      const data = typeof frame.data === 'string' ? frame.data : JSON.stringify(frame.data);
      res.write((frame.event ? `event: ${frame.event}\n` : '') + `data: ${data}\n\n`);
      if (frameDelayMs > 0) await new Promise((r) => setTimeout(r, frameDelayMs));
    }
    res.end();
  } else {
    res.end(JSON.stringify(fixture.response.body));
  }
}

/** Run `fn` against a replay server of `fixtures`, closing the server whatever happens. */
export async function withReplayServer<T>(
  fixtures: Fixture[],
  fn: (server: ReplayServer) => Promise<T>,
): Promise<T> {
  const server = await startReplayServer(fixtures);
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}
