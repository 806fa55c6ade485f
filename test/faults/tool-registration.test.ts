import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, LLMProgram, type ToolInput } from '../../src/index.js';
import { llmprocErrorOf } from '../support/llmproc-error-of.js';

function programWith(tools: readonly unknown[]): LLMProgram {
  return new LLMProgram({
    model: 'mock',
    provider: 'mock',
    tools: tools as ToolInput[],
    mock: { turns: [{ toolCalls: [{ name: 'ok_tool', args: {} }] }, { text: 'done' }] },
  });
}

const okTool = defineTool({ name: 'ok_tool', execute: () => 'fine' });

describe('tool registration refuses what it cannot run, at once', () => {
  it('refuses a definition without execute, naming the index and the tool', () => {
    const error = llmprocErrorOf(() =>
      programWith([okTool, { name: 'no_handler', description: 'x' }]),
    );
    expect(error.code).toBe('TOOL_INVALID');
    expect(error.message).toBe('tools[1] ("no_handler"): execute must be a function; got nothing');
    expect(error.details).toEqual({ index: 1, tool: 'no_handler' });
  });

  it('refuses an execute that is not callable, through registerTools too', () => {
    const program = programWith([okTool]);
    const error = llmprocErrorOf(() =>
      program.registerTools([{ name: 'bad', execute: 'run me' } as unknown as ToolInput]),
    );
    expect(error.message).toBe(
      'tools[0] ("bad"): execute must be a function; got a string "run me"',
    );
    // Nothing of the refused list was added.
    expect(program.functionTools.map((tool) => tool.name)).toEqual(['ok_tool']);
  });

  it('refuses values that are no tool at all instead of sending a tool named null', () => {
    expect(llmprocErrorOf(() => programWith([123])).message).toBe(
      'tools[0]: expected a builtin tool name, a tool from defineTool or a tool definition; got number 123',
    );
    expect(llmprocErrorOf(() => programWith(['calculator', null])).message).toBe(
      'tools[1]: expected a builtin tool name, a tool from defineTool or a tool definition; got null',
    );
  });

  it('refuses an invalid name, naming the index', () => {
    expect(
      llmprocErrorOf(() => programWith([{ name: 'has space', execute: () => 1 }])).message,
    ).toBe(
      'tools[0] ("has space"): Tool name "has space" must be a string of 1-64 letters, digits, "_" or "-"',
    );
    expect(llmprocErrorOf(() => programWith([{ execute: () => 1 }])).message).toBe(
      'tools[0]: Tool name nothing must be a string of 1-64 letters, digits, "_" or "-"',
    );
  });

  it('refuses an unknown builtin name at its own index in the code list', () => {
    const error = llmprocErrorOf(() => programWith([okTool, 'calculater']));
    expect(error.code).toBe('UNKNOWN_TOOL');
    expect(error.details).toEqual({ index: 1, tool: 'calculater' });
    expect(error.message).toMatch(
      /^tools\[1\] \("calculater"\): Unknown tool name: 'calculater' \(expected one of calculator, /,
    );
  });

  it('refuses a non-object schema: a string, a list, a JSON Schema of another type, a zod non-object', () => {
    const cases: [unknown, string][] = [
      ['{"type":"object"}', 'got a string "{\\"type\\":\\"object\\"}"'],
      [[], 'got a list'],
    ];
    for (const [parameters, got] of cases) {
      expect(
        llmprocErrorOf(() => programWith([{ name: 't', parameters, execute: () => 1 }])).message,
      ).toBe(
        `tools[0] ("t"): parameters must be a zod object schema or a JSON Schema object; ${got}`,
      );
    }
    expect(
      llmprocErrorOf(() =>
        programWith([{ name: 't', parameters: { type: 'array' }, execute: () => 1 }]),
      ).message,
    ).toBe('tools[0] ("t"): parameters must describe an object (type "object"); got type "array"');
    expect(
      llmprocErrorOf(() => programWith([{ name: 't', parameters: z.string(), execute: () => 1 }]))
        .message,
    ).toBe('tools[0] ("t"): parameters must be a zod object schema');
  });

  it('refuses a hand-made tool object whose parts the loop could not call', () => {
    const handMade = {
      name: 'hand',
      description: 'made by hand',
      inputSchema: { type: 'object', properties: {} },
      access: 'read',
      parse: (args: Record<string, unknown>) => ({ ok: true, value: args }),
    };
    expect(llmprocErrorOf(() => programWith([handMade])).message).toBe(
      'tools[0] ("hand"): execute must be a function; got nothing',
    );
    expect(
      llmprocErrorOf(() => programWith([{ ...handMade, execute: () => 1, access: 'root' }]))
        .message,
    ).toBe(`tools[0] ("hand"): Invalid access level: root. Expected 'read', 'write', or 'admin'`);
  });

  it('still runs a program whose tools were all valid, and the accepted tool answers', async () => {
    const proc = await programWith([okTool]).start();
    const result = await proc.run('go');
    expect(result.lastMessage).toBe('done');
    const state = proc.getState();
    expect(state[2]).toEqual({
      role: 'user',
      content: [expect.objectContaining({ type: 'tool_result', content: 'fine', is_error: false })],
    });
    await proc.close();
  });
});
