/**
 * A tool definition with a key llmproc does not read (`input_schema` for `parameters`, `handler` for
 * `execute`, `desc`) used to be accepted and the key dropped: the model got a tool without arguments,
 * or the registration failed on a missing `execute` without naming the key that was meant.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AccessLevel,
  defineTool,
  LLMProgram,
  ToolResult,
  type Tool,
  type ToolInput,
} from '../../src/index.js';
import { configErrorOf } from '../../src/program/__fixtures__/helpers.js';
import { expectValidConversation } from '../support/conversation-invariant.js';
import { failOnUnhandledRejections } from '../support/unhandled-rejections.js';
import { llmprocErrorOf } from '../support/llmproc-error-of.js';

failOnUnhandledRejections();

const dir = mkdtempSync(path.join(tmpdir(), 'llmproc-tool-keys-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const base = { model: 'mock', provider: 'mock' } as const;
const citySchema = { type: 'object', properties: { city: { type: 'string' } } };

/** `new LLMProgram` with tools its types would refuse: what a JavaScript caller can pass. */
function programWith(tools: readonly unknown[]): LLMProgram {
  return new LLMProgram({ ...base, tools: tools as ToolInput[] });
}

describe('a tool definition in code refuses keys it does not read', () => {
  it('defineTool names the tool, the key and the key meant', () => {
    const error = llmprocErrorOf(() =>
      defineTool({
        name: 'get_weather',
        input_schema: citySchema,
        execute: () => 'sunny',
      } as unknown as Parameters<typeof defineTool>[0]),
    );
    expect(error.code).toBe('TOOL_INVALID');
    expect(error.message).toBe(
      'Tool "get_weather": "input_schema" is not a key of a tool definition (did you mean "parameters"?)',
    );
  });

  it('the tools of new LLMProgram name the index, the tool and every unknown key', () => {
    const error = llmprocErrorOf(() =>
      programWith([
        'calculator',
        { name: 'get_weather', desc: 'Weather', inputSchema: citySchema, handler: () => 'x' },
      ]),
    );
    expect(error.code).toBe('TOOL_INVALID');
    expect(error.details).toEqual({ index: 1, tool: 'get_weather' });
    expect(error.message).toBe(
      'tools[1] ("get_weather"): ' +
        '"desc" is not a key of a tool definition (did you mean "description"?); ' +
        '"inputSchema" is not a key of a tool definition (did you mean "parameters"?); ' +
        '"handler" is not a key of a tool definition (did you mean "execute"?)',
    );
  });

  it('lists the keys a definition has when no key is close, through registerTools too', () => {
    const program = new LLMProgram({ ...base, tools: ['calculator'] });
    const error = llmprocErrorOf(() =>
      program.registerTools([
        { name: 'ok', execute: () => 1 },
        { name: 'tagged', execute: () => 1, colour: 'blue' } as unknown as ToolInput,
      ]),
    );
    expect(error.message).toBe(
      'tools[1] ("tagged"): "colour" is not a key of a tool definition (expected one of: name, description, parameters, access, execute, runsChildren)',
    );
    // Nothing of the refused list was added.
    expect(program.functionTools).toEqual([]);
  });

  it('keeps the message short for a definition with a hundred thousand unknown keys', () => {
    const definition: Record<string, unknown> = { name: 'wide', execute: () => 1 };
    for (let i = 0; i < 100_000; i++) definition[`k${String(i)}`] = i;
    const error = llmprocErrorOf(() => programWith([definition]));
    expect(error.message.length).toBeLessThan(4096);
    expect(error.message).toMatch(
      /^tools\[0\] \("wide"\): "k0" is not a key of a tool definition /,
    );
    expect(error.message).toMatch(/; \.\.\. and 99980 more unknown keys$/);
  });

  it('a hand-made Tool object is checked against the Tool interface', () => {
    const handMade = {
      name: 'echo',
      description: 'Echo',
      inputSchema: { type: 'object' },
      parameters: citySchema,
      access: AccessLevel.READ,
      parse: (args: Record<string, unknown>) => ({ ok: true as const, value: args }),
      execute: () => 'x',
    };
    expect(llmprocErrorOf(() => programWith([handMade])).message).toBe(
      'tools[0] ("echo"): "parameters" is not a key of a Tool (did you mean "inputSchema"?)',
    );
  });
});

