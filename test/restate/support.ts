import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface Worker {
  url: string;
  pid: number;
  /** Everything the worker wrote to stderr so far. */
  stderr(): string;
  /** Send a signal and wait for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Start a worker (`node <args>` from the repository root) and wait for its "listening <url>" line
 * (on stdout from the test worker, on stderr from `llmproc serve`).
 */
export async function startWorker(args: string[], env: Record<string, string>): Promise<Worker> {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ANTHROPIC_API_KEY: 'test-key', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const look = (): void => {
      const match = /(?:listening|on) (http:\/\/127\.0\.0\.1:\d+)/.exec(out + err);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      look();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      look();
    });
    child.once('exit', (code) => {
      reject(new Error(`worker exited with ${String(code)} before listening:\n${out}\n${err}`));
    });
  });
  return {
    url,
    pid: child.pid ?? -1,
    stderr: () => err,
    stop: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        await exited;
      }
    },
  };
}

/** The JSON lines of a file written by workers (empty when it does not exist yet). */
export function readJsonLines<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);
}

/** POST JSON and return the parsed answer; throws with the body on an HTTP error. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url}: HTTP ${String(response.status)} ${text}`);
  return JSON.parse(text) as unknown;
}

/** Start a run without waiting (`/send`); returns its invocation id. */
export async function sendRun(
  ingressUrl: string,
  service: string,
  key: string,
  input: string,
): Promise<string> {
  const answer = (await postJson(`${ingressUrl}/${service}/${key}/run/send`, { input })) as {
    invocationId: string;
  };
  return answer.invocationId;
}

/** Wait for an invocation's result (`/attach`). */
export async function attach(ingressUrl: string, invocationId: string): Promise<unknown> {
  const response = await fetch(`${ingressUrl}/restate/invocation/${invocationId}/attach`);
  const text = await response.text();
  if (!response.ok)
    throw new Error(`attach ${invocationId}: HTTP ${String(response.status)} ${text}`);
  return JSON.parse(text) as unknown;
}

/**
 * A TCP load balancer on 127.0.0.1 that hands each new connection to the next target in turn: the
 * "several workers behind one Restate server" setup (Restate opens a connection per few streams when
 * its `http2-streams-per-connection-limit` is low).
 */
export async function startRoundRobin(
  targets: readonly string[],
): Promise<{ url: string; close(): Promise<void> }> {
  const ports = targets.map((target) => Number(new URL(target).port));
  const sockets = new Set<net.Socket>();
  let next = 0;
  const server = net.createServer((client) => {
    const port = ports[next++ % ports.length] ?? 0;
    const upstream = net.connect(port, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
