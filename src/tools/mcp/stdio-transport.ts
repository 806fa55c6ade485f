/**
 * A stdio MCP transport that starts the server in its own process group and ends the whole group.
 *
 * Servers are often started through a shell or a launcher (`sh -c "npx server"`, `zsh -c ...`, as the
 * original's mcp_servers.json does). Killing the direct child then kills only the shell: the real
 * server becomes an orphan that outlives the program. The SDK's StdioClientTransport signals the
 * child alone and offers no way to change that, so on POSIX this transport spawns the server as the
 * leader of a new process group (`detached`) and signals the group. It speaks the same wire format
 * through the SDK's own ReadBuffer and serializeMessage.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { errorMessage } from '../../errors.js';
import { getLogger } from '../../internal/logger.js';

export interface ProcessGroupStdioOptions {
  command: string;
  args: readonly string[];
  env: Record<string, string>;
  /** Shown in log lines. */
  server: string;
}

/** How long close() lets a server exit on its own once its stdin is closed. */
const closeGraceMs = 1000;
/** How long close() waits after each signal for the group to be gone. */
const killWaitMs = 500;

/** Process groups still alive, ended when this Node process exits (their servers die with it). */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: a signal is all that can be done here.
  process.once('exit', () => {
    for (const group of liveGroups) signalGroup(group, 'SIGTERM');
  });
}

/** Signal every process of a group (a negative pid); false when the group no longer exists. */
function signalGroup(group: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-group, signal);
    return true;
  } catch (error) {
    // EPERM: members exist but are not ours to signal (cannot happen for our own children).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether any process of the group is still alive (zombies of our own children excluded once reaped). */
export function isGroupAlive(group: number): boolean {
  return signalGroup(group, 0);
}

export class ProcessGroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  /** The server's stderr, available before start() so no early line is lost. */
  readonly stderr = new PassThrough();
  readonly #options: ProcessGroupStdioOptions;
  readonly #readBuffer = new ReadBuffer();
  #child: ChildProcessWithoutNullStreams | undefined;
  #pid: number | undefined;
  #exited: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: ProcessGroupStdioOptions) {
    this.#options = options;
  }

  /** The server's pid, which is also its process group id; known once start() has spawned it. */
  get pid(): number | undefined {
    return this.#pid;
  }

  start(): Promise<void> {
    if (this.#child) throw new Error(`MCP server '${this.#options.server}' is already started`);
    const child = spawn(this.#options.command, [...this.#options.args], {
      env: this.#options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group on POSIX, so close() can end the server and everything it started.
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    this.#child = child;
    this.#pid = child.pid;
    if (child.pid !== undefined && process.platform !== 'win32') {
      liveGroups.add(child.pid);
      installExitHook();
    }
    this.#exited = new Promise((resolve) => {
      child.once('close', () => {
        resolve();
      });
      child.once('error', () => {
        resolve();
      });
    });
    child.stdout.on('data', (chunk: Buffer) => {
      this.#readBuffer.append(chunk);
      this.#readMessages();
    });
    child.stderr.pipe(this.stderr);
    for (const stream of [child.stdin, child.stdout]) {
      stream.on('error', (error: Error) => this.onerror?.(error));
    }
    child.once('close', () => {
      this.#child = undefined;
      this.onclose?.();
    });
    return new Promise((resolve, reject) => {
      child.once('spawn', () => {
        resolve();
      });
      child.once('error', (error) => {
        reject(error);
        this.onerror?.(error);
      });
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.#child?.stdin;
    if (!stdin?.writable) return Promise.reject(new Error('Not connected'));
    return new Promise((resolve) => {
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /**
   * End the server: close its stdin and give it a moment to exit, then SIGTERM and finally SIGKILL
   * its whole process group, waiting after each. Never throws; safe to call twice.
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  async #shutDown(): Promise<void> {
    const child = this.#child;
    const group = this.#pid;
    try {
      child?.stdin.end();
    } catch {
      // already closed
    }
    if (this.#exited)
      await Promise.race([this.#exited, sleep(closeGraceMs, undefined, { ref: false })]);
    if (group !== undefined && process.platform !== 'win32') await this.#endGroup(group);
    else if (child && child.exitCode === null) child.kill('SIGKILL');
    this.#readBuffer.clear();
  }

  /**
   * The leader may be gone while what it started lives on (a shell's child): signal the group. A
   * SIGKILL cannot be refused, so the group is not watched after it: its members may linger a moment
   * as zombies until their new parent reaps them, which is not for us to wait on.
   */
  async #endGroup(group: number): Promise<void> {
    const { server } = this.#options;
    if (isGroupAlive(group)) {
      getLogger().debug(`MCP server '${server}' (process group ${String(group)}): sending SIGTERM`);
      signalGroup(group, 'SIGTERM');
      const until = Date.now() + killWaitMs;
      while (isGroupAlive(group) && Date.now() < until) await sleep(20);
    }
    if (isGroupAlive(group)) {
      getLogger().debug(`MCP server '${server}' (process group ${String(group)}): sending SIGKILL`);
      signalGroup(group, 'SIGKILL');
    }
    liveGroups.delete(group);
  }

  #readMessages(): void {
    for (;;) {
      let message: JSONRPCMessage | null;
      try {
        message = this.#readBuffer.readMessage();
      } catch (error) {
        this.onerror?.(
          new Error(
            `MCP server '${this.#options.server}' sent a bad message: ${errorMessage(error)}`,
          ),
        );
        continue;
      }
      if (message === null) return;
      this.onmessage?.(message);
    }
  }
}
