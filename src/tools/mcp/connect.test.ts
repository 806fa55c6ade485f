import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, LlmprocError } from '../../errors.js';
import { setLogger, type Logger } from '../../internal/logger.js';
import { configFromDict } from '../../program/load.js';
import { ToolRegistry } from '../registry.js';
import { ToolResult } from '../tool-result.js';
import type { Tool, ToolContext } from '../types.js';
import { connectMcpTools, McpInitError, type McpTools } from './connect.js';

const echoServer = fileURLToPath(new URL('./__fixtures__/echo-server.mjs', import.meta.url));
const node = process.execPath;
const allEchoTools = ['add', 'echo', 'fail', 'slow', 'pid', 'env', 'mixed'];

function program(mcp: Record<string, unknown>, tools: Record<string, unknown>, baseDir?: string) {
  return configFromDict(
    { model: { name: 'test-model', provider: 'mock' }, mcp, tools: { mcp: tools } },
    baseDir === undefined ? {} : { baseDir },
  );
}

function echo(env: Record<string, string> = {}) {
  return { command: node, args: [echoServer], env };
}

function context(signal?: AbortSignal): ToolContext {
  return {
    process: undefined as never,
    signal,
    toolUseId: 'toolu_1',
    turn: { assistantBlocks: [], toolResults: [] },
  };
}

function find(tools: readonly Tool[], name: string): Tool {
  const tool = tools.find((candidate) => candidate.name === name);
  if (!tool) throw new Error(`no tool ${name} among ${tools.map((t) => t.name).join(', ')}`);
  return tool;
}

