import { describe, expect, it } from 'vitest';
import { LlmprocError } from '../errors.js';
import { ToolResult } from '../tools/tool-result.js';
import { bytesFromJson, toJsonSafe } from './json-safe.js';

describe('toJsonSafe', () => {
  it('writes binary data as base64 that reads back to the same bytes', () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const json = toJsonSafe({ image: bytes, buffer: Buffer.from('hi') });
    expect(json).toEqual({ image: { $bytes: 'AAEC+v8=' }, buffer: { $bytes: 'aGk=' } });
    expect(bytesFromJson((json as { image: unknown }).image)).toEqual(bytes);
  });

  it('keeps what JSON keeps and drops what it drops, without throwing on cycles or BigInt', () => {
    const cyclic: Record<string, unknown> = { name: 'a', gone: undefined, fn: () => 1 };
    cyclic['self'] = cyclic;
    const shared = { x: 1 };
    expect(
      toJsonSafe({
        cyclic,
        big: 10n,
        nan: Number.NaN,
        list: [undefined, 1],
        pair: [shared, shared],
      }),
    ).toEqual({
      cyclic: { name: 'a', self: '[Circular]' },
      big: '10',
      nan: null,
      list: [null, 1],
      pair: [{ x: 1 }, { x: 1 }],
    });
  });

  it('writes a tool result as the model saw it, an error by name, message and code', () => {
    expect(toJsonSafe(ToolResult.fromSuccess({ total: 3 }))).toEqual({
      content: '{"total":3}',
      isError: false,
      abortExecution: false,
    });
    expect(toJsonSafe(new LlmprocError('ABORTED', 'stop'))).toEqual({
      $error: { name: 'LlmprocError', message: 'stop', code: 'ABORTED' },
    });
  });

  it('writes a process as a reference to its pid', () => {
    const processLike = { pid: 7, getState: () => [], run: () => undefined, program: { big: 1 } };
    expect(toJsonSafe([processLike])).toEqual([{ $process: 7 }]);
  });
});
