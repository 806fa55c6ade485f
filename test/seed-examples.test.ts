/**
 * Every code example of the user's callback guide (../shared/seed/callbacks.md), ported to
 * TypeScript and run on the mock provider. If one of these fails, the guide is no longer true.
 */
import { describe, expect, it } from 'vitest';
import { CallbackEvent as FromSubpath } from '../src/callbacks.js';
import { CallbackEvent, LLMProgram, ToolResult, type CallbackParams } from '../src/index.js';

function calculatorProgram(): LLMProgram {
  return new LLMProgram({
    model: 'mock',
    provider: 'mock',
    systemPrompt: 'You can compute.',
    tools: ['calculator', 'write_stderr'],
    mock: {
      turns: [
        {
          text: 'Let me compute that for you, step by step.',
          toolCalls: [
            { name: 'calculator', args: { expression: '2+2' } },
            { name: 'write_stderr', args: { message: 'computed 2+2' } },
          ],
        },
        { text: 'The answer is 4.' },
      ],
    },
  });
}

describe('the callback guide, in TypeScript', () => {
  it('imports CallbackEvent from llmproc/callbacks as the seed imports it from llmproc.callbacks', () => {
    expect(FromSubpath).toBe(CallbackEvent);
    expect(CallbackEvent.TOOL_START).toBe('tool_start');
  });

  it('registers function and class callbacks after start, and chains addCallback', async () => {
    const program = calculatorProgram();
    const seen: string[] = [];
    function myCallbackFunction(event: string): void {
      seen.push(`fn:${event}`);
    }
    class MyCallbackClass {
      response(text: string): void {
        seen.push(`obj:response:${text}`);
      }
    }
    const process = await program.start();
    const returned = process.addCallback(myCallbackFunction);
    process.addCallback(new MyCallbackClass());
    expect(returned).toBe(process);

    const chained = await program.start().addCallback(myCallbackFunction);
    expect(chained.getCallbacks()).toEqual([myCallbackFunction]);

    await process.run('What is 2+2?');
    expect(seen).toContain('obj:response:The answer is 4.');
    expect(seen.filter((s) => s === 'fn:tool_start')).toHaveLength(2);
  });

  it('gives a function callback the event and its arguments, narrowed by the event', async () => {
    const lines: string[] = [];
    // `params[0]` is the event; checking it narrows the rest of the tuple.
    const myCallback = (...params: CallbackParams): void => {
      if (params[0] === CallbackEvent.TOOL_START) {
        const [, toolName] = params;
        lines.push(`Tool started: ${toolName}`);
      } else if (params[0] === CallbackEvent.TOOL_END) {
        const [, toolName] = params;
        lines.push(`Tool completed: ${toolName}`);
      } else if (params[0] === CallbackEvent.RESPONSE) {
        const [, text] = params;
        lines.push(`Response: ${text.slice(0, 30)}...`);
      }
    };
    const process = await calculatorProgram().start().addCallback(myCallback);
    await process.run('What is 2+2?');
    expect(lines).toEqual([
      'Response: Let me compute that for you, s...',
      'Tool started: calculator',
      'Tool completed: calculator',
      'Tool started: write_stderr',
      'Tool completed: write_stderr',
      'Response: The answer is 4....',
    ]);
  });

  it('calls class callback methods named after the events, with only their arguments', async () => {
    const lines: string[] = [];
    class MyCallbacks {
      tool_start(toolName: string, toolArgs: Record<string, unknown>): void {
        lines.push(`Tool started: ${toolName} ${JSON.stringify(toolArgs)}`);
      }
      tool_end(toolName: string, result: ToolResult): void {
        lines.push(`Tool completed: ${toolName} -> ${result.contentText()}`);
      }
      response(text: string): void {
        lines.push(`Response: ${text.slice(0, 30)}...`);
      }
    }
    const process = await calculatorProgram().start().addCallback(new MyCallbacks());
    await process.run('What is 2+2?');
    expect(lines).toEqual([
      'Response: Let me compute that for you, s...',
      'Tool started: calculator {"expression":"2+2"}',
      'Tool completed: calculator -> 4',
      'Tool started: write_stderr {"message":"computed 2+2"}',
      'Tool completed: write_stderr -> written',
      'Response: The answer is 4....',
    ]);
  });

  it('runs async callbacks and mixed sync/async classes, settled before run() resolves', async () => {
    const logged: string[] = [];
    const logEvent = async (event: string): Promise<void> => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      logged.push(event);
    };
    async function myAsyncCallback(event: string): Promise<void> {
      await logEvent(event);
    }
    const order: string[] = [];
    class MixedCallbacks {
      tool_start(): void {
        order.push('sync start');
      }
      async response(text: string): Promise<void> {
        await new Promise((resolve) => setTimeout(resolve, 10));
        order.push(`async response: ${text}`);
      }
    }
    const process = await calculatorProgram()
      .start()
      .addCallback(myAsyncCallback)
      .addCallback(new MixedCallbacks());
    await process.run('What is 2+2?');
    // Nothing is still pending once run() has resolved.
    expect(logged).toContain('turn_end');
    expect(logged.filter((e) => e === 'turn_start')).toHaveLength(2);
    expect(order).toContain('sync start');
    expect(order).toContain('async response: The answer is 4.');
  });

  it('passes each event the arguments the guide lists', async () => {
    const got = new Map<string, unknown[]>();
    const process = await calculatorProgram().start();
    process.addCallback((...[event, ...args]: CallbackParams) => {
      if (!got.has(event)) got.set(event, args.slice(0, -1));
    });
    await process.run('What is 2+2?');
    expect(got.get('tool_start')).toEqual(['calculator', { expression: '2+2' }]);
    const toolEnd = got.get('tool_end');
    expect(toolEnd?.[0]).toBe('calculator');
    expect(toolEnd?.[1]).toBeInstanceOf(ToolResult);
    expect(got.get('response')).toEqual(['Let me compute that for you, step by step.']);
    expect((got.get('api_request')?.[0] as { model: string }).model).toBe('mock');
    expect((got.get('api_response')?.[0] as { type: string }).type).toBe('message');
    expect(got.get('turn_start')).toEqual([process]);
    const turnEnd = got.get('turn_end');
    expect(turnEnd?.[0]).toBe(process);
    expect((turnEnd?.[2] as { type: string }[]).map((r) => r.type)).toEqual([
      'tool_result',
      'tool_result',
    ]);
    expect(got.get('stderr_write')).toEqual(['computed 2+2']);
  });

  it('times tools with the TimingCallback example', async () => {
    class TimingCallback {
      tools: Record<string, { calls: number; totalTime: number }> = {};
      currentTools: Record<string, number> = {};
      tool_start(toolName: string): void {
        this.tools[toolName] ??= { calls: 0, totalTime: 0 };
        this.tools[toolName].calls += 1;
        this.currentTools[toolName] = performance.now();
      }
      tool_end(toolName: string): void {
        const started = this.currentTools[toolName];
        const entry = this.tools[toolName];
        if (started !== undefined && entry) {
          entry.totalTime += performance.now() - started;
          delete this.currentTools[toolName];
        }
      }
      getStats(): Record<string, { calls: number; totalTime: number; avgTime: number }> {
        const stats: Record<string, { calls: number; totalTime: number; avgTime: number }> = {};
        for (const [name, { calls, totalTime }] of Object.entries(this.tools)) {
          stats[name] = { calls, totalTime, avgTime: calls > 0 ? totalTime / calls : 0 };
        }
        return stats;
      }
    }
    const timing = new TimingCallback();
    const process = await calculatorProgram().start().addCallback(timing);
    await process.run('What is 2+2?');
    const stats = timing.getStats();
    expect(Object.keys(stats)).toEqual(['calculator', 'write_stderr']);
    expect(stats['calculator']?.calls).toBe(1);
    expect(stats['calculator']?.totalTime).toBeGreaterThanOrEqual(0);
    expect(timing.currentTools).toEqual({});
  });

  it('captures raw requests and responses with the APILogger example', async () => {
    class APILogger {
      calls: { request: Record<string, unknown>; response?: unknown }[] = [];
      api_request(payload: Record<string, unknown>): void {
        this.calls.push({ request: payload });
      }
      api_response(response: unknown): void {
        const last = this.calls.at(-1);
        if (last) last.response = response;
      }
    }
    const logger = new APILogger();
    const process = await calculatorProgram().start().addCallback(logger);
    const result = await process.run('What is 2+2?');
    expect(logger.calls).toHaveLength(result.apiCalls);
    expect(logger.calls[0]?.request['system']).toBe('You can compute.');
    expect((logger.calls[1]?.response as { content: { text: string }[] }).content[0]?.text).toBe(
      'The answer is 4.',
    );
    expect(result.apiCallInfos[0]?.request).toBe(logger.calls[0]?.request);
  });

  it('propagates callbacks registered on a parent to a forked child', async () => {
    const seen: { event: string; pid: number; parentPid: number | undefined }[] = [];
    const myCallback = (...params: CallbackParams): void => {
      const context = params.at(-1) as { pid: number; parentPid: number | undefined };
      seen.push({ event: params[0], pid: context.pid, parentPid: context.parentPid });
    };
    const parent = await new LLMProgram({
      model: 'mock',
      provider: 'mock',
      mock: { turns: [{ text: 'child answer' }] },
    }).start();
    parent.addCallback(myCallback);
    const child = await parent.forkProcess();
    expect(child.getCallbacks()).toEqual([myCallback]);
    await child.run('hello from the child');
    expect(seen.map((s) => s.event)).toEqual([
      'turn_start',
      'api_request',
      'api_response',
      'response',
      'turn_end',
      'run_end',
    ]);
    expect(seen.every((s) => s.pid === child.pid && s.parentPid === parent.pid)).toBe(true);
  });
});