async function call(
  tool: Tool,
  args: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<ToolResult> {
  const parsed = tool.parse(args);
  if (!parsed.ok) throw new Error(parsed.error);
  const result: unknown = await tool.execute(parsed.value, context(signal));
  if (!(result instanceof ToolResult)) throw new Error('execute did not return a ToolResult');
  return result;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Collects log lines; installed per test so nothing reaches the terminal. */
function captureLogs(): { lines: Record<keyof Logger, string[]>; restore: () => void } {
  const lines: Record<keyof Logger, string[]> = { debug: [], info: [], warn: [], error: [] };
  const previous = setLogger({
    debug: (m) => lines.debug.push(m),
    info: (m) => lines.info.push(m),
    warn: (m) => lines.warn.push(m),
    error: (m) => lines.error.push(m),
  });
  return { lines, restore: () => setLogger(previous) };
}

describe('connectMcpTools with a real stdio server', () => {
  let mcp: McpTools;
  let logs: ReturnType<typeof captureLogs>;
  const secret = 'LLMPROC_MCP_TEST_SECRET';

  beforeAll(async () => {
    logs = captureLogs();
    process.env[secret] = 'must-not-leak';
    mcp = await connectMcpTools(
      program(
        { servers: { srv: echo({ GREETING: 'hi' }), every: echo(), tbl: echo() } },
        {
          srv: [
            { name: 'add', alias: 'plus', access: 'read' },
            {
              name: 'echo',
              description: 'Say it back',
              param_descriptions: { text: 'What to say' },
            },
            'fail',
            'pid',
            'env',
            'mixed',
          ],
          every: 'all',
          tbl: { add: 'read', echo: { access: 'admin' } },
        },
      ),
    );
  });

  afterAll(async () => {
    await mcp.close();
    delete process.env['LLMPROC_MCP_TEST_SECRET'];
    logs.restore();
  });

  it('names tools <server>__<tool> and registers only the selected ones, in selection order', () => {
    const names = mcp.tools.map((tool) => tool.name).filter((name) => name.startsWith('srv__'));
    expect(names).toEqual([
      'srv__add',
      'srv__echo',
      'srv__fail',
      'srv__pid',
      'srv__env',
      'srv__mixed',
    ]);
  });

  it('registers every tool the server lists for "all", at write access', () => {
    const every = mcp.tools.filter((tool) => tool.name.startsWith('every__'));
    expect(every.map((tool) => tool.name).sort()).toEqual(
      allEchoTools.map((name) => `every__${name}`).sort(),
    );
    expect(new Set(every.map((tool) => tool.access))).toEqual(new Set(['write']));
  });

  it('takes access levels from the selection, defaulting to write', () => {
    expect(find(mcp.tools, 'srv__add').access).toBe('read');
    expect(find(mcp.tools, 'srv__echo').access).toBe('write');
    expect(find(mcp.tools, 'tbl__add').access).toBe('read');
    expect(find(mcp.tools, 'tbl__echo').access).toBe('admin');
  });

  it('uses the server description unless the config overrides it, and applies param_descriptions', () => {
    expect(find(mcp.tools, 'srv__add').description).toBe('Add two numbers');
    const tool = find(mcp.tools, 'srv__echo');
    expect(tool.description).toBe('Say it back');
    expect(tool.inputSchema['type']).toBe('object');
    expect(tool.inputSchema['properties']).toEqual({
      text: { type: 'string', description: 'What to say' },
    });
    expect(find(mcp.tools, 'every__echo').inputSchema['properties']).toEqual({
      text: { type: 'string' },
    });
  });

  it('gives a tool without parameters an object schema with empty properties', () => {
    const schema = find(mcp.tools, 'srv__fail').inputSchema;
    expect(schema['type']).toBe('object');
    expect(schema['properties']).toEqual({});
  });

  it('returns aliases that target server__tool', () => {
    expect(mcp.aliases).toEqual({ plus: 'srv__add' });
  });

  it('calls the server and returns its text', async () => {
    const result = await call(find(mcp.tools, 'srv__add'), { a: 2, b: 3 });
    expect(result.toJSON()).toEqual({ content: '5', isError: false, abortExecution: false });
  });

  it('reports a missing parameter with the same text as function tools', () => {
    expect(find(mcp.tools, 'srv__add').parse({ a: 2 })).toEqual({
      ok: false,
      error: "Tool 'srv__add' error: Missing required parameter: b",
    });
  });

  it('rejects arguments of the wrong type before calling the server', () => {
    const parsed = find(mcp.tools, 'srv__add').parse({ a: 2, b: 'three' });
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.error).toMatch(/^Tool 'srv__add' error: Invalid arguments: b: /);
  });

  it('turns an isError result into an error ToolResult with the server text', async () => {
    const result = await call(find(mcp.tools, 'srv__fail'), {});
    expect(result.toJSON()).toEqual({
      content: 'something went wrong',
      isError: true,
      abortExecution: false,
    });
  });

  it('joins text items with newlines and describes other items as JSON, never a language repr', async () => {
    const result = await call(find(mcp.tools, 'srv__mixed'), {});
    expect(result.content).toBe(
      [
        'first',
        '{"type":"image","mimeType":"image/png","bytes":9}',
        '{"type":"resource","uri":"file:///notes.txt","mimeType":"text/plain","text":"hello"}',
        'last',
      ].join('\n'),
    );
  });

  it('gives a stdio server its configured env and the safe defaults, not the whole environment', async () => {
    const env = find(mcp.tools, 'srv__env');
    expect((await call(env, { name: 'GREETING' })).content).toBe('hi');
    expect((await call(env, { name: 'PATH' })).content).toBe(process.env['PATH']);
    expect((await call(env, { name: secret })).content).toBe('<unset>');
  });

  it('enforces access through the registry: read tools for a read process, not write ones', async () => {
    const registry = new ToolRegistry();
    for (const tool of mcp.tools) registry.add(tool);
    for (const [alias, target] of Object.entries(mcp.aliases)) registry.setAlias(alias, target);
    const allowed = await registry.call('plus', { a: 1, b: 1 }, 'read', context());
    expect(allowed.toJSON()).toEqual({ content: '2', isError: false, abortExecution: false });
    const denied = await registry.call('srv__echo', { text: 'x' }, 'read', context());
    expect(denied.toJSON()).toEqual({
      content: 'Access denied: this tool requires write access but process has read',
      isError: true,
      abortExecution: false,
    });
  });

  it("sends the server's stderr to the debug log", () => {
    expect(logs.lines.debug).toContain("MCP server 'srv' stderr: echo-server: started");
    expect(logs.lines.warn).toEqual([]);
  });
});

describe('connectMcpTools calls and shutdown', () => {
  let logs: ReturnType<typeof captureLogs>;
  afterEach(() => {
    logs.restore();
  });

  it('times out a slow call after LLMPROC_TOOL_CALL_TIMEOUT, honours the abort signal, and close() leaves no child', async () => {
    logs = captureLogs();
    const mcp = await connectMcpTools(
      program({ servers: { srv: echo() } }, { srv: ['slow', 'pid', 'add'] }),
      {
        env: { LLMPROC_TOOL_CALL_TIMEOUT: '0.2' },
      },
    );
    const pid = Number((await call(find(mcp.tools, 'srv__pid'), {})).content);
    try {
      const timedOut = await call(find(mcp.tools, 'srv__slow'), { ms: 5000 });
      expect(timedOut.isError).toBe(true);
      expect(timedOut.content).toBe(
        "MCP tool 'srv__slow' failed: MCP server 'srv' did not answer the call to 'slow' within 0.2 s (LLMPROC_TOOL_CALL_TIMEOUT sets this limit, in seconds)",
      );

      const controller = new AbortController();
      const pending = call(find(mcp.tools, 'srv__slow'), { ms: 5000 }, controller.signal);
      controller.abort(new Error('user pressed stop'));
      const aborted = await pending;
      expect(aborted.toJSON()).toEqual({
        content: "MCP tool 'srv__slow' failed: aborted (user pressed stop)",
        isError: true,
        abortExecution: false,
      });
      expect(isAlive(pid)).toBe(true);
    } finally {
      await mcp.close();
    }
    expect(isAlive(pid)).toBe(false);
    const afterClose = await call(find(mcp.tools, 'srv__add'), { a: 1, b: 2 });
    expect(afterClose.isError).toBe(true);
    expect(afterClose.content).toMatch(/^MCP tool 'srv__add' failed: /);
    await mcp.close(); // a second close is harmless
  });

  it('connects nothing when [tools.mcp] is empty', async () => {
    logs = captureLogs();
    const mcp = await connectMcpTools(program({ servers: { srv: echo() } }, {}));
    expect(mcp.tools).toEqual([]);
    expect(mcp.aliases).toEqual({});
    await mcp.close();
  });
});

describe('connectMcpTools failures', () => {
  let logs: ReturnType<typeof captureLogs>;
  let dir: string;
  const crash = {
    command: node,
    args: ['-e', 'process.stderr.write("boom: bad token\\n"); process.exit(3)'],
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'llmproc-mcp-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    logs.restore();
  });

  it('rejects a selected tool the server does not have, naming the server, the tool and what it has', async () => {
    logs = captureLogs();
    const attempt = connectMcpTools(
      program({ servers: { srv: echo() } }, { srv: ['add', 'nope'] }),
    );
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow(
      `MCP server 'srv' has no tool 'nope' (selected in [tools.mcp].srv); it has: ${allEchoTools.join(', ')}`,
    );
  });

  it('fails on a server that exits at start, naming it and quoting its stderr', async () => {
    logs = captureLogs();
    const attempt = connectMcpTools(
      program({ servers: { srv: echo(), broken: crash } }, { srv: 'all', broken: 'all' }),
    );
    await expect(attempt).rejects.toThrow(McpInitError);
    await expect(attempt).rejects.toMatchObject({
      server: 'broken',
      reason: 'failed',
      code: 'TOOL_ERROR',
    });
    await expect(attempt).rejects.toThrow(
      /^MCP server 'broken' failed to start or list its tools: .*boom: bad token/,
    );
  });

  it('fails on a server whose command does not exist, naming it', async () => {
    logs = captureLogs();
    const attempt = connectMcpTools(
      program(
        { servers: { ghost: { command: path.join(dir, 'no-such-binary') } } },
        { ghost: 'all' },
      ),
    );
    await expect(attempt).rejects.toThrow(
      /^MCP server 'ghost' failed to start or list its tools: .*ENOENT/,
    );
  });

  it('warns and skips a failing server when LLMPROC_FAIL_ON_MCP_INIT_TIMEOUT=false', async () => {
    logs = captureLogs();
    const mcp = await connectMcpTools(
      program({ servers: { srv: echo(), broken: crash } }, { srv: ['add'], broken: 'all' }),
      { env: { LLMPROC_FAIL_ON_MCP_INIT_TIMEOUT: 'false' } },
    );
    try {
      expect(mcp.tools.map((tool) => tool.name)).toEqual(['srv__add']);
      expect(logs.lines.warn).toHaveLength(1);
      expect(logs.lines.warn[0]).toMatch(
        /^MCP server 'broken' failed to start or list its tools: .*; skipping it \(LLMPROC_FAIL_ON_MCP_INIT_TIMEOUT=false\)$/,
      );
    } finally {
      await mcp.close();
    }
  });

  it('times out a server that never answers after LLMPROC_TOOL_FETCH_TIMEOUT and kills it', async () => {
    logs = captureLogs();
    const pidFile = path.join(dir, 'hang.pid');
    const hang = {
      command: node,
      args: [
        '-e',
        'require("fs").writeFileSync(process.argv[1], String(process.pid)); setInterval(() => {}, 1000)',
        pidFile,
      ],
    };
    const attempt = connectMcpTools(program({ servers: { hang } }, { hang: 'all' }), {
      // Long enough for node to start and write its pid on a loaded machine; the server never answers.
      env: { LLMPROC_TOOL_FETCH_TIMEOUT: '3' },
    });
    await expect(attempt).rejects.toMatchObject({ server: 'hang', reason: 'timeout' });
    await expect(attempt).rejects.toThrow(
      "MCP server 'hang' did not connect and list its tools within 3 s (raise LLMPROC_TOOL_FETCH_TIMEOUT, or set LLMPROC_FAIL_ON_MCP_INIT_TIMEOUT=false to skip the server)",
    );
    const pid = Number(await readFile(pidFile, 'utf8'));
    expect(isAlive(pid)).toBe(false);
  });

  it('reads servers from the config_path JSON file', async () => {
    logs = captureLogs();
    const file = path.join(dir, 'servers.json');
    await writeFile(
      file,
      JSON.stringify({ mcpServers: { srv: { type: 'stdio', command: node, args: [echoServer] } } }),
    );
    const mcp = await connectMcpTools(program({ config_path: file }, { srv: ['echo'] }));
    try {
      expect(mcp.tools.map((tool) => tool.name)).toEqual(['srv__echo']);
      expect((await call(find(mcp.tools, 'srv__echo'), { text: 'ping' })).content).toBe('ping');
    } finally {
      await mcp.close();
    }
  });

  it('rejects a config_path file without mcpServers, naming the file', async () => {
    logs = captureLogs();
    const file = path.join(dir, 'no-servers.json');
    await writeFile(file, JSON.stringify({ servers: {} }));
    const attempt = connectMcpTools(program({ config_path: file }, { srv: 'all' }));
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow(
      `MCP config file ${file} has no top-level "mcpServers" object`,
    );
  });

  it('rejects a server that [tools.mcp] names but the config_path file does not define', async () => {
    logs = captureLogs();
    const file = path.join(dir, 'other.json');
    await writeFile(
      file,
      JSON.stringify({ mcpServers: { other: { command: node, args: [echoServer] } } }),
    );
    const attempt = connectMcpTools(program({ config_path: file }, { srv: 'all' }));
    await expect(attempt).rejects.toThrow(
      `[tools.mcp] names MCP server "srv", which MCP config file ${file} does not define (defined: other)`,
    );
  });

  it('stops with ABORTED when the signal is already aborted', async () => {
    logs = captureLogs();
    const controller = new AbortController();
    controller.abort();
    const attempt = connectMcpTools(program({ servers: { srv: echo() } }, { srv: 'all' }), {
      signal: controller.signal,
    });
    await expect(attempt).rejects.toThrow('Connecting to MCP servers was aborted');
    await expect(attempt).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('wraps an abort during connection as an LlmprocError with code ABORTED', async () => {
    logs = captureLogs();
    const controller = new AbortController();
    const attempt = connectMcpTools(program({ servers: { srv: echo() } }, { srv: 'all' }), {
      signal: controller.signal,
    });
    setTimeout(() => {
      controller.abort();
    }, 50);
    await expect(attempt).rejects.toThrow(LlmprocError);
    await expect(attempt).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
