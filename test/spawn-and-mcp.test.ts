import { fileURLToPath } from 'node:url';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LLMProgram, type ToolResult } from '../src/index.js';
import { recorder } from './support/recorder.js';

const echoServer = fileURLToPath(
  new URL('../src/tools/mcp/__fixtures__/echo-server.mjs', import.meta.url),
);

describe('spawn', () => {
  it('runs a linked program in a fresh process that carries the parent callbacks', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'llmproc-spawn-'));
    writeFileSync(
      path.join(dir, 'helper.toml'),
      `[model]\nname = "helper"\nprovider = "mock"\n[prompt]\nsystem_prompt = "I am the helper."\n[[mock.turns]]\ntext = "helper says hi"\n`,
    );
    writeFileSync(
      path.join(dir, 'main.toml'),
      `[model]\nname = "main"\nprovider = "mock"\n[tools]\nbuiltin = ["spawn"]\n[linked_programs]\nhelper = { path = "helper.toml", description = "A helpful helper" }\n` +
        `[[mock.turns]]\ntool_calls = [{ name = "spawn", args = { program_name = "helper", prompt = "say hi" } }]\n[[mock.turns]]\ntext = "The helper said hi."\n`,
    );
    const program = LLMProgram.fromToml(path.join(dir, 'main.toml'));
    const rec = recorder();
    const proc = await program.start().addCallback(rec.callback);
    expect(proc.tools[0]?.description).toContain(
      "## Available Programs:\n- 'helper': A helpful helper",
    );
    const result = await proc.run('go');
    expect(result.lastMessage).toBe('The helper said hi.');
    const spawnEnd = rec.events.find((e) => e.event === 'tool_end')?.args[1] as ToolResult;
    expect(spawnEnd.content).toBe('helper says hi');
    const child = rec.events.filter((e) => e.context.parentPid === proc.pid);
    expect(child.map((e) => e.event)).toEqual([
      'turn_start',
      'api_request',
      'api_response',
      'response',
      'turn_end',
      'run_end',
    ]);
    const childRequest = child[1]?.args[0] as { system: string; model: string };
    expect(childRequest.model).toBe('helper');
    expect(childRequest.system).toBe('I am the helper.');
  });

  it('names the available programs when asked for an unknown one', async () => {
    const helper = new LLMProgram({ model: 'h', provider: 'mock' });
    const rec = recorder();
    const proc = await new LLMProgram({
      model: 'main',
      provider: 'mock',
      tools: ['spawn'],
      linkedPrograms: { helper: { program: helper, description: 'helps' } },
      mock: {
        turns: [
          { toolCalls: [{ name: 'spawn', args: { program_name: 'nope', prompt: 'x' } }] },
          { text: 'ok' },
        ],
      },
    })
      .start()
      .addCallback(rec.callback);
    await proc.run('go');
    const end = rec.events.find((e) => e.event === 'tool_end')?.args[1] as ToolResult;
    expect(end.content).toBe("Program 'nope' not found. Available programs: \n- 'helper': helps");
    expect(end.isError).toBe(true);
  });
});

describe('MCP tools in a program', () => {
  it('connects the configured server at start, runs its tool, and closes it', async () => {
    const program = LLMProgram.fromDict({
      model: { name: 'mock', provider: 'mock' },
      mcp: { servers: { srv: { type: 'stdio', command: process.execPath, args: [echoServer] } } },
      tools: { mcp: { srv: ['add'] } },
      mock: {
        turns: [{ tool_calls: [{ name: 'srv__add', args: { a: 2, b: 3 } }] }, { text: 'five' }],
      },
    });
    const rec = recorder();
    const proc = await program.start().addCallback(rec.callback);
    try {
      expect(proc.tools.map((t) => t.name)).toEqual(['srv__add']);
      await proc.run('add');
      const end = rec.events.find((e) => e.event === 'tool_end')?.args[1] as ToolResult;
      expect(end.content).toBe('5');
      expect(end.isError).toBe(false);
    } finally {
      await proc.close();
    }
  });
});
