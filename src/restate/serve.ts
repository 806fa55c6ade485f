import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import * as restate from '@restatedev/restate-sdk';
import { LlmprocError } from '../index.js';

/** A Restate service definition as `restateService` makes it. */
export type RestateServiceDefinition = restate.VirtualObjectDefinition<string, unknown>;

export interface ServeOptions {
  /** TCP port (default 9080; 0 picks a free one). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1; 0.0.0.0 to be reachable from other machines). */
  host?: string;
}

export interface RestateWorker {
  /** The endpoint's URL, e.g. `http://127.0.0.1:9080`, to register with the Restate server. */
  url: string;
  port: number;
  /** Stop accepting invocations and close open streams. */
  close(): Promise<void>;
}

/**
 * Serve services over HTTP/2 (cleartext, Restate's bidirectional protocol) as a Restate deployment.
 * Several workers serving the same services can stand behind one load balancer (docs/durable.md).
 */
export async function serveRestate(
  services: readonly RestateServiceDefinition[],
  options: ServeOptions = {},
): Promise<RestateWorker> {
  const server = http2.createServer(restate.createEndpointHandler({ services: [...services] }));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9080, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shownHost}:${String(port)}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/**
 * Register (or re-register) a worker's URL with the Restate server's admin API, so the server
 * discovers its services. `force` replaces a deployment already registered at that URL.
 */
export async function registerDeployment(
  adminUrl: string,
  workerUrl: string,
  options: { force?: boolean; signal?: AbortSignal } = {},
): Promise<void> {
  const endpoint = new URL('/deployments', adminUrl);
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ uri: workerUrl, force: options.force ?? true }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    throw new LlmprocError(
      'RESTATE_REGISTRATION_FAILED',
      `Cannot reach the Restate admin API at ${endpoint.href}: is restate-server running?`,
      { cause: error },
    );
  }
  if (!response.ok) {
    const text = await response.text();
    throw new LlmprocError(
      'RESTATE_REGISTRATION_FAILED',
      `Restate admin API ${endpoint.href} refused to register ${workerUrl}: HTTP ${String(response.status)} ${text}`,
    );
  }
}
