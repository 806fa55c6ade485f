import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';
import * as callbacks from '../src/callbacks.js';
import * as otel from '../src/otel.js';
import * as durable from '../src/restate.js';
import * as testing from '../src/testing.js';

describe('the public entry points', () => {
  it('export exactly the runtime names the API promises', () => {
    // A change here is a change to the public API: make it on purpose.
    expect(Object.keys(root).sort()).toEqual([
      'AccessLevel',
      'CallbackEvent',
      'ConfigError',
      'LLMProcess',
      'LLMProgram',
      'LlmprocError',
      'McpInitError',
      'OutputInvalidError',
      'ProviderError',
      'RunResult',
      'StartingProcess',
      'ToolError',
      'ToolResult',
      'TraceRecorder',
      'defineTool',
      'findModelPrice',
      'hasModelPrice',
      'priceTableDate',
      'priceUsage',
      'readTrace',
      'recordTo',
      'renderTraceHtml',
      'setLogger',
      'usageCostUsd',
    ]);
    expect(Object.keys(callbacks)).toEqual(['CallbackEvent']);
    expect(Object.keys(durable).sort()).toEqual([
      'registerDeployment',
      'restateService',
      'restateSteps',
      'serveRestate',
    ]);
    expect(Object.keys(testing).sort()).toEqual(['recordEvents', 'scriptedModel']);
    expect(Object.keys(otel)).toEqual(['otelCallbacks']);
  });

  it("gives CallbackEvent the seed's eight events plus text_delta, run_end and callback_error", () => {
    expect(root.CallbackEvent).toEqual({
      TOOL_START: 'tool_start',
      TOOL_END: 'tool_end',
      RESPONSE: 'response',
      API_REQUEST: 'api_request',
      API_RESPONSE: 'api_response',
      TURN_START: 'turn_start',
      TURN_END: 'turn_end',
      STDERR_WRITE: 'stderr_write',
      TEXT_DELTA: 'text_delta',
      RUN_END: 'run_end',
      CALLBACK_ERROR: 'callback_error',
    });
    expect(root.AccessLevel).toEqual({ READ: 'read', WRITE: 'write', ADMIN: 'admin' });
  });
});

describe("the application's zod", () => {
  it('keeps its global configuration: llmproc sets no zod option (jitless slowed every schema)', async () => {
    const { z } = await import('zod');
    await import('../src/index.js');
    await import('../src/program/schema.js');
    expect(z.config().jitless).toBeUndefined();
  });
});
