import { describe, expect, it } from 'vitest';
import { recorder } from '../../test/support/recorder.js';
import { defineTool, LLMProgram, ToolResult, type MockTurnOptions } from '../index.js';
import { z } from 'zod';

function program(
  turns: MockTurnOptions[],
  tools: Parameters<LLMProgram['registerTools']>[0] = [],
  extra = {},
): LLMProgram {
  return new LLMProgram({
    model: 'mock',
    provider: 'mock',
    systemPrompt: 'sys',
    tools,
    mock: { turns },
    ...extra,
  });
}

describe('the model/tool loop', () => {
  it('emits the turn order of API.md rule 5, with tool events and stderr writes between them', async () => {
    const rec = recorder();
    const proc = await program(
      [
        {
          text: 'Working on it.',
          toolCalls: [
            { name: 'write_stderr', args: { message: 'note' } },
            { name: 'calculator', args: { expression: '6*7' } },
          ],
        },
        { text: 'It is 42.' },
      ],
      ['calculator', 'write_stderr'],
    )
      .start()
      .addCallback(rec.callback);
    const result = await proc.run('compute');
    expect(rec.names()).toEqual([
      'turn_start',
      'api_request',
      'api_response',
      'response',
      'tool_start',
      'stderr_write',
      'tool_end',
      'tool_start',
      'tool_end',
      'turn_end',
      'turn_start',
      'api_request',
      'api_response',
      'response',
      'turn_end',
      'run_end',
    ]);
    expect(result.lastMessage).toBe('It is 42.');
    expect(result.apiCalls).toBe(2);
    expect(result.toolCalls).toEqual([
      { toolName: 'write_stderr', args: { message: 'note' } },
      { toolName: 'calculator', args: { expression: '6*7' } },
    ]);
    expect(result.stopReason).toBe('end_turn');
    expect(proc.getStderrLog()).toEqual(['note']);
    expect(proc.lastStopReason).toBe('end_turn');
  });

  it('stores one assistant message and one user message holding every tool result of a reply', async () => {
    const proc = await program(
      [
        {
          toolCalls: [
            { name: 'calculator', args: { expression: '1+1' } },
            { name: 'calculator', args: { expression: '2+2' } },
          ],
        },
        { text: 'done' },
      ],
      ['calculator'],
    ).start();
    await proc.run('go');
    const state = proc.getState();
    expect(state.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(state[2]).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_mock_0_0', content: '2', is_error: false },
        { type: 'tool_result', tool_use_id: 'toolu_mock_0_1', content: '4', is_error: false },
      ],
    });
  });

  it('rejects empty and whitespace-only input before any API call', async () => {
    const rec = recorder();
    const proc = await program([{ text: 'x' }])
      .start()
      .addCallback(rec.callback);
    await expect(proc.run('')).rejects.toThrow('User input cannot be empty');
    await expect(proc.run('   \n')).rejects.toMatchObject({ code: 'EMPTY_INPUT' });
    expect(rec.events).toEqual([]);
    expect(proc.getState()).toEqual([]);
  });

  it('stops after maxIterations model calls with stop reason max_iterations', async () => {
    const loop = { toolCalls: [{ name: 'calculator', args: { expression: '1' } }] };
    const proc = await program([loop, loop, loop, loop], ['calculator']).start();
    const result = await proc.run('loop forever', { maxIterations: 2 });
    expect(result.apiCalls).toBe(2);
    expect(result.stopReason).toBe('max_iterations');
    expect(result.lastMessage).toBe('');
    const again = await proc.run('once more', 1);
    expect(again.apiCalls).toBe(1);
  });

  it('makes no API call with maxIterations 0 but keeps the input', async () => {
    const proc = await program([{ text: 'x' }]).start();
    const result = await proc.run('hi', { maxIterations: 0 });
    expect(result.apiCalls).toBe(0);
    expect(result.stopReason).toBe('max_iterations');
    expect(proc.getState()).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('turns a throwing tool, an unknown tool and bad arguments into error results the model sees', async () => {
    const exploding = defineTool({
      name: 'explode',
      description: 'always fails',
      parameters: z.object({ n: z.number() }),
      execute: () => {
        throw new Error('kaboom');
      },
    });
    const rec = recorder();
    const proc = await program(
      [
        {
          toolCalls: [
            { name: 'explode', args: { n: 1 } },
            { name: 'no_such_tool', args: {} },
            { name: 'explode', args: { n: 'one' } },
            { name: 'explode', args: {} },
          ],
        },
        { text: 'recovered' },
      ],
      [exploding],
    )
      .start()
      .addCallback(rec.callback);
    const result = await proc.run('try');
    expect(result.lastMessage).toBe('recovered');
    const ends = rec.events
      .filter((e) => e.event === 'tool_end')
      .map((e) => e.args[1] as ToolResult);
    expect(ends.map((r) => [r.isError, r.content])).toEqual([
      [true, "Tool 'explode' error: kaboom"],
      [true, 'This tool is not available'],
      [
        true,
        "Tool 'explode' error: Invalid arguments: n: Invalid input: expected number, received string",
      ],
      [true, "Tool 'explode' error: Missing required parameter: n"],
    ]);
    const results = proc.getState()[2]?.content;
    expect(
      Array.isArray(results) && results.every((b) => b.type === 'tool_result' && b.is_error),
    ).toBe(true);
  });

  it('accepts tools with JSON Schema parameters and sends their schema to the model', async () => {
    const echo = defineTool({
      name: 'echo',
      description: 'Echo text',
      parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
      execute: ({ text }) => `echo: ${String(text)}`,
    });
    const rec = recorder();
    const proc = await program(
      [
        {
          toolCalls: [
            { name: 'echo', args: { text: 'hi' } },
            { name: 'echo', args: {} },
          ],
        },
        { text: 'ok' },
      ],
      [echo],
    )
      .start()
      .addCallback(rec.callback);
    await proc.run('go');
    const request = rec.events.find((e) => e.event === 'api_request')?.args[0] as {
      tools: unknown[];
    };
    expect(request.tools).toEqual([
      {
        name: 'echo',
        description: 'Echo text',
        input_schema: {
          type: 'object',
          properties: { text: { type: 'string' } },
          required: ['text'],
        },
      },
    ]);
    const ends = rec.events
      .filter((e) => e.event === 'tool_end')
      .map((e) => (e.args[1] as ToolResult).content);
    expect(ends).toEqual(['echo: hi', "Tool 'echo' error: Missing required parameter: text"]);
  });

  it('passes a ToolResult returned by a tool through unchanged', async () => {
    const aborting = defineTool({
      name: 'custom',
      execute: () => ToolResult.fromError('model-visible failure'),
    });
    const proc = await program(
      [{ toolCalls: [{ name: 'custom', args: {} }] }, { text: 'ok' }],
      [aborting],
    ).start();
    await proc.run('go');
    expect(proc.getState()[2]?.content).toEqual([
      {
        type: 'tool_result',
        tool_use_id: 'toolu_mock_0_0',
        content: 'model-visible failure',
        is_error: true,
      },
    ]);
  });

  it('denies a tool above the process access level with the original message', async () => {
    const proc = await program(
      [{ toolCalls: [{ name: 'fork', args: { prompts: ['x'] } }] }, { text: 'ok' }],
      ['fork'],
    ).start({
      accessLevel: 'read',
    });
    const rec = recorder();
    proc.addCallback(rec.callback);
    await proc.run('go');
    const end = rec.events.find((e) => e.event === 'tool_end')?.args[1] as ToolResult;
    expect(end.content).toBe('Access denied: this tool requires admin access but process has read');
  });

  it('lets the model call a tool by its alias and shows only the alias', async () => {
    const rec = recorder();
    const proc = await program(
      [{ toolCalls: [{ name: 'calc', args: { expression: '3*3' } }] }, { text: 'nine' }],
      ['calculator'],
      {
        toolAliases: { calc: 'calculator' },
      },
    )
      .start()
      .addCallback(rec.callback);
    await proc.run('go');
    expect(proc.tools.map((t) => t.name)).toEqual(['calc']);
    const end = rec.events.find((e) => e.event === 'tool_end')?.args[1] as ToolResult;
    expect(end.content).toBe('9');
  });

  it('sums usage over the calls of a run', async () => {
    const proc = await program(
      [
        {
          toolCalls: [{ name: 'calculator', args: { expression: '1' } }],
          usage: { inputTokens: 10, outputTokens: 3 },
        },
        { text: 'ok', usage: { inputTokens: 20, outputTokens: 5 } },
      ],
      ['calculator'],
    ).start();
    const result = await proc.run('go');
    expect(result.usage).toEqual({
      inputTokens: 30,
      outputTokens: 8,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      costUsd: 0, // the mock provider costs nothing
    });
    expect(result.totalTokens).toBe(38);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    const json = result.toJSON();
    expect(json.apiCalls).toBe(2);
    expect(json.lastMessage).toBe('ok');
    expect(JSON.parse(JSON.stringify(result))).toMatchObject({
      apiCalls: 2,
      stopReason: 'end_turn',
    });
  });

  it("streams text in several text_delta pieces before the block's response", async () => {
    const rec = recorder();
    const proc = await program([{ text: 'one two three four five six' }])
      .start()
      .addCallback(rec.callback);
    await proc.run('go', { stream: true });
    const names = rec.names();
    const deltas = rec.events.filter((e) => e.event === 'text_delta').map((e) => e.args[0]);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('one two three four five six');
    expect(names.indexOf('text_delta')).toBeGreaterThan(names.indexOf('api_request'));
    expect(names.lastIndexOf('text_delta')).toBeLessThan(names.indexOf('api_response'));
    expect(names.indexOf('response')).toBeGreaterThan(names.lastIndexOf('text_delta'));
  });

  it('returns copies from getState and getStderrLog', async () => {
    const proc = await program([{ text: 'hello' }]).start();
    await proc.run('hi');
    const state = proc.getState();
    state.push({ role: 'user', content: 'tampered' });
    (state[0] as { content: string }).content = 'changed';
    expect(proc.getState()).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: [{ type: 'text', text: 'hello' }] },
    ]);
    proc.getStderrLog().push('x');
    expect(proc.getStderrLog()).toEqual([]);
  });

  it('continues a saved conversation passed to start({ state })', async () => {
    const first = await program([{ text: 'first answer' }]).start();
    await first.run('hi');
    const resumed = await program([{ text: 'second answer' }]).start({ state: first.getState() });
    await resumed.run('and then?');
    expect(resumed.getState().map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    expect(resumed.getLastMessage()).toBe('second answer');
  });

  it('cancels a run through its AbortSignal, leaving the conversation as before the run', async () => {
    const slow = defineTool({
      name: 'slow',
      execute: (_args, context) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            resolve('late');
          }, 5_000);
          context.signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(new Error('stopped'));
          });
        }),
    });
    const proc = await program(
      [{ toolCalls: [{ name: 'slow', args: {} }] }, { text: 'never' }],
      [slow],
    ).start();
    const controller = new AbortController();
    const running = proc.run('go', { signal: controller.signal });
    setTimeout(() => {
      controller.abort();
    }, 20);
    await expect(running).rejects.toMatchObject({ code: 'ABORTED' });
    expect(proc.getState()).toEqual([]);
  });
});

