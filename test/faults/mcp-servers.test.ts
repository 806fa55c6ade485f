/**
 * Item 12 of the hardening issue: MCP stdio servers die with their process. Each server runs in its
 * own process group, ended on close and on an init timeout, so a server started through `sh -c`
 * (as the original's mcp_servers.json starts them) leaves no orphan; `McpInitError` is exported; a
 * call timeout names the seconds and the variable that sets them.
 *
 * The servers are the real ones from npm (@modelcontextprotocol/server-everything, -filesystem,
 * -memory), run with node from their installed package, each wrapped in `sh -c` with a `sleep`
 * started beside it: the sleep is what a launcher leaves behind, and only ending the whole group
 * ends it. Processes are found by pid with `ps`, and checked gone by pid.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LLMProgram, McpInitError, type ToolResult } from '../../src/index.js';
import { expectValidConversation } from '../support/conversation-invariant.js';
import { recorder } from '../support/recorder.js';
import { failOnUnhandledRejections } from '../support/unhandled-rejections.js';

failOnUnhandledRejections();

const require = createRequire(import.meta.url);

/** The bin script of an installed MCP server package. */
function serverBin(name: string): string {
  const manifest = require.resolve(`${name}/package.json`);
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> };
  const [script] = Object.values(bin);
  if (script === undefined) throw new Error(`${name} has no bin`);
  return path.join(path.dirname(manifest), script);
}

const tag = `llmproc-fault-${String(process.pid)}-${String(Date.now())}`;
let serial = 0;

/**
 * A stdio server started as `sh -c '<sleep 300 &> node <server> args...' <marker>`: the marker is
 * the shell's $0, so `ps` finds the shell, whose pid is the process group of everything it started.
 */
