import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, openSync, closeSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A free TCP port on 127.0.0.1 (asked from the OS, then released for the server to take). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return port;
}

export interface RestateServer {
  ingressUrl: string;
  adminUrl: string;
  pid: number;
  /** The server's log so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/** The platform binary of the `@restatedev/restate-server` devDependency. */
function restateServerBinary(): string {
  const require = createRequire(import.meta.url);
  return require.resolve(
    `@restatedev/restate-server-${os.platform()}-${os.arch()}/bin/restate-server`,
  );
}

/** Wait until `check` resolves true, polling; fail after `timeoutMs` with `what`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function isOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url);
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Start `restate-server` on free ports of 127.0.0.1 (never the defaults, which other tests on the
 * machine may hold) with a temporary data folder; `stop()` ends it by pid and removes the folder.
 */
export async function startRestateServer(env: Record<string, string> = {}): Promise<RestateServer> {
  const [ingress, admin, node] = [await freePort(), await freePort(), await freePort()];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'llmproc-restate-'));
  const logPath = path.join(dataDir, 'server.log');
  const logFd = openSync(logPath, 'a');
  const child: ChildProcess = spawn(
    restateServerBinary(),
    ['--no-logo', '--base-dir', dataDir, '--node-name', 'llmproc-test'],
    {
      stdio: ['ignore', logFd, logFd],
      env: {
        ...process.env,
        RESTATE_LISTEN_MODE: 'tcp',
        RESTATE_INGRESS__BIND_ADDRESS: `127.0.0.1:${String(ingress)}`,
        RESTATE_ADMIN__BIND_ADDRESS: `127.0.0.1:${String(admin)}`,
        RESTATE_BIND_ADDRESS: `127.0.0.1:${String(node)}`,
        RESTATE_ADVERTISED_ADDRESS: `http://127.0.0.1:${String(node)}/`,
        RESTATE_DEFAULT_NUM_PARTITIONS: '2',
        RESTATE_ROCKSDB_TOTAL_MEMORY_SIZE: '256MB',
        RESTATE_LOG_FILTER: 'warn',
        ...env,
      },
    },
  );
  closeSync(logFd);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  const server: RestateServer = {
    ingressUrl: `http://127.0.0.1:${String(ingress)}`,
    adminUrl: `http://127.0.0.1:${String(admin)}`,
    pid: child.pid ?? -1,
    log: () => readFileSync(logPath, 'utf8'),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await waitFor('restate-server to be healthy', async () => {
      if (child.exitCode !== null) throw new Error(`restate-server exited:\n${server.log()}`);
      return (
        (await isOk(`${server.adminUrl}/health`)) &&
        (await isOk(`${server.ingressUrl}/restate/health`))
      );
    });
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}
