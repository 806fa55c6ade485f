import { describe, expect, it } from 'vitest';
import { LlmprocError, ProviderError } from '../../errors.js';
import type { Message } from '../../conversation/messages.js';
import type { ModelRequest } from '../types.js';
import { MockProvider, splitIntoDeltas } from './provider.js';
import { mockObserver, type MockCall, type MockScript } from './script.js';

function request(messages: Message[], overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'mock-model',
    systemPrompt: '',
    messages,
    tools: [],
    parameters: {},
    promptCaching: true,
    stream: false,
    ...overrides,
  };
}

const user = (text: string): Message => ({ role: 'user', content: text });

async function answer(provider: MockProvider, text: string, stream = false): Promise<string> {
  const deltas: string[] = [];
  const { response } = await provider.doGenerate(
    provider.buildRequest(request([user(text)], { stream })),
    { onTextDelta: (delta) => deltas.push(delta) },
  );
  const first = response.content[0];
  return first?.type === 'text' ? first.text : JSON.stringify(response.content);
}

describe('MockProvider', () => {
  it('plays the turns in order, then the fallback text', async () => {
    const provider = new MockProvider(
      {
        turns: [
          { text: 'one', toolCalls: [] },
          { text: 'two', toolCalls: [] },
        ],
        fallbackText: 'end',
      },
      'mock-model',
    );
    expect(await answer(provider, 'a')).toBe('one');
    expect(await answer(provider, 'b')).toBe('two');
    expect(await answer(provider, 'c')).toBe('end');
  });

  it('without a fallback text says the script is finished and echoes the input', async () => {
    const provider = new MockProvider({ turns: [] }, 'mock-model');
    expect(await answer(provider, 'hello there')).toBe(
      '(mock) The script has no turn left to play. You said: hello there',
    );
  });

  it('plays a turn with `when` only once the latest user text contains it, keeping later turns', async () => {
    const provider = new MockProvider(
      {
        turns: [
          { text: 'about cats', toolCalls: [], when: 'cat' },
          { text: 'anything', toolCalls: [] },
        ],
      },
      'mock-model',
    );
    expect(await answer(provider, 'dogs?')).toBe('anything');
    expect(await answer(provider, 'and a cat?')).toBe('about cats');
  });

  it('answers tool calls with generated ids and the stop reason tool_use', async () => {
    const provider = new MockProvider(
      {
        turns: [
          {
            toolCalls: [
              { name: 'calculator', args: { expression: '1+1' } },
              { name: 'read_file', args: { path: 'a' }, id: 'toolu_given' },
            ],
          },
        ],
      },
      'mock-model',
    );
    const { response, raw } = await provider.doGenerate(
      provider.buildRequest(request([user('go')])),
      {},
    );
    expect(response.stopReason).toBe('tool_use');
    expect(response.content).toEqual([
      { type: 'tool_use', id: 'toolu_mock_0_0', name: 'calculator', input: { expression: '1+1' } },
      { type: 'tool_use', id: 'toolu_given', name: 'read_file', input: { path: 'a' } },
    ]);
    expect(raw).toMatchObject({ type: 'message', role: 'assistant', model: 'mock-model' });
  });

  it('streams a text answer in pieces that join to the whole', async () => {
    const text = 'The quick brown fox jumps over the lazy dog';
    const provider = new MockProvider({ turns: [{ text, toolCalls: [] }] }, 'mock-model');
    const deltas: string[] = [];
    await provider.doGenerate(provider.buildRequest(request([user('go')], { stream: true })), {
      onTextDelta: (delta) => deltas.push(delta),
    });
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(text);
    expect(splitIntoDeltas('one')).toEqual(['one']);
  });

  it('reports scripted usage, or estimates it from the conversation', async () => {
    const provider = new MockProvider(
      {
        turns: [
          { text: 'a', toolCalls: [], usage: { inputTokens: 7, outputTokens: 3 } },
          { text: 'b', toolCalls: [] },
        ],
      },
      'mock-model',
    );
    const first = await provider.doGenerate(provider.buildRequest(request([user('x')])), {});
    expect(first.response.usage).toMatchObject({ inputTokens: 7, outputTokens: 3 });
    const long = user('y'.repeat(400));
    const second = await provider.doGenerate(provider.buildRequest(request([long])), {});
    expect(second.response.usage.inputTokens).toBeGreaterThanOrEqual(100);
  });

  it('builds an Anthropic-shaped request with system, tools and parameters', () => {
    const provider = new MockProvider({ turns: [] }, 'mock-model');
    const payload = provider.buildRequest(
      request([user('hi')], {
        systemPrompt: 'Be brief.',
        tools: [{ name: 'noop', description: 'does nothing', inputSchema: { type: 'object' } }],
        parameters: { temperature: 0.5, extra_headers: { a: 'b' } },
        stream: true,
      }),
    );
    expect(payload).toEqual({
      model: 'mock-model',
      max_tokens: 4096,
      messages: [user('hi')],
      system: 'Be brief.',
      tools: [{ name: 'noop', description: 'does nothing', input_schema: { type: 'object' } }],
      temperature: 0.5,
      stream: true,
    });
  });

  it('counts tokens without a call', async () => {
    const provider = new MockProvider({ turns: [] }, 'mock-model');
    const short = await provider.countTokens(request([user('a'.repeat(40))]));
    const long = await provider.countTokens(request([user('a'.repeat(4000))]));
    expect(long.inputTokens - short.inputTokens).toBe(990);
    expect(short).toMatchObject({
      contextWindow: 200_000,
      percentage: (short.inputTokens / 200_000) * 100,
    });
  });

  it('gives a fork the turns already played', async () => {
    const script: MockScript = {
      turns: [
        { text: 'one', toolCalls: [] },
        { text: 'two', toolCalls: [] },
      ],
    };
    const parent = new MockProvider(script, 'mock-model');
    expect(await answer(parent, 'a')).toBe('one');
    const child = parent.fork();
    expect(await answer(child, 'b')).toBe('two');
    // The parent's own position is its own.
    expect(await answer(parent, 'c')).toBe('two');
  });

  it('fails a turn with `error` as a ProviderError, and uses that turn up', async () => {
    const provider = new MockProvider(
      {
        turns: [
          {
            toolCalls: [],
            error: {
              status: 529,
              message: 'Overloaded',
              type: 'overloaded_error',
              requestId: 'req_1',
            },
          },
          { toolCalls: [], error: { status: 400, message: 'bad request' } },
          { toolCalls: [], error: { message: 'stream cut', retryable: true } },
          { text: 'recovered', toolCalls: [] },
        ],
      },
      'mock-model',
    );
    const failure = (): Promise<unknown> =>
      answer(provider, 'x').then(
        () => expect.fail('the turn should fail'),
        (error: unknown) => error,
      );
    const overloaded = await failure();
    expect(overloaded).toBeInstanceOf(ProviderError);
    expect(overloaded).toMatchObject({
      code: 'PROVIDER_ERROR',
      provider: 'mock',
      status: 529,
      retryable: true,
      requestId: 'req_1',
      message: 'mock API error 529 (overloaded_error): Overloaded',
      details: { type: 'overloaded_error', requestId: 'req_1', scripted: true },
    });
    expect(await failure()).toMatchObject({ status: 400, retryable: false });
    expect(await failure()).toMatchObject({ status: undefined, retryable: true });
    expect(await answer(provider, 'y')).toBe('recovered');
  });

  it('waits `delayMs` before answering, and an abort ends the wait without using the turn up', async () => {
    const provider = new MockProvider(
      { turns: [{ text: 'late', toolCalls: [], delayMs: 300 }] },
      'mock-model',
    );
    const started = performance.now();
    const controller = new AbortController();
    const call = provider.doGenerate(provider.buildRequest(request([user('go')])), {
      signal: controller.signal,
    });
    controller.abort();
    const error = await call.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    // Without a reason of its own, the signal's reason is the platform's AbortError.
    expect(error).toMatchObject({ name: 'AbortError' });
    // The turn is still to play: a retried call gets it, after its wait.
    expect(await answer(provider, 'go')).toBe('late');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('rejects with the signal reason when the signal was aborted with an Error', async () => {
    const provider = new MockProvider({ turns: [{ text: 'a', toolCalls: [] }] }, 'mock-model');
    const reason = new LlmprocError('ABORTED', 'stop now');
    const controller = new AbortController();
    controller.abort(reason);
    await expect(
      provider.doGenerate(provider.buildRequest(request([user('go')])), {
        signal: controller.signal,
      }),
    ).rejects.toBe(reason);
    expect(await answer(provider, 'again')).toBe('a');
  });

  it("tells the script's observer of every call as it arrives, with the turn that answers", async () => {
    const calls: MockCall[] = [];
    const script: MockScript = {
      turns: [{ text: 'one', toolCalls: [] }],
      [mockObserver]: (call) => calls.push(call),
    };
    const provider = new MockProvider(script, 'mock-model');
    await answer(provider, 'first');
    await answer(provider.fork(), 'second');
    expect(calls.map((call) => call.turnIndex)).toEqual([0, null]);
    expect(calls[0]?.payload['messages']).toEqual([user('first')]);
  });
});
