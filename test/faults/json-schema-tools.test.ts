import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  defineTool,
  LLMProgram,
  type MockTurnOptions,
  type ToolResult,
  type Tool,
} from '../../src/index.js';
import { expectValidConversation } from '../support/conversation-invariant.js';
import { recorder } from '../support/recorder.js';
import { failOnUnhandledRejections } from '../support/unhandled-rejections.js';

failOnUnhandledRejections();

/** What pydantic 2 emits for `Person.model_json_schema()` (extra="forbid"), as written by Python. */
const pydanticPerson = {
  $defs: {
    Address: {
      properties: {
        street: { title: 'Street', type: 'string' },
        city: { title: 'City', type: 'string' },
      },
      required: ['street', 'city'],
      title: 'Address',
      type: 'object',
    },
    Color: { enum: ['red', 'green', 'blue'], title: 'Color', type: 'string' },
  },
  additionalProperties: false,
  properties: {
    name: { title: 'Name', type: 'string' },
    address: { $ref: '#/$defs/Address' },
    color: { $ref: '#/$defs/Color', default: 'red' },
    nickname: { anyOf: [{ type: 'string' }, { type: 'null' }], default: null, title: 'Nickname' },
    kind: { const: 'person', default: 'person', title: 'Kind', type: 'string' },
  },
  required: ['name', 'address'],
  title: 'Person',
  type: 'object',
};

/** What zod 4's `z.toJSONSchema` emits for a discriminated union inside an object (oneOf, 2020-12). */
const zodShape = z.toJSONSchema(
  z.object({
    shape: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('circle'), radius: z.number() }),
      z.object({ kind: z.literal('square'), side: z.number() }),
    ]),
  }),
) as Record<string, unknown>;

/** Draft-07 as zod-to-json-schema (most MCP servers) writes it: definitions, a tuple `items`. */
const draft07 = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    point: { $ref: '#/definitions/Point' },
    range: { type: 'array', items: [{ type: 'number' }, { type: 'number' }], minItems: 2 },
  },
  required: ['point'],
  additionalProperties: false,
  definitions: {
    Point: {
      type: 'object',
      properties: { x: { type: 'number' }, y: { type: 'number' } },
      required: ['x', 'y'],
    },
  },
};

function echoTool(name: string, parameters: Record<string, unknown>): Tool {
  return defineTool({ name, parameters, execute: (args) => args });
}

/** Run one turn of tool calls on the mock and return what the model got back for each. */
async function resultsOf(tool: Tool, calls: Record<string, unknown>[]): Promise<ToolResult[]> {
  const turns: MockTurnOptions[] = [
    { toolCalls: calls.map((args) => ({ name: tool.name, args })) },
    { text: 'checked' },
  ];
  const rec = recorder();
  const proc = await new LLMProgram({
    model: 'mock',
    provider: 'mock',
    tools: [tool],
    mock: { turns, fallbackText: 'again' },
  })
    .start()
    .addCallback(rec.callback);
  const result = await proc.run('check the arguments');
  expect(result.lastMessage).toBe('checked');
  await expectValidConversation(proc);
  await proc.close();
  return rec.events.filter((e) => e.event === 'tool_end').map((e) => e.args[1] as ToolResult);
}

function texts(results: readonly ToolResult[]): [boolean, string][] {
  return results.map((r) => [r.isError, r.contentText()]);
}

