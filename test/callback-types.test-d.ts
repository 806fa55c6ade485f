/**
 * Compile-time checks of the callback types: `event` narrows `args`. Each @ts-expect-error line must
 * be an error; if narrowing broke (args typed loosely), the directive itself would fail to compile.
 */
import { describe, expectTypeOf, it } from 'vitest';
import {
  CallbackEvent,
  LLMProgram,
  type CallbackParams,
  type Callbacks,
  type CallbackEvent as CallbackEventName,
  type EventContext,
  type LLMProcess,
  type ToolResult,
} from '../src/index.js';

declare const process: LLMProcess;

describe('callback types', () => {
  it('narrows the arguments of a function callback by its event', () => {
    process.addCallback((...params) => {
      if (params[0] === CallbackEvent.TOOL_START) {
        const [, toolName, toolArgs, context] = params;
        expectTypeOf(toolName).toEqualTypeOf<string>();
        expectTypeOf(toolArgs).toEqualTypeOf<Record<string, unknown>>();
        expectTypeOf(context).toEqualTypeOf<EventContext>();
        // @ts-expect-error tool_start's second argument is the tool's arguments, not a number
        const count: number = params[2];
        void count;
      }
      if (params[0] === 'tool_end') {
        const [, , result] = params;
        expectTypeOf(result).toEqualTypeOf<ToolResult>();
        // @ts-expect-error a ToolResult is not a string
        const asText: string = result;
        void asText;
      }
      if (params[0] === 'response') {
        const [, text, context] = params;
        expectTypeOf(text).toEqualTypeOf<string>();
        expectTypeOf(context).toEqualTypeOf<EventContext>();
      }
      if (params[0] === 'turn_start') {
        expectTypeOf(params[1]).toEqualTypeOf<LLMProcess>();
      }
      if (params[0] === 'text_delta') {
        // @ts-expect-error text_delta has one argument plus the context
        params[3].length;
      }
    });
  });

  it('types the event of a callback written as (event, ...args)', () => {
    process.addCallback((event, ...args) => {
      expectTypeOf(event).toEqualTypeOf<CallbackEventName>();
      void args;
    });
    process.addCallback((event) => {
      expectTypeOf(event).toEqualTypeOf<CallbackEventName>();
      // @ts-expect-error the event is one of the event names, not any string
      const unknownEvent: typeof event = 'not_an_event';
      void unknownEvent;
    });
  });

  it('accepts plain objects and classes with a subset of the methods, sync or async', () => {
    const plain: Callbacks = { response: (text) => text.length, tool_end: async () => undefined };
    class Timing {
      tool_start(toolName: string, toolArgs: Record<string, unknown>): void {
        void toolName;
        void toolArgs;
      }
      extra(): number {
        return 1;
      }
    }
    process.addCallback(plain).addCallback(new Timing());
    // @ts-expect-error response gets a string, not a number
    process.addCallback({ response: (text: number) => text });
  });

  it('accepts a loosely typed function written to the seed', () => {
    function seedStyle(event: string, ...args: unknown[]): void {
      void event;
      void args;
    }
    process.addCallback(seedStyle);
    const params = null as unknown as CallbackParams;
    expectTypeOf(params[0]).toEqualTypeOf<
      | 'tool_start'
      | 'tool_end'
      | 'response'
      | 'api_request'
      | 'api_response'
      | 'turn_start'
      | 'turn_end'
      | 'stderr_write'
      | 'text_delta'
      | 'run_end'
      | 'callback_error'
    >();
  });

  it('types the chained start().addCallback() as a promise of the process', () => {
    const program = new LLMProgram({ model: 'mock', provider: 'mock' });
    expectTypeOf(program.start().addCallback(() => undefined)).resolves.toEqualTypeOf<LLMProcess>();
  });
});
