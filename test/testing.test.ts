/**
 * llmproc/testing as a user's test uses it: a scripted model (turns, failures, delays, the requests
 * it received) and an event recorder, through the public entry points.
 */
import { describe, expect, expectTypeOf, it, onTestFinished } from 'vitest';
import { LLMProgram, ProviderError, setLogger, type ToolResult } from '../src/index.js';
import { recordEvents, scriptedModel } from '../src/testing.js';
import { expectValidConversation } from './support/conversation-invariant.js';
import { failOnUnhandledRejections } from './support/unhandled-rejections.js';

failOnUnhandledRejections();

describe('scriptedModel', () => {
  it('plays its turns, tool calls included, and lists the requests it received', async () => {
    const model = scriptedModel([
      { toolCalls: [{ name: 'calculator', args: { expression: '6*7' } }] },
      'It is 42.',
    ]);
    const proc = await model
      .program({ systemPrompt: 'You compute.', tools: ['calculator'] })
      .start();
    const result = await proc.run('What is 6*7?');

    expect(result.lastMessage).toBe('It is 42.');
    expect(model.requests).toHaveLength(2);
    const [first, second] = model.requests;
    expect(first).toMatchObject({
      system: 'You compute.',
      toolNames: ['calculator'],
      turn: 0,
      messages: [{ role: 'user', content: 'What is 6*7?' }],
    });
    expect(first?.body).toMatchObject({ model: 'scripted', max_tokens: 4096 });
    // The second request carries the tool's result, as a real model would get it.
    expect(second?.turn).toBe(1);
    expect(second?.messages.at(-1)).toMatchObject({
      role: 'user',
      content: [{ type: 'tool_result', content: '42' }],
    });
    // Copies: what was sent then, whatever the process does afterwards.
    await proc.run('Again?');
    expect(model.requests[0]?.messages).toHaveLength(1);
    expect(model.requests[2]?.turn).toBeNull();
  });

  it('spreads into new LLMProgram through `config`, with a model name and fallback of its own', async () => {
    const model = scriptedModel([], { model: 'claude-test', fallbackText: 'Nothing scripted.' });
    const program = new LLMProgram({ ...model.config, displayName: 'Tester' });
    expect(program.model).toBe('claude-test');
    const proc = await program.start();
    expect((await proc.run('hi')).lastMessage).toBe('Nothing scripted.');
    expect(model.requests.map((request) => request.body['model'])).toEqual(['claude-test']);
  });

  it('fails a turn with a real ProviderError; run_end reports it and the process runs again', async () => {
    const model = scriptedModel([
      { error: { status: 529, message: 'Overloaded', type: 'overloaded_error' } },
      'Back again.',
    ]);
    const proc = await model.program().start();
    const rec = recordEvents();
    proc.addCallback(rec);

    const error = await proc.run('hello').then(
      () => expect.fail('the run should reject'),
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'mock', status: 529, retryable: true });
    const [runEnd] = rec.of('run_end');
    expect(runEnd?.args[0].status).toBe('error');
    expect(runEnd?.args[0].error).toMatchObject({ name: 'ProviderError', code: 'PROVIDER_ERROR' });

    // The failed turn is used up: the next run gets the next one, from a valid conversation.
    expect((await proc.run('hello again')).lastMessage).toBe('Back again.');
    await expectValidConversation(proc);
  });

  it('delays a turn; aborting the run ends the wait and keeps the conversation whole', async () => {
    const model = scriptedModel([{ text: 'Slow answer.', delayMs: 60_000 }]);
    const proc = await model.program().start();
    const controller = new AbortController();
    const run = proc.run('take your time', { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = performance.now();
    controller.abort();
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' });
    // Generous for a loaded machine, and far below the scripted 60 s.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(model.requests).toHaveLength(1);
    await expectValidConversation(proc, { runAgain: false });
    expect(proc.getState()).toEqual([]);
  });

  it("records the requests of a process's children on the same list", async () => {
    const model = scriptedModel([
      { toolCalls: [{ name: 'fork', args: { prompts: ['child task'] } }] },
      { text: 'Child done.', when: 'child task' },
      'Parent done.',
    ]);
    const proc = await model.program({ tools: ['fork'] }).start();
    const result = await proc.run('split the work');
    expect(result.lastMessage).toBe('Parent done.');
    expect(model.requests.map((request) => request.turn)).toEqual([0, 1, 2]);
    expect(model.requests[1]?.messages.at(-1)).toMatchObject({ role: 'user' });
  });

  it('reads error and delay turns from a config file as well (snake_case)', async () => {
    const program = LLMProgram.fromDict({
      model: { name: 'mock', provider: 'mock' },
      mock: {
        turns: [{ error: { status: 429, message: 'slow down', request_id: 'req_9' }, delay_ms: 1 }],
      },
    });
    expect(program.mock?.turns[0]).toMatchObject({
      delayMs: 1,
      error: { status: 429, message: 'slow down', requestId: 'req_9' },
    });
    const proc = await program.start();
    await expect(proc.run('hi')).rejects.toMatchObject({ status: 429, requestId: 'req_9' });
  });
});

describe('recordEvents', () => {
  it('records every event with its arguments and context, typed by name', async () => {
    const model = scriptedModel([
      { toolCalls: [{ name: 'calculator', args: { expression: '2+2' } }] },
      'Four.',
    ]);
    const proc = await model.program({ tools: ['calculator'] }).start();
    const rec = recordEvents();
    proc.addCallback(rec);
    await proc.run('2+2?');

    expect(rec.names()).toEqual([
      'turn_start',
      'api_request',
      'api_response',
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
    const [start] = rec.of('tool_start');
    expectTypeOf(start!.args).toEqualTypeOf<
      [toolName: string, toolArgs: Record<string, unknown>]
    >();
    expect(start?.args).toEqual(['calculator', { expression: '2+2' }]);
    const [end] = rec.of('tool_end');
    expectTypeOf(end!.args[1]).toEqualTypeOf<ToolResult>();
    expect(end?.args[1].content).toBe('4');
    expect(start?.context).toMatchObject({ pid: proc.pid, turn: 1 });
    expect(start?.context.toolUseId).toBe(end?.context.toolUseId);
    expect(rec.events.every((event) => event.context.runId === start?.context.runId)).toBe(true);

    rec.clear();
    expect(rec.events).toEqual([]);
  });

  it("records a child's events with the context that names its parent's tool call", async () => {
    const model = scriptedModel([
      { toolCalls: [{ name: 'fork', args: { prompts: ['child task'] }, id: 'toolu_fork' }] },
      { text: 'Child done.', when: 'child task' },
      'Parent done.',
    ]);
    const proc = await model.program({ tools: ['fork'] }).start();
    const rec = recordEvents();
    proc.addCallback(rec);
    await proc.run('split the work');

    const childEvents = rec.events.filter((event) => event.context.pid !== proc.pid);
    expect(childEvents.length).toBeGreaterThan(0);
    for (const event of childEvents) {
      expect(event.context.parentPid).toBe(proc.pid);
      expect(event.context.parentToolUseId).toBe('toolu_fork');
    }
    expect(childEvents.map((event) => event.name)).toContain('response');
  });

  it('records callback errors of other callbacks, and the run still completes', async () => {
    const quiet = setLogger({ debug() {}, info() {}, warn() {}, error() {} });
    onTestFinished(() => {
      setLogger(quiet);
    });
    const proc = await scriptedModel(['ok']).program().start();
    const rec = recordEvents();
    proc.addCallback(() => {
      throw new Error('broken callback');
    });
    proc.addCallback(rec);
    const result = await proc.run('hi');
    expect(result.status).toBe('completed');
    const errors = rec.of('callback_error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.args[1]).toMatchObject({ message: 'broken callback' });
  });
});