describe('JSON Schema tools are checked by a real JSON Schema validator', () => {
  it('registers a pydantic schema ($defs, $ref, anyOf, enum, const, additionalProperties) and checks with it', async () => {
    const results = await resultsOf(echoTool('person', pydanticPerson), [
      { name: 'Ada', address: { street: '1 Main', city: 'Paris' }, nickname: null, color: 'blue' },
      { name: 'Ada', address: { street: '1 Main' } },
      { name: 'Ada', address: { street: '1 Main', city: 'Paris' }, color: 'pink' },
      { name: 'Ada', address: { street: '1 Main', city: 'Paris' }, kind: 'robot' },
      { name: 'Ada', address: { street: '1 Main', city: 'Paris' }, age: 3 },
      { address: { street: '1 Main', city: 'Paris' } },
      { name: 'Ada', address: { street: '1 Main', city: 'Paris' }, nickname: 7 },
    ]);
    expect(texts(results)).toEqual([
      [
        false,
        '{"name":"Ada","address":{"street":"1 Main","city":"Paris"},"nickname":null,"color":"blue"}',
      ],
      [true, "Tool 'person' error: Invalid arguments: address: missing required property city"],
      [
        true,
        `Tool 'person' error: Invalid arguments: color: must be one of ["red","green","blue"]`,
      ],
      [true, `Tool 'person' error: Invalid arguments: kind: must be "person"`],
      [true, "Tool 'person' error: Invalid arguments: unexpected property age"],
      [true, "Tool 'person' error: Missing required parameter: name"],
      [
        true,
        "Tool 'person' error: Invalid arguments: nickname: must be string; nickname: must be null; nickname: must match a schema in anyOf",
      ],
    ]);
  });

  it('checks a schema zod produced (oneOf of a discriminated union, 2020-12)', async () => {
    expect(zodShape['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    const results = await resultsOf(echoTool('shape', zodShape), [
      { shape: { kind: 'circle', radius: 2 } },
      { shape: { kind: 'square', radius: 2 } },
    ]);
    expect(results.map((r) => r.isError)).toEqual([false, true]);
    expect(results[1]?.contentText()).toBe(
      `Tool 'shape' error: Invalid arguments: shape.kind: must be "circle"; shape: missing required property side; shape: must match exactly one schema in oneOf`,
    );
  });

  it('checks a draft-07 schema with definitions and a tuple items', async () => {
    const results = await resultsOf(echoTool('plot', draft07), [
      { point: { x: 1, y: 2 }, range: [0, 1] },
      { point: { x: 1 } },
      { point: { x: 1, y: 2 }, range: [0, 'far'] },
    ]);
    expect(texts(results)).toEqual([
      [false, '{"point":{"x":1,"y":2},"range":[0,1]}'],
      [true, "Tool 'plot' error: Invalid arguments: point: missing required property y"],
      [true, "Tool 'plot' error: Invalid arguments: range[1]: must be number"],
    ]);
  });

  it('treats a draft-07 schema without $schema (tuple items) as draft-07', async () => {
    const { $schema: _omitted, ...undeclared } = draft07;
    const results = await resultsOf(echoTool('plot', undeclared), [{ point: { x: 1, y: 'a' } }]);
    expect(texts(results)).toEqual([
      [true, "Tool 'plot' error: Invalid arguments: point.y: must be number"],
    ]);
  });

  it('keeps zod for zod schemas: transforms and defaults still apply', async () => {
    const tool = defineTool({
      name: 'shout',
      parameters: z.object({
        text: z.string().transform((s) => s.toUpperCase()),
        n: z.number().default(2),
      }),
      execute: ({ text, n }) => text.repeat(n),
    });
    const results = await resultsOf(tool, [{ text: 'hi' }]);
    expect(texts(results)).toEqual([[false, 'HIHI']]);
  });

  it('refuses at registration a schema that is not valid JSON Schema, naming the tool', () => {
    expect(
      () =>
        new LLMProgram({
          model: 'mock',
          provider: 'mock',
          tools: [
            {
              name: 'broken',
              parameters: { properties: { a: { type: 'strnig' } } },
              execute: () => 1,
            },
          ],
        }),
    ).toThrow(/^tools\[0\] \("broken"\): its parameters are not a valid JSON Schema: /);
  });

  it('compiles each schema once, at registration, not per call', async () => {
    let reads = 0;
    // A getter on the schema counts how often the validator looks at it.
    const schema = {
      type: 'object',
      get properties() {
        reads++;
        return { a: { type: 'number' } };
      },
    };
    const tool = echoTool('counted', schema);
    const afterRegistration = reads;
    expect(afterRegistration).toBeGreaterThan(0);
    await resultsOf(tool, [{ a: 1 }, { a: 'x' }, { a: 2 }]);
    expect(reads).toBe(afterRegistration);
  });
});

describe('MCP tools are checked against the schema their server lists', () => {
  const everything = fileURLToPath(
    new URL(
      '../../node_modules/@modelcontextprotocol/server-everything/dist/index.js',
      import.meta.url,
    ),
  );

  it('registers every tool of server-everything and checks an enum argument before calling', async () => {
    const rec = recorder();
    const proc = await LLMProgram.fromDict({
      model: { name: 'mock', provider: 'mock' },
      mcp: {
        servers: {
          everything: { type: 'stdio', command: process.execPath, args: [everything, 'stdio'] },
        },
      },
      tools: { mcp: { everything: 'all' } },
      mock: {
        turns: [
          {
            tool_calls: [
              { name: 'everything__get-sum', args: { a: 2, b: 3 } },
              { name: 'everything__get-sum', args: { a: 2 } },
              { name: 'everything__get-annotated-message', args: { messageType: 'loud' } },
            ],
          },
          { text: 'done' },
        ],
      },
    })
      .start()
      .addCallback(rec.callback);
    try {
      expect(proc.tools.map((t) => t.name)).toContain('everything__get-annotated-message');
      await proc.run('sum');
      const ends = rec.events
        .filter((e) => e.event === 'tool_end')
        .map((e) => e.args[1] as ToolResult);
      expect(ends[0]?.isError).toBe(false);
      expect(ends[0]?.contentText()).toContain('5');
      expect(texts(ends.slice(1))).toEqual([
        [true, "Tool 'everything__get-sum' error: Missing required parameter: b"],
        [
          true,
          `Tool 'everything__get-annotated-message' error: Invalid arguments: messageType: must be one of ["error","success","debug"]`,
        ],
      ]);
      await expectValidConversation(proc);
    } finally {
      await proc.close();
    }
  });
});