describe('forking', () => {
  it('gives a forked child a deep copy of the state that evolves independently', async () => {
    const parent = await program([
      { text: 'parent reply' },
      { text: 'child reply' },
      { text: 'parent again' },
    ]).start();
    await parent.run('hello');
    const child = await parent.forkProcess();
    expect(child.getState()).toEqual(parent.getState());
    expect(child.parent).toBe(parent);
    expect(child.accessLevel).toBe('write');
    await child.run('child question');
    expect(child.getState()).toHaveLength(4);
    expect(parent.getState()).toHaveLength(2);
    await parent.run('parent question');
    expect(parent.getLastMessage()).toBe('child reply'); // the parent's own script position
    expect(child.getLastMessage()).toBe('child reply');
  });

  it('refuses forkProcess on a process below admin access', async () => {
    const proc = await program([{ text: 'x' }]).start({ accessLevel: 'write' });
    await expect(proc.forkProcess()).rejects.toThrow(
      'Forking requires ADMIN access level and is not allowed for this process',
    );
  });

  it('runs the fork tool: one child per prompt, results in prompt order, parent callbacks see children', async () => {
    const rec = recorder();
    const parent = await program(
      [
        {
          text: 'Forking.',
          toolCalls: [{ name: 'fork', args: { prompts: ['summarize README', 'list deps'] } }],
        },
        {
          when: 'summarize README',
          toolCalls: [{ name: 'write_stderr', args: { message: 'child 0 working' } }],
        },
        { when: 'summarize README', text: 'README: three bullets' },
        { when: 'list deps', text: 'deps: zod' },
        { text: 'Both children finished.' },
      ],
      ['fork', 'write_stderr'],
    )
      .start()
      .addCallback(rec.callback);
    const result = await parent.run('do both');
    expect(result.lastMessage).toBe('Both children finished.');
    const forkEnd = rec.events.find((e) => e.event === 'tool_end' && e.args[0] === 'fork')
      ?.args[1] as ToolResult;
    expect(JSON.parse(forkEnd.contentText())).toEqual([
      { id: 0, message: 'README: three bullets' },
      { id: 1, message: 'deps: zod' },
    ]);
    const childEvents = rec.events.filter((e) => e.context.parentPid === parent.pid);
    expect(new Set(childEvents.map((e) => e.context.pid)).size).toBe(2);
    expect(
      childEvents.some((e) => e.event === 'stderr_write' && e.args[0] === 'child 0 working'),
    ).toBe(true);
    // Children's events fall between the fork tool's tool_start and tool_end.
    const forkStart = rec.events.findIndex((e) => e.event === 'tool_start' && e.args[0] === 'fork');
    const forkEndIndex = rec.events.findIndex(
      (e) => e.event === 'tool_end' && e.args[0] === 'fork',
    );
    const childIndexes = rec.events.flatMap((e, i) =>
      e.context.parentPid === parent.pid ? [i] : [],
    );
    expect(Math.min(...childIndexes)).toBeGreaterThan(forkStart);
    expect(Math.max(...childIndexes)).toBeLessThan(forkEndIndex);
    // The parent's own log holds nothing its children wrote.
    expect(parent.getStderrLog()).toEqual([]);
  });

  it('builds each fork child a valid history ending at the fork call', async () => {
    const parent = await program(
      [
        {
          toolCalls: [
            { name: 'calculator', args: { expression: '1+1' } },
            { name: 'fork', args: { prompts: ['child goal'] } },
          ],
        },
        { when: 'child goal', text: 'child done' },
        { text: 'parent done' },
      ],
      ['fork', 'calculator'],
    ).start();
    const seen: unknown[] = [];
    parent.addCallback({
      api_request: (payload: Record<string, unknown>, context) => {
        if (context.parentPid === parent.pid) seen.push(payload['messages']);
      },
    });
    await parent.run('start');
    expect(seen[0]).toEqual([
      { role: 'user', content: 'start' },
      {
        role: 'assistant',
        content: [
          {
            type: 'tool_use',
            id: 'toolu_mock_0_0',
            name: 'calculator',
            input: { expression: '1+1' },
          },
          {
            type: 'tool_use',
            id: 'toolu_mock_0_1',
            name: 'fork',
            input: { prompts: ['child goal'] },
          },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_mock_0_0', content: '2', is_error: false },
          {
            type: 'tool_result',
            tool_use_id: 'toolu_mock_0_1',
            content:
              'pid==0, you are a child instance produced from a fork. please continue the conversation with only the assigned goal',
            is_error: false,
          },
          { type: 'text', text: 'child goal' },
        ],
      },
    ]);
  });

  it('refuses more than ten fork children and denies forking to the children themselves', async () => {
    const prompts = Array.from({ length: 11 }, (_, i) => `p${String(i)}`);
    const rec = recorder();
    const parent = await program(
      [
        { toolCalls: [{ name: 'fork', args: { prompts } }] },
        { toolCalls: [{ name: 'fork', args: { prompts: ['nested'] } }] },
        { when: 'nested', toolCalls: [{ name: 'fork', args: { prompts: ['deeper'] } }] },
        { when: 'nested', text: 'child could not fork' },
        { text: 'done' },
      ],
      ['fork'],
    )
      .start()
      .addCallback(rec.callback);
    await parent.run('go');
    const ends = rec.events
      .filter((e) => e.event === 'tool_end')
      .map((e) => (e.args[1] as ToolResult).contentText());
    expect(ends[0]).toBe('Too many fork children requested (11). Maximum is 10.');
    expect(ends).toContain('Access denied: this tool requires admin access but process has write');
  });

  it('waits for async callbacks of fork children before the parent run resolves', async () => {
    let childCallbacksSettled = 0;
    const parent = await program(
      [
        { toolCalls: [{ name: 'fork', args: { prompts: ['a', 'b'] } }] },
        { when: 'a', text: 'A' },
        { when: 'b', text: 'B' },
        { text: 'end' },
      ],
      ['fork'],
    ).start();
    parent.addCallback(async (...params) => {
      const context = params[params.length - 1] as { parentPid?: number };
      if (context.parentPid === undefined) return;
      await new Promise((r) => setTimeout(r, 15));
      childCallbacksSettled++;
    });
    await parent.run('go');
    // Two children, six events each (run_end included).
    expect(childCallbacksSettled).toBe(12);
  });
});

