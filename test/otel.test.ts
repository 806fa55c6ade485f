/**
 * `llmproc/otel` against the OpenTelemetry SDK: an InMemorySpanExporter, a metric reader collected
 * on demand, and the AsyncLocalStorage context manager, on the mock provider and on the three real
 * providers through their SDKs over HTTP against recorded exchanges.
 */
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  DataPointType,
  MeterProvider,
  MetricReader,
  type HistogramMetricData,
} from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineTool, LLMProgram, type MockTurnOptions } from '../src/index.js';
import { otelCallbacks } from '../src/otel.js';
import { expectValidConversation } from './support/conversation-invariant.js';
import { useProviderKeys } from './support/provider-keys.js';
import { captureWarnings } from './support/warnings.js';
import { loadFixture, withReplayServer } from './support/replay-server.js';

class CollectingReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const contextManager = new AsyncLocalStorageContextManager();
const secret = 'sk-test-secret-key-that-must-not-leak';
useProviderKeys(secret);
beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  context.disable();
});

function telemetry(captureContent = false) {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    callbacks: otelCallbacks({ tracerProvider, meterProvider, captureContent }),
    spans: () => exporter.getFinishedSpans(),
    tracer: tracerProvider.getTracer('test'),
    histograms: async () => {
      const { resourceMetrics } = await reader.collect();
      const all = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
      return new Map(
        all
          .filter(
            (metric): metric is HistogramMetricData =>
              metric.dataPointType === DataPointType.HISTOGRAM,
          )
          .map((metric) => [metric.descriptor.name, metric]),
      );
    },
  };
}

function mockProgram(
  turns: MockTurnOptions[],
  tools: Parameters<LLMProgram['registerTools']>[0] = [],
) {
  return new LLMProgram({
    model: 'mock',
    provider: 'mock',
    systemPrompt: 'You are a calculator.',
    parameters: { max_tokens: 512, temperature: 0.2 },
    tools,
    mock: { turns },
  });
}

const byName = (spans: readonly ReadableSpan[], name: string): ReadableSpan[] =>
  spans.filter((span) => span.name === name);

function only(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const found = byName(spans, name);
  expect(found, name).toHaveLength(1);
  return found[0] as ReadableSpan;
}

const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;

/** Spans in the order they started (seconds, then nanoseconds); equal starts keep their order. */
const byStart = (spans: readonly ReadableSpan[]): ReadableSpan[] =>
  [...spans].sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);

const toolLoop: MockTurnOptions[] = [
  { text: 'Computing.', toolCalls: [{ name: 'calculator', args: { expression: '6*7' } }] },
  { text: 'It is 42.' },
];

