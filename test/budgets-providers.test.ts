/**
 * Budgets on each real provider, through its official SDK over HTTP against recorded exchanges: a
 * token budget stops the run after the first call without running its tool, and a time budget
 * interrupts a streaming response in flight; both resolve with a valid conversation.
 */
import { describe, expect, it } from 'vitest';
import { defineTool, LLMProgram } from '../src/index.js';
import { loadFixture, startReplayServer, withReplayServer } from './support/replay-server.js';
import { expectValidConversation } from './support/conversation-invariant.js';
import { useProviderKeys } from './support/provider-keys.js';

useProviderKeys('test-key');

const cases = [
  ['anthropic', 'anthropic', 'claude-sonnet-4-5', { max_tokens: 1024 }, 'get_weather'],
  ['openai', 'openai-chat', 'gpt-5-mini', {}, 'get_weather'],
  ['openai', 'openai-responses', 'gpt-5', { reasoning_effort: 'low' }, 'get_capital'],
  ['gemini', 'gemini', 'gemini-2.5-flash', {}, 'get_weather'],
] as const;

describe.each(cases)('budgets on %s (%s)', (provider, set, model, parameters, toolName) => {
  it('a token budget stops after the first call, answering its tool call as not run', async () => {
    const ran: unknown[] = [];
    const tool = defineTool({
      name: toolName,
      execute: (args) => {
        ran.push(args);
        return 'ran';
      },
    });
    const fixtures = [loadFixture(set, 'tool-loop.1'), loadFixture(set, 'tool-loop.2')];
    await withReplayServer(fixtures, async (server) => {
      const proc = await new LLMProgram({
        model,
        provider,
        baseUrl: server.url,
        parameters,
        tools: [tool],
      }).start();
      try {
        const result = await proc.run('What is it?', { maxTokens: 10 });
        expect([result.status, result.stopReason, result.apiCalls]).toEqual([
          'budget',
          'budget:tokens',
          1,
        ]);
        expect(ran).toEqual([]);
        expect(server.received).toHaveLength(1);
        const state = proc.getState();
        expect(state.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
        expect(JSON.stringify(state.at(-1))).toContain('Not run: the run reached its token budget');
        await expectValidConversation(proc, { runAgain: false });
      } finally {
        await proc.close();
      }
    });
  });
});

describe.each([
  ['anthropic', 'anthropic', 'text-stream', 'claude-sonnet-4-5'],
  ['gemini', 'gemini', 'text-stream', 'gemini-2.0-flash-exp'],
] as const)('a time budget on %s', (provider, set, name, model) => {
  it('interrupts a streaming reply in flight and resolves with the input kept', async () => {
    // Frames a second apart: the run's 300 ms budget ends while the reply is still streaming.
    const server = await startReplayServer([loadFixture(set, name)], { frameDelayMs: 1000 });
    const proc = await new LLMProgram({
      model,
      provider,
      baseUrl: server.url,
      parameters: { max_tokens: 256 },
    }).start();
    try {
      const result = await proc.run('Say something', { stream: true, timeoutMs: 300 });
      expect([result.status, result.stopReason]).toEqual(['budget', 'budget:time']);
      expect(proc.getState()).toEqual([{ role: 'user', content: 'Say something' }]);
      await expectValidConversation(proc, { runAgain: false });
    } finally {
      await proc.close();
      await server.close();
    }
  });
});