describe('recovery and saved state', () => {
  it('replays the same scripted turn when a run is aborted and retried', async () => {
    const proc = await program([{ text: 'one two three four five six seven' }]).start();
    const controller = new AbortController();
    proc.addCallback((...params) => {
      if (params[0] === 'text_delta') controller.abort();
    });
    await expect(proc.run('go', { stream: true, signal: controller.signal })).rejects.toMatchObject(
      { code: 'ABORTED' },
    );
    expect(proc.getState()).toEqual([]);
    const result = await proc.run('go');
    expect(result.lastMessage).toBe('one two three four five six seven');
  });

  it('rejects a saved state that is not a conversation, naming the bad message', async () => {
    const bad = [
      { role: 'user', content: 'hi' },
      { role: 'robot', content: 'x' },
    ];
    await expect(program([]).start({ state: bad as never })).rejects.toThrow(
      /^start\(\{ state \}\): state\.1/,
    );
  });

  it('continues the script when a program spawns itself', async () => {
    const rec = recorder();
    const proc = await program(
      [
        { toolCalls: [{ name: 'spawn', args: { prompt: 'child task' } }] },
        { when: 'child task', text: 'child result' },
        { text: 'parent done' },
      ],
      ['spawn'],
    )
      .start()
      .addCallback(rec.callback);
    const result = await proc.run('go');
    expect(result.lastMessage).toBe('parent done');
    const end = rec.events.find((e) => e.event === 'tool_end')?.args[1] as ToolResult;
    expect(end.content).toBe('child result');
  });
});