describe('otelCallbacks on the mock provider', () => {
  it('makes one invoke_agent span per run, a chat span per model call and an execute_tool span per tool call', async () => {
    const t = telemetry();
    const proc = await mockProgram(toolLoop, ['calculator']).start().addCallback(t.callbacks);
    const result = await proc.run('What is 6*7?');
    const spans = t.spans();
    expect(spans.map((s) => s.name).sort()).toEqual([
      'chat mock',
      'chat mock',
      'execute_tool calculator',
      'invoke_agent Mock mock',
    ]);
    const agent = only(spans, 'invoke_agent Mock mock');
    expect(agent.kind).toBe(SpanKind.INTERNAL);
    expect(parentOf(agent)).toBeUndefined();
    expect(agent.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.provider.name': 'mock',
      'gen_ai.agent.name': 'Mock mock',
      'gen_ai.request.model': 'mock',
      'gen_ai.usage.output_tokens': result.usage.outputTokens,
    });
    const chats = byStart(byName(spans, 'chat mock'));
    for (const [i, chat] of chats.entries()) {
      const info = result.apiCallInfos[i];
      expect(chat.kind).toBe(SpanKind.CLIENT);
      expect(parentOf(chat)).toBe(agent.spanContext().spanId);
      expect(chat.attributes).toEqual({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'mock',
        'gen_ai.request.model': 'mock',
        'gen_ai.request.max_tokens': 512,
        'gen_ai.request.temperature': 0.2,
        'gen_ai.response.model': info?.model,
        'gen_ai.response.id': info?.id,
        'gen_ai.response.finish_reasons': [info?.stopReason],
        'gen_ai.usage.input_tokens':
          (info?.usage.inputTokens ?? 0) +
          (info?.usage.cacheReadTokens ?? 0) +
          (info?.usage.cacheWriteTokens ?? 0),
        'gen_ai.usage.output_tokens': info?.usage.outputTokens,
        'gen_ai.usage.cache_read.input_tokens': info?.usage.cacheReadTokens,
        'gen_ai.usage.cache_creation.input_tokens': info?.usage.cacheWriteTokens,
      });
      expect(chat.status.code).toBe(SpanStatusCode.UNSET);
    }
    const tool = only(spans, 'execute_tool calculator');
    const reply = proc.getState()[1];
    const callId = Array.isArray(reply?.content)
      ? reply.content.find((b) => b.type === 'tool_use')
      : undefined;
    expect(tool.kind).toBe(SpanKind.INTERNAL);
    expect(parentOf(tool)).toBe(agent.spanContext().spanId);
    expect(tool.attributes).toEqual({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'calculator',
      'gen_ai.tool.call.id': callId?.type === 'tool_use' ? callId.id : 'missing',
      'gen_ai.tool.type': 'function',
    });
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
  });

  it('records content only with captureContent: true, in the conventions’ message form', async () => {
    const off = telemetry(false);
    const on = telemetry(true);
    for (const t of [off, on]) {
      const proc = await mockProgram(toolLoop, ['calculator']).start().addCallback(t.callbacks);
      await proc.run('What is 6*7?');
    }
    const contentKeys = (spans: readonly ReadableSpan[]) =>
      spans.flatMap((s) =>
        Object.keys(s.attributes).filter((k) =>
          /messages|instructions|call\.arguments|call\.result/.test(k),
        ),
      );
    expect(contentKeys(off.spans())).toEqual([]);
    const spans = on.spans();
    const [first, second] = byStart(byName(spans, 'chat mock'));
    expect(JSON.parse(String(first?.attributes['gen_ai.system_instructions']))).toEqual([
      { type: 'text', content: 'You are a calculator.' },
    ]);
    expect(JSON.parse(String(first?.attributes['gen_ai.input.messages']))).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'What is 6*7?' }] },
    ]);
    const tool = only(spans, 'execute_tool calculator');
    const output = JSON.parse(String(first?.attributes['gen_ai.output.messages'])) as unknown[];
    expect(output).toEqual([
      {
        role: 'assistant',
        parts: [
          { type: 'text', content: 'Computing.' },
          {
            type: 'tool_call',
            id: tool.attributes['gen_ai.tool.call.id'],
            name: 'calculator',
            arguments: { expression: '6*7' },
          },
        ],
        finish_reason: 'tool_use',
      },
    ]);
    const input2 = JSON.parse(String(second?.attributes['gen_ai.input.messages'])) as {
      role: string;
    }[];
    expect(input2.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(tool.attributes['gen_ai.tool.call.arguments']).toBe('{"expression":"6*7"}');
    expect(tool.attributes['gen_ai.tool.call.result']).toBe('42');
  });

  it("nests the fork tool's children under the fork call's span, in the same trace", async () => {
    const t = telemetry();
    const proc = await mockProgram(
      [
        { toolCalls: [{ name: 'fork', args: { prompts: ['task a', 'task b'] } }] },
        { when: 'task a', toolCalls: [{ name: 'calculator', args: { expression: '1+1' } }] },
        { when: 'task a', text: 'A' },
        { when: 'task b', text: 'B' },
        { text: 'done' },
      ],
      ['fork', 'calculator'],
    )
      .start()
      .addCallback(t.callbacks);
    await proc.run('go');
    const spans = t.spans();
    const agents = byName(spans, 'invoke_agent Mock mock');
    expect(agents).toHaveLength(3);
    const fork = only(spans, 'execute_tool fork');
    const root = agents.find((a) => parentOf(a) === undefined);
    expect(parentOf(fork)).toBe(root?.spanContext().spanId);
    const children = agents.filter((a) => a !== root);
    expect(children.map(parentOf)).toEqual([fork.spanContext().spanId, fork.spanContext().spanId]);
    const calc = only(spans, 'execute_tool calculator');
    expect(children.map((c) => c.spanContext().spanId)).toContain(parentOf(calc));
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
  });

  it("nests a spawned child's run under the spawn call's span", async () => {
    const t = telemetry();
    const helper = new LLMProgram({
      model: 'helper',
      provider: 'mock',
      mock: { turns: [{ text: 'hi' }] },
    });
    const proc = await new LLMProgram({
      model: 'main',
      provider: 'mock',
      tools: ['spawn'],
      linkedPrograms: { helper: { program: helper, description: 'helps' } },
      mock: {
        turns: [
          { toolCalls: [{ name: 'spawn', args: { program_name: 'helper', prompt: 'say hi' } }] },
          { text: 'ok' },
        ],
      },
    })
      .start()
      .addCallback(t.callbacks);
    await proc.run('go');
    const spans = t.spans();
    const spawn = only(spans, 'execute_tool spawn');
    const child = only(spans, 'invoke_agent Mock helper');
    expect(parentOf(child)).toBe(spawn.spanContext().spanId);
    expect(child.spanContext().traceId).toBe(spawn.spanContext().traceId);
    expect(parentOf(only(spans, 'chat helper'))).toBe(child.spanContext().spanId);
  });

  it('starts a new trace for a forkProcess() child, linked to the run it was forked from', async () => {
    const t = telemetry();
    const parent = await mockProgram([{ text: 'p' }, { text: 'c' }])
      .start()
      .addCallback(t.callbacks);
    await parent.run('go');
    const child = await parent.forkProcess();
    await child.run('again');
    const [first, second] = byName(t.spans(), 'invoke_agent Mock mock');
    expect(parentOf(second as ReadableSpan)).toBeUndefined();
    expect(second?.spanContext().traceId).not.toBe(first?.spanContext().traceId);
    expect(second?.links.map((l) => l.context.spanId)).toEqual([first?.spanContext().spanId]);
  });

  it("runs under the caller's active span", async () => {
    const t = telemetry();
    const proc = await mockProgram([{ text: 'hi' }])
      .start()
      .addCallback(t.callbacks);
    await t.tracer.startActiveSpan('request', async (outer) => {
      await proc.run('go');
      outer.end();
    });
    const outer = only(t.spans(), 'request');
    expect(parentOf(only(t.spans(), 'invoke_agent Mock mock'))).toBe(outer.spanContext().spanId);
  });

  it('marks a failed tool call with error status and type', async () => {
    const t = telemetry();
    const proc = await mockProgram(
      [{ toolCalls: [{ name: 'calculator', args: { expression: '1/0' } }] }, { text: 'oops' }],
      ['calculator'],
    )
      .start()
      .addCallback(t.callbacks);
    await proc.run('go');
    const tool = only(t.spans(), 'execute_tool calculator');
    expect(tool.status.code).toBe(SpanStatusCode.ERROR);
    expect(tool.attributes['error.type']).toBe('tool_error');
  });

  it('never breaks a run when the OpenTelemetry SDK it is given throws: the failures are callback_error events', async () => {
    const broken = new TracerProvider({
      spanProcessors: [
        {
          onStart: () => {
            throw new Error('span processor down');
          },
          onEnd: () => undefined,
          forceFlush: () => Promise.resolve(),
          shutdown: () => Promise.resolve(),
        },
      ],
    });
    const failures: string[] = [];
    const logged = captureWarnings();
    const proc = await mockProgram(toolLoop, ['calculator'])
      .start()
      .addCallback(otelCallbacks({ tracerProvider: broken }))
      .addCallback({ callback_error: (eventName: string) => failures.push(eventName) });
    try {
      const result = await proc.run('What is 6*7?');
      expect(logged.warnings).toContain('Error in api_request callback: span processor down');
      expect(result.status).toBe('completed');
      expect(result.lastMessage).toBe('It is 42.');
      expect(failures).toContain('api_request');
      await expectValidConversation(proc, { input: 'again' });
    } finally {
      logged.restore();
    }
  });

  it('records the token usage and duration histograms with the conventions’ buckets', async () => {
    const t = telemetry();
    const proc = await mockProgram(toolLoop, ['calculator']).start().addCallback(t.callbacks);
    const result = await proc.run('go');
    const histograms = await t.histograms();
    const tokens = histograms.get('gen_ai.client.token.usage');
    expect(tokens?.descriptor.unit).toBe('{token}');
    const points = tokens?.dataPoints ?? [];
    const sumOf = (type: string) =>
      points
        .filter((p) => p.attributes['gen_ai.token.type'] === type)
        .reduce((s, p) => s + (p.value.sum ?? 0), 0);
    expect(sumOf('output')).toBe(result.usage.outputTokens);
    expect(sumOf('input')).toBe(
      result.usage.inputTokens + result.usage.cacheReadTokens + result.usage.cacheWriteTokens,
    );
    expect(points[0]?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'mock',
      'gen_ai.request.model': 'mock',
      'gen_ai.response.model': 'mock',
    });
    expect(points[0]?.value.buckets.boundaries).toEqual([
      1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
    ]);
    const duration = histograms.get('gen_ai.client.operation.duration');
    expect(duration?.descriptor.unit).toBe('s');
    expect(duration?.dataPoints.reduce((n, p) => n + p.value.count, 0)).toBe(2);
    expect(duration?.dataPoints[0]?.value.buckets.boundaries).toEqual([
      0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
    ]);
  });
});

