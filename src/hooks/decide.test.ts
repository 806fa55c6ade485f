import { describe, expect, it } from 'vitest';
import { ToolResult } from '../tools/tool-result.js';
import { checkHook, decideToolCall, reviewToolResult } from './decide.js';
import type { Hook, HookContext, ToolCall } from './types.js';

const call: ToolCall = { toolName: 'search', args: { q: 'x' }, toolUseId: 'tu_1' };
const context: HookContext = { pid: 1, parentPid: undefined, turn: 1, signal: undefined };

describe('decideToolCall', () => {
  it('lets the tool run with the model arguments when no hook objects', async () => {
    const verdict = await decideToolCall([{ beforeToolCall: () => undefined }], call, context);
    expect(verdict).toEqual({ type: 'run', args: { q: 'x' } });
  });

  it('feeds each rewrite to the next hook, in registration order', async () => {
    const seen: unknown[] = [];
    const hooks: Hook[] = [
      { beforeToolCall: (c) => ({ args: { ...c.args, limit: 5 } }) },
      {
        beforeToolCall: (c) => {
          seen.push(c.args);
          return { args: { ...c.args, q: 'y' } };
        },
      },
    ];
    const verdict = await decideToolCall(hooks, call, context);
    expect(seen).toEqual([{ q: 'x', limit: 5 }]);
    expect(verdict).toEqual({ type: 'run', args: { q: 'y', limit: 5 } });
  });

  it.each([
    ['deny first', true],
    ['deny last', false],
  ])(
    'lets a deny win over rewrites and answers (%s), with the first deny reason',
    async (_, first) => {
      const deny: Hook = { beforeToolCall: () => ({ deny: 'no' }) };
      const others: Hook[] = [
        { beforeToolCall: () => ({ args: { q: 'rewritten' } }) },
        { beforeToolCall: () => ({ result: 'answered' }) },
        { beforeToolCall: () => ({ deny: 'second reason' }) },
      ];
      const verdict = await decideToolCall(
        first ? [deny, ...others] : [...others, deny],
        call,
        context,
      );
      expect(verdict).toMatchObject({ type: 'deny', reason: first ? 'no' : 'second reason' });
    },
  );

  it('runs every hook even after a deny, so each one sees the call', async () => {
    let ran = 0;
    await decideToolCall(
      [{ beforeToolCall: () => ({ deny: 'no' }) }, { beforeToolCall: () => void ran++ }],
      call,
      context,
    );
    expect(ran).toBe(1);
  });

  it('answers with the first result; a ToolResult keeps its error flag but never aborts the turn', async () => {
    const verdict = await decideToolCall(
      [
        { beforeToolCall: () => ({ result: new ToolResult('cached', true, true) }) },
        { beforeToolCall: () => ({ result: 'later' }) },
      ],
      call,
      context,
    );
    expect(verdict.type).toBe('answer');
    const result = verdict.type === 'answer' ? verdict.result : undefined;
    expect([result?.content, result?.isError, result?.abortExecution]).toEqual([
      'cached',
      true,
      false,
    ]);
  });

  it('awaits async hooks', async () => {
    const verdict = await decideToolCall(
      [{ beforeToolCall: async () => Promise.resolve({ deny: 'later' }) }],
      call,
      context,
    );
    expect(verdict).toMatchObject({ type: 'deny', reason: 'later' });
  });

  it('gives each hook its own copy of the arguments', async () => {
    const verdict = await decideToolCall(
      [
        {
          beforeToolCall: (c) => {
            (c.args as Record<string, unknown>)['q'] = 'mutated';
          },
        },
      ],
      call,
      context,
    );
    expect(verdict.args).toEqual({ q: 'x' });
  });

  it.each([
    [
      'a throw',
      () => {
        throw new Error('boom');
      },
      'boom',
    ],
    ['a rejection', () => Promise.reject(new Error('late boom')), 'late boom'],
    ['a string', () => 'deny', 'got string'],
    ['an unknown key', () => ({ allow: true }), 'got key allow'],
    ['a deny that is not a string', () => ({ deny: true }), '"deny" must be a string'],
    ['args that are not an object', () => ({ args: [1] }), '"args" must be an object'],
  ])('fails closed with HOOK_FAILED on %s', async (_, beforeToolCall, text) => {
    const hook = { beforeToolCall } as unknown as Hook;
    const error: unknown = await decideToolCall([hook], call, context).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'HOOK_FAILED',
      details: { hook: 'beforeToolCall', toolName: 'search', toolUseId: 'tu_1' },
    });
    expect((error as Error).message).toContain("beforeToolCall hook failed for tool 'search'");
    expect((error as Error).message).toContain(text);
  });
});

describe('reviewToolResult', () => {
  it('chains replacements and keeps the tool’s own abortExecution', async () => {
    const seen: string[] = [];
    const result = await reviewToolResult(
      [
        { afterToolCall: () => 'first' },
        {
          afterToolCall: (_c, r) => {
            seen.push(r.contentText());
            return ToolResult.fromError(`${r.contentText()} then second`);
          },
        },
        { afterToolCall: () => undefined },
      ],
      call,
      ToolResult.fromAbort('jumped'),
      context,
    );
    expect(seen).toEqual(['first']);
    expect([result.content, result.isError, result.abortExecution]).toEqual([
      'first then second',
      true,
      true,
    ]);
  });

  it('fails closed with HOOK_FAILED naming afterToolCall', async () => {
    const error: unknown = await reviewToolResult(
      [{ afterToolCall: () => Promise.reject(new Error('nope')) }],
      call,
      ToolResult.fromSuccess('ok'),
      context,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HOOK_FAILED', details: { hook: 'afterToolCall' } });
  });
});

describe('checkHook', () => {
  it.each([null, 'hook', {}, { beforeToolCall: 'x' }, { before: () => undefined }])(
    'rejects %j at registration',
    (hook) => {
      expect(() => checkHook(hook)).toThrow(/addHook expects/);
    },
  );
});