describe('every tool shape that exists still registers and runs', () => {
  it('zod and JSON Schema parameters, access, runsChildren, ToolResult, a built Tool and a class instance', async () => {
    // A definition made by a class keeps fields of its own: only literal objects are key-checked.
    class Greeter {
      readonly name = 'greet';
      readonly greeting = 'hello';
      readonly execute = ({ who }: Record<string, unknown>): string =>
        `${this.greeting} ${String(who)}`;
    }
    const handMade: Tool = {
      name: 'hand_made',
      description: 'A Tool written by hand',
      inputSchema: { type: 'object', properties: {} },
      access: AccessLevel.READ,
      runsChildren: false,
      parse: (args) => ({ ok: true, value: args }),
      execute: () => 'by hand',
    };
    const tools: ToolInput[] = [
      'calculator',
      defineTool({
        name: 'zod_tool',
        description: 'zod parameters',
        parameters: z.object({ n: z.number() }),
        access: 'read',
        execute: ({ n }) => n * 2,
      }),
      {
        name: 'json_tool',
        parameters: citySchema,
        access: AccessLevel.ADMIN,
        runsChildren: true,
        execute: ({ city }: Record<string, unknown>) =>
          ToolResult.fromSuccess(`sunny in ${String(city)}`),
      },
      handMade,
      new Greeter(),
    ];
    const program = new LLMProgram({
      ...base,
      tools,
      mock: {
        turns: [
          {
            toolCalls: [
              { name: 'calculator', args: { expression: '6*7' } },
              { name: 'zod_tool', args: { n: 21 } },
              { name: 'json_tool', args: { city: 'Oslo' } },
              { name: 'hand_made', args: {} },
              { name: 'greet', args: { who: 'you' } },
            ],
          },
          { text: 'done' },
        ],
      },
    });
    expect(program.functionTools.map((tool) => tool.name)).toEqual([
      'zod_tool',
      'json_tool',
      'hand_made',
      'greet',
    ]);
    const proc = await program.start();
    expect((await proc.run('go')).lastMessage).toBe('done');
    const results: [string, boolean][] = [];
    for (const message of proc.getState()) {
      if (typeof message.content === 'string') continue;
      for (const block of message.content)
        if (block.type === 'tool_result') results.push([block.content, block.is_error]);
    }
    expect(results).toEqual([
      ['42', false],
      ['42', false],
      ['sunny in Oslo', false],
      ['by hand', false],
      ['hello you', false],
    ]);
    await expectValidConversation(proc);
    await proc.close();
  });
});

describe('tool entries of a config file refuse unknown keys, naming file and key path', () => {
  it('a builtin entry, an MCP selection entry and a settings table, in TOML and YAML', () => {
    const toml = path.join(dir, 'tools.toml');
    writeFileSync(
      toml,
      [
        '[model]',
        'name = "mock"',
        'provider = "mock"',
        '[mcp.servers.web]',
        'command = "node"',
        '[tools]',
        'builtin = [{ name = "calculator", desc = "Math" }]',
        'mcp = { web = [{ name = "fetch", acess = "read" }] }',
      ].join('\n'),
    );
    expect(configErrorOf(() => LLMProgram.fromToml(toml)).message.split('\n')).toEqual([
      `${toml}: "tools.builtin[0].desc" is not a known key (did you mean "description"?); got "Math"`,
      `${toml}: "tools.mcp.web[0].acess" is not a known key (did you mean "access"?); got "read"`,
    ]);
    const yaml = path.join(dir, 'tools.yaml');
    writeFileSync(
      yaml,
      [
        'model: { name: mock, provider: mock }',
        'mcp: { servers: { web: { command: node } } }',
        'tools:',
        '  mcp:',
        '    web:',
        '      fetch: { access: read, input_schema: {} }',
      ].join('\n'),
    );
    expect(configErrorOf(() => LLMProgram.fromYaml(yaml)).message).toBe(
      `${yaml}: "tools.mcp.web.fetch.input_schema" is not a known key (expected one of: alias, description, param_descriptions, access); got a table {}`,
    );
  });

  it('the mcpTools option of new LLMProgram is checked in its config spelling', () => {
    const error = configErrorOf(
      () =>
        new LLMProgram({
          ...base,
          mcpServers: { web: { command: 'node' } },
          mcpTools: { web: [{ name: 'fetch', paramDescriptions: { url: 'The page' } }] },
        }),
    );
    expect(error.message).toBe(
      '<dict>: "tools.mcp.web[0].paramDescriptions" is not a known key (did you mean "param_descriptions"?); got a table {"url":"The page"}',
    );
  });
});