describe('otelCallbacks on the real providers, over HTTP against recorded exchanges', () => {
  it.each([
    [
      'anthropic',
      'anthropic',
      'claude-sonnet-4-5',
      { max_tokens: 1024 },
      'get_weather',
      'anthropic',
    ],
    ['openai', 'openai-chat', 'gpt-5-mini', {}, 'get_weather', 'openai'],
    ['openai', 'openai-responses', 'gpt-5', { reasoning_effort: 'low' }, 'get_capital', 'openai'],
    ['gemini', 'gemini', 'gemini-2.5-flash', {}, 'get_weather', 'gcp.gemini'],
  ] as const)(
    '%s (%s): the same span tree, with the provider’s ids and usage',
    async (provider, set, model, parameters, toolName, semconvName) => {
      const fixtures = [loadFixture(set, 'tool-loop.1'), loadFixture(set, 'tool-loop.2')];
      const tool = defineTool({ name: toolName, execute: () => 'the tool’s answer' });
      await withReplayServer(fixtures, async (server) => {
        const t = telemetry(true);
        const proc = await new LLMProgram({
          model,
          provider,
          tools: [tool],
          parameters,
          baseUrl: server.url,
        })
          .start()
          .addCallback(t.callbacks);
        const result = await proc.run('What is it?');
        await proc.close();
        expect(result.apiCalls).toBe(2);
        const spans = t.spans();
        const agent = only(spans, `invoke_agent ${proc.displayName}`);
        expect(agent.attributes['gen_ai.provider.name']).toBe(semconvName);
        expect(agent.attributes['gen_ai.usage.output_tokens']).toBe(result.usage.outputTokens);
        const chats = byStart(byName(spans, `chat ${model}`));
        expect(chats).toHaveLength(2);
        for (const [i, chat] of chats.entries()) {
          const info = result.apiCallInfos[i];
          expect(chat.kind).toBe(SpanKind.CLIENT);
          expect(parentOf(chat)).toBe(agent.spanContext().spanId);
          expect(chat.attributes).toMatchObject({
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': semconvName,
            'gen_ai.request.model': model,
            'gen_ai.response.model': info?.model,
            'gen_ai.response.finish_reasons': [info?.stopReason],
            'gen_ai.usage.output_tokens': info?.usage.outputTokens,
            'gen_ai.usage.cache_read.input_tokens': info?.usage.cacheReadTokens,
          });
          expect(typeof info?.id).toBe('string');
          expect(chat.attributes['gen_ai.response.id']).toBe(info?.id);
          expect(JSON.parse(String(chat.attributes['gen_ai.input.messages']))).toEqual(
            expect.arrayContaining([
              { role: 'user', parts: [{ type: 'text', content: 'What is it?' }] },
            ]),
          );
        }
        const toolSpan = only(spans, `execute_tool ${toolName}`);
        expect(parentOf(toolSpan)).toBe(agent.spanContext().spanId);
        expect(toolSpan.attributes['gen_ai.tool.call.result']).toBe('the tool’s answer');
        const histograms = await t.histograms();
        const points = histograms.get('gen_ai.client.token.usage')?.dataPoints ?? [];
        expect(points.map((p) => p.attributes['gen_ai.provider.name'])).toContain(semconvName);
        expect(JSON.stringify(spans.map((s) => s.attributes))).not.toContain(secret);
      });
    },
  );

  it('marks a streamed call with gen_ai.request.stream (Anthropic, streaming)', async () => {
    await withReplayServer([loadFixture('anthropic', 'text-stream')], async (server) => {
      const t = telemetry();
      const proc = await new LLMProgram({
        model: 'claude-sonnet-4-5',
        provider: 'anthropic',
        parameters: { max_tokens: 1024 },
        baseUrl: server.url,
      })
        .start()
        .addCallback(t.callbacks);
      const result = await proc.run('hello', { stream: true });
      await proc.close();
      const chat = only(t.spans(), 'chat claude-sonnet-4-5');
      expect(chat.attributes['gen_ai.request.stream']).toBe(true);
      expect(chat.attributes['gen_ai.response.id']).toBe(result.apiCallInfos[0]?.id);
      expect(chat.attributes['gen_ai.usage.output_tokens']).toBe(result.usage.outputTokens);
    });
  });

  it('marks a failed model call and its run with error status and type (Anthropic 401)', async () => {
    await withReplayServer(
      [loadFixture('anthropic', 'error-401-authentication')],
      async (server) => {
        const t = telemetry();
        const proc = await new LLMProgram({
          model: 'claude-sonnet-4-5',
          provider: 'anthropic',
          parameters: { max_tokens: 64 },
          baseUrl: server.url,
        })
          .start()
          .addCallback(t.callbacks);
        await expect(proc.run('hello')).rejects.toMatchObject({ status: 401 });
        // The callback only observes: the conversation stays valid (the replay has no answer left).
        await expectValidConversation(proc, { runAgain: false });
        await proc.close();
        const spans = t.spans();
        const chat = only(spans, 'chat claude-sonnet-4-5');
        const agent = spans.find((s) => s.name.startsWith('invoke_agent '));
        for (const span of [chat, agent]) {
          expect(span?.status.code).toBe(SpanStatusCode.ERROR);
          expect(span?.attributes['error.type']).toBe('PROVIDER_ERROR');
        }
        const duration = (await t.histograms()).get('gen_ai.client.operation.duration');
        expect(duration?.dataPoints[0]?.attributes['error.type']).toBe('PROVIDER_ERROR');
        expect(trace.getActiveSpan()).toBeUndefined();
      },
    );
  });
});