function wrapped(command: string[]): {
  type: 'stdio';
  command: string;
  args: string[];
  marker: string;
} {
  const marker = `${tag}-${String(++serial)}`;
  const quoted = command.map((part) => `'${part.replaceAll("'", `'\\''`)}'`).join(' ');
  return { type: 'stdio', command: 'sh', args: ['-c', `sleep 300 & ${quoted}`, marker], marker };
}

interface Ps {
  pid: number;
  pgid: number;
  args: string;
}

function processes(): Ps[] {
  const out = execFileSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ pid: Number(match[1]), pgid: Number(match[2]), args: match[3] ?? '' }));
}

/** The pids of the process group the shell started with `marker` leads (itself included). */
function groupOf(marker: string): number[] {
  const all = processes();
  const shell = all.find((p) => p.args.startsWith('sh -c') && p.args.endsWith(marker));
  if (!shell) return [];
  return all.filter((p) => p.pgid === shell.pgid).map((p) => p.pid);
}

/** Whether `pid` is a live process (a zombie, dead but not yet reaped by its new parent, is not). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const state = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
    return !state.trim().startsWith('Z');
  } catch {
    return false; // ps found no such process: it went in the meantime
  }
}

/** Expect every pid gone; a killed process may take a moment to be torn down on a loaded machine. */
async function expectAllGone(pids: readonly number[]): Promise<void> {
  const deadline = Date.now() + 5000;
  while (pids.some(isAlive) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(pids.filter(isAlive)).toEqual([]);
}

async function waitFor<T>(what: string, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'llmproc-mcp-fault-'));
const env = { ...process.env };
afterEach(() => {
  for (const key of ['LLMPROC_TOOL_FETCH_TIMEOUT', 'LLMPROC_TOOL_CALL_TIMEOUT']) {
    if (env[key] === undefined) delete process.env[key];
    else process.env[key] = env[key];
  }
});
afterAll(() => {
  // Whatever a failed test left, by pid: nothing of ours may outlive the suite.
  for (const p of processes()) if (p.args.includes(tag)) signalGroup(p.pgid);
  rmSync(dir, { recursive: true, force: true });
});

function signalGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

describe('MCP stdio servers behind sh -c', () => {
  it('work, and leave no process behind once the process is closed', async () => {
    const node = process.execPath;
    const everything = wrapped([
      node,
      serverBin('@modelcontextprotocol/server-everything'),
      'stdio',
    ]);
    const filesystem = wrapped([node, serverBin('@modelcontextprotocol/server-filesystem'), dir]);
    const memory = wrapped([node, serverBin('@modelcontextprotocol/server-memory')]);
    const program = LLMProgram.fromDict({
      model: { name: 'mock', provider: 'mock' },
      mcp: {
        servers: {
          everything: { type: 'stdio', command: everything.command, args: everything.args },
          files: { type: 'stdio', command: filesystem.command, args: filesystem.args },
          memory: {
            type: 'stdio',
            command: memory.command,
            args: memory.args,
            env: { MEMORY_FILE_PATH: path.join(dir, 'memory.jsonl') },
          },
        },
      },
      tools: {
        mcp: { everything: ['echo'], files: ['list_allowed_directories'], memory: ['read_graph'] },
      },
      mock: {
        turns: [
          {
            toolCalls: [
              { name: 'everything__echo', args: { message: 'hi' } },
              { name: 'files__list_allowed_directories', args: {} },
              { name: 'memory__read_graph', args: {} },
            ],
          },
          { text: 'all three answered' },
        ],
        fallbackText: 'ok',
      },
    });
    const rec = recorder();
    const proc = await program.start().addCallback(rec.callback);
    const groups = [everything, filesystem, memory].map((server) => groupOf(server.marker));
    for (const group of groups) expect(group.length).toBeGreaterThanOrEqual(3); // sh, sleep, node

    const result = await proc.run('Use every server.');
    expect(result.lastMessage).toBe('all three answered');
    const ends = rec.events
      .filter((e) => e.event === 'tool_end')
      .map((e) => e.args[1] as ToolResult);
    expect(ends.map((r) => r.isError)).toEqual([false, false, false]);
    expect(ends[0]?.contentText()).toBe('Echo: hi');
    expect(ends[1]?.contentText()).toContain(dir);
    await expectValidConversation(proc);

    await proc.close();
    await expectAllGone(groups.flat());
  }, 120_000);

  it('that never answer time out at start with McpInitError, and their whole group is ended', async () => {
    process.env['LLMPROC_TOOL_FETCH_TIMEOUT'] = '3';
    const hang = wrapped([process.execPath, '-e', 'setInterval(() => {}, 1000)']);
    const program = LLMProgram.fromDict({
      model: { name: 'mock', provider: 'mock' },
      mcp: { servers: { hang: { type: 'stdio', command: hang.command, args: hang.args } } },
      tools: { mcp: { hang: 'all' } },
    });
    const starting = Promise.resolve(program.start());
    starting.catch(() => undefined);
    const group = await waitFor('the hanging server', () => {
      const pids = groupOf(hang.marker);
      return pids.length >= 3 ? pids : undefined;
    });

    const error: unknown = await starting.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(McpInitError);
    expect(error).toMatchObject({
      server: 'hang',
      reason: 'timeout',
      message:
        "MCP server 'hang' did not connect and list its tools within 3 s (raise LLMPROC_TOOL_FETCH_TIMEOUT, or set LLMPROC_FAIL_ON_MCP_INIT_TIMEOUT=false to skip the server)",
    });
    await expectAllGone(group);

    // The program itself is fine: without the server it starts and runs.
    const fine = await LLMProgram.fromDict({ model: { name: 'mock', provider: 'mock' } }).start();
    await expectValidConversation(fine);
    await fine.close();
  }, 120_000);

  it('name the seconds and LLMPROC_TOOL_CALL_TIMEOUT when a call times out, and the run goes on', async () => {
    process.env['LLMPROC_TOOL_CALL_TIMEOUT'] = '1';
    const everything = wrapped([
      process.execPath,
      serverBin('@modelcontextprotocol/server-everything'),
      'stdio',
    ]);
    const proc = await LLMProgram.fromDict({
      model: { name: 'mock', provider: 'mock' },
      mcp: {
        servers: {
          everything: { type: 'stdio', command: everything.command, args: everything.args },
        },
      },
      tools: { mcp: { everything: ['trigger-long-running-operation', 'echo'] } },
      mock: {
        turns: [
          {
            toolCalls: [
              {
                name: 'everything__trigger-long-running-operation',
                args: { duration: 30, steps: 1 },
              },
            ],
          },
          { toolCalls: [{ name: 'everything__echo', args: { message: 'still here' } }] },
          { text: 'the slow one timed out' },
        ],
        fallbackText: 'ok',
      },
    }).start();
    const rec = recorder();
    proc.addCallback(rec.callback);
    const group = groupOf(everything.marker);
    try {
      const result = await proc.run('Run the slow operation.');
      expect(result.lastMessage).toBe('the slow one timed out');
      const ends = rec.events
        .filter((e) => e.event === 'tool_end')
        .map((e) => (e.args[1] as ToolResult).toJSON());
      expect(ends).toEqual([
        {
          content:
            "MCP tool 'everything__trigger-long-running-operation' failed: MCP server 'everything' did not answer the call to 'trigger-long-running-operation' within 1 s (LLMPROC_TOOL_CALL_TIMEOUT sets this limit, in seconds)",
          isError: true,
          abortExecution: false,
        },
        { content: 'Echo: still here', isError: false, abortExecution: false },
      ]);
      await expectValidConversation(proc);
    } finally {
      await proc.close();
    }
    await expectAllGone(group);
  }, 120_000);
});
