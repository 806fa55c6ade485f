import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';
import * as callbacks from '../src/callbacks.js';

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
      'ProviderError',
      'RunResult',
      'StartingProcess',
      'ToolError',
      'ToolResult',
      'defineTool',
      'setLogger',
    ]);
    expect(Object.keys(callbacks)).toEqual(['CallbackEvent']);
  });

  it("gives CallbackEvent the seed's eight events plus text_delta and run_end", () => {
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
    });
    expect(root.AccessLevel).toEqual({ READ: 'read', WRITE: 'write', ADMIN: 'admin' });
  });
});