describe('what a process shows', () => {
  it('hands tools a narrow view of the calling process, not the process itself', async () => {
    let seen: Record<string, unknown> = {};
    const probe = defineTool({
      name: 'probe',
      description: 'Looks at its context',
      parameters: z.object({}),
      execute: (_args, context) => {
        context.process.writeStderr(`from ${String(context.process.pid)}`);
        seen = { ...context.process };
        return 'ok';
      },
    });
    const proc = await program(
      [{ toolCalls: [{ name: 'probe', args: {} }] }, { text: 'done' }],
      [probe],
    ).start();
    await proc.run('look');
    expect(proc.getStderrLog()).toEqual([`from ${String(proc.pid)}`]);
    expect(Object.keys(seen).sort()).toEqual([
      'fileDescriptors',
      'forkProcess',
      'getState',
      'pid',
      'spawnChild',
      'timeTravel',
      'triggerEvent',
      'writeStderr',
    ]);
    expect('run' in seen).toBe(false);
    await proc.close();
  });

  it('keeps the wiring of the builtin tools off the public process', async () => {
    const proc = await program([{ text: 'hi' }]).start();
    for (const hidden of ['timeTravel', 'fileDescriptors', 'program', 'spawnChild'])
      expect(hidden in proc).toBe(false);
    await proc.close();
  });
});
