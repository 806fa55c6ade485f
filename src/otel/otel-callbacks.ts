/**
 * `otelCallbacks()`: an object callback that turns llmproc's events into OpenTelemetry GenAI spans
 * and metrics. One `invoke_agent` span per run, one `chat` span per model call and one
 * `execute_tool` span per tool call under it; a child made by a tool call (fork, spawn) runs under
 * that call's span, in the same trace; a `forkProcess()` child starts its own trace, linked to the
 * parent's run. Built only from events and their EventContext, so it needs nothing from the loop.
 */
import {
  context as otelContext,
  metrics as otelMetrics,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Histogram,
  type Link,
  type MeterProvider,
  type Span,
  type SpanContext,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import type {
  ApiCallInfo,
  Callbacks,
  EventContext,
  LLMProcess,
  RunResult,
  ToolResult,
} from '../index.js';
import { inputMessages, systemInstructions, type MessagePart } from './content.js';
import { attr, metrics, operation, providerNames, tokenType } from './semconv.js';

export interface OtelCallbacksOptions {
  /** Where spans go; default the global tracer provider (`trace.setGlobalTracerProvider`). */
  tracerProvider?: TracerProvider;
  /** Where metrics go; default the global meter provider. */
  meterProvider?: MeterProvider;
  /**
   * Record prompts, responses, system instructions, tool arguments and tool results on the spans
   * (default false: they often hold personal data and secrets).
   */
  captureContent?: boolean;
}

const instrumentationName = 'llmproc';

interface ChatCall {
  span: Span;
  start: number;
  /** When the response arrived; unset while waiting for it. */
  end: number | undefined;
  /** Which of the run's model calls this is (its index in `apiCallInfos`). */
  index: number;
  baseAttributes: Attributes;
  /** The reply's text and tool calls, gathered from the events (captureContent only). */
  output: MessagePart[];
}

interface RunState {
  span: Span;
  context: Context;
  chat: ChatCall | undefined;
  calls: number;
  /** Keys of this run's tool spans still open. */
  tools: Set<string>;
}

function providerName(process: LLMProcess): string {
  return providerNames[process.provider] ?? process.provider;
}

function numberParameter(process: LLMProcess, key: string): number | undefined {
  const value = process.parameters[key];
  return typeof value === 'number' ? value : undefined;
}

function errorType(error: { name: string; code?: string } | undefined): string {
  return error?.code ?? error?.name ?? '_OTHER';
}

class OtelCallbacks implements Callbacks {
  readonly #tracer: Tracer;
  readonly #tokenUsage: Histogram;
  readonly #duration: Histogram;
  readonly #captureContent: boolean;
  readonly #runs = new Map<string, RunState>();
  /** Open tool spans by `pid:toolUseId`: the parents of the runs of children those calls make. */
  readonly #toolSpans = new Map<string, Span>();
  /** Each process's latest run span, which a `forkProcess()` child's runs link to. */
  readonly #lastRun = new WeakMap<LLMProcess, SpanContext>();

  constructor(options: OtelCallbacksOptions) {
    const tracerProvider = options.tracerProvider ?? trace.getTracerProvider();
    const meterProvider = options.meterProvider ?? otelMetrics.getMeterProvider();
    this.#tracer = tracerProvider.getTracer(instrumentationName);
    const meter = meterProvider.getMeter(instrumentationName);
    this.#tokenUsage = meter.createHistogram(metrics.tokenUsage.name, {
      unit: metrics.tokenUsage.unit,
      description: metrics.tokenUsage.description,
      advice: { explicitBucketBoundaries: [...metrics.tokenUsage.buckets] },
    });
    this.#duration = meter.createHistogram(metrics.operationDuration.name, {
      unit: metrics.operationDuration.unit,
      description: metrics.operationDuration.description,
      advice: { explicitBucketBoundaries: [...metrics.operationDuration.buckets] },
    });
    this.#captureContent = options.captureContent ?? false;
  }

  api_request(payload: Record<string, unknown>, context: EventContext): void {
    const run = this.#run(context);
    if (!run) return;
    const process = context.process;
    const model = process.model;
    const baseAttributes: Attributes = {
      [attr.operationName]: operation.chat,
      [attr.providerName]: providerName(process),
      [attr.requestModel]: model,
    };
    const attributes: Attributes = { ...baseAttributes };
    const maxTokens =
      numberParameter(process, 'max_tokens') ?? numberParameter(process, 'max_completion_tokens');
    if (maxTokens !== undefined) attributes[attr.requestMaxTokens] = maxTokens;
    const temperature = numberParameter(process, 'temperature');
    if (temperature !== undefined) attributes[attr.requestTemperature] = temperature;
    const topP = numberParameter(process, 'top_p');
    if (topP !== undefined) attributes[attr.requestTopP] = topP;
    // Every adapter's payload says `stream: true` when the call streams (even one that sends no text).
    if (payload['stream'] === true) attributes[attr.requestStream] = true;
    if (this.#captureContent) {
      attributes[attr.inputMessages] = JSON.stringify(inputMessages(process.getState()));
      const system = systemInstructions(process.systemPrompt);
      if (system.length > 0) attributes[attr.systemInstructions] = JSON.stringify(system);
    }
    const span = this.#tracer.startSpan(
      `${operation.chat} ${model}`,
      { kind: SpanKind.CLIENT, startTime: context.time, attributes },
      run.context,
    );
    run.chat = {
      span,
      start: context.time,
      end: undefined,
      index: run.calls++,
      baseAttributes,
      output: [],
    };
  }

  api_response(_response: unknown, context: EventContext): void {
    const chat = this.#runs.get(context.runId ?? '')?.chat;
    if (chat) chat.end = context.time;
  }

  response(text: string, context: EventContext): void {
    if (!this.#captureContent) return;
    this.#runs.get(context.runId ?? '')?.chat?.output.push({ type: 'text', content: text });
  }

  tool_start(toolName: string, toolArgs: Record<string, unknown>, context: EventContext): void {
    const run = this.#run(context);
    const toolUseId = context.toolUseId;
    if (!run || toolUseId === undefined) return;
    const attributes: Attributes = {
      [attr.operationName]: operation.executeTool,
      [attr.toolName]: toolName,
      [attr.toolCallId]: toolUseId,
      [attr.toolType]: 'function',
    };
    if (this.#captureContent) {
      attributes[attr.toolCallArguments] = JSON.stringify(toolArgs);
      run.chat?.output.push({
        type: 'tool_call',
        id: toolUseId,
        name: toolName,
        arguments: toolArgs,
      });
    }
    const span = this.#tracer.startSpan(
      `${operation.executeTool} ${toolName}`,
      { kind: SpanKind.INTERNAL, startTime: context.time, attributes },
      run.context,
    );
    const key = `${String(context.pid)}:${toolUseId}`;
    this.#toolSpans.set(key, span);
    run.tools.add(key);
  }

  tool_end(_toolName: string, result: ToolResult, context: EventContext): void {
    const key = `${String(context.pid)}:${context.toolUseId ?? ''}`;
    const span = this.#toolSpans.get(key);
    if (!span) return;
    if (this.#captureContent) span.setAttribute(attr.toolCallResult, result.contentText());
    if (result.isError) {
      span.setAttribute(attr.errorType, 'tool_error');
      span.setStatus({ code: SpanStatusCode.ERROR, message: result.contentText() });
    }
    span.end(context.time);
    this.#toolSpans.delete(key);
    this.#runs.get(context.runId ?? '')?.tools.delete(key);
  }

  turn_end(
    process: LLMProcess,
    _response: unknown,
    _toolResults: unknown,
    context: EventContext,
  ): void {
    const run = this.#runs.get(context.runId ?? '');
    const result = process.currentRun;
    if (run && result) this.#finishChat(run, result, context.time);
  }

  run_end(result: RunResult, context: EventContext): void {
    const run = this.#run(context, result.startTime);
    if (!run) return;
    this.#finishChat(run, result, context.time);
    for (const key of run.tools) {
      const span = this.#toolSpans.get(key);
      span?.setAttribute(attr.errorType, errorType(result.error));
      span?.setStatus({
        code: SpanStatusCode.ERROR,
        message: 'the run ended during the tool call',
      });
      span?.end(context.time);
      this.#toolSpans.delete(key);
    }
    const usage = result.usage;
    run.span.setAttributes({
      [attr.usageInputTokens]: usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens,
      [attr.usageOutputTokens]: usage.outputTokens,
      [attr.usageCacheReadInputTokens]: usage.cacheReadTokens,
      [attr.usageCacheCreationInputTokens]: usage.cacheWriteTokens,
    });
    const lastModel = result.apiCallInfos.at(-1)?.model;
    if (lastModel !== undefined) run.span.setAttribute(attr.responseModel, lastModel);
    if (result.error) {
      run.span.setAttribute(attr.errorType, errorType(result.error));
      run.span.setStatus({ code: SpanStatusCode.ERROR, message: result.error.message });
    }
    if (this.#captureContent && result.lastMessage !== '') {
      run.span.setAttribute(
        attr.outputMessages,
        JSON.stringify([
          { role: 'assistant', parts: [{ type: 'text', content: result.lastMessage }] },
        ]),
      );
    }
    run.span.end(context.time);
    this.#lastRun.set(context.process, run.span.spanContext());
    this.#runs.delete(result.runId);
  }

  /** The state of the event's run, its `invoke_agent` span started at the run's first event. */
  #run(context: EventContext, startTime: number = context.time): RunState | undefined {
    const runId = context.runId;
    if (runId === undefined) return undefined;
    let run = this.#runs.get(runId);
    if (run) return run;
    const process = context.process;
    const links: Link[] = [];
    let parent = otelContext.active();
    const parentTool =
      context.parentToolUseId === undefined
        ? undefined
        : this.#toolSpans.get(`${String(context.parentPid)}:${context.parentToolUseId}`);
    if (parentTool) {
      parent = trace.setSpan(parent, parentTool);
    } else if (process.parent) {
      // A forkProcess() child: its own trace, linked to the run it was forked from.
      parent = trace.deleteSpan(parent);
      const forkedFrom = this.#lastRun.get(process.parent);
      if (forkedFrom) links.push({ context: forkedFrom });
    }
    const span = this.#tracer.startSpan(
      `${operation.invokeAgent} ${process.displayName}`,
      {
        kind: SpanKind.INTERNAL,
        startTime,
        links,
        attributes: {
          [attr.operationName]: operation.invokeAgent,
          [attr.providerName]: providerName(process),
          [attr.agentName]: process.displayName,
          [attr.requestModel]: process.model,
        },
      },
      parent,
    );
    // A run in progress is what a forkProcess() child made during it links to.
    this.#lastRun.set(process, span.spanContext());
    run = {
      span,
      context: trace.setSpan(parent, span),
      chat: undefined,
      calls: 0,
      tools: new Set(),
    };
    this.#runs.set(runId, run);
    return run;
  }

  /** End the pending chat span with what the run recorded of that call, or as failed. */
  #finishChat(run: RunState, result: RunResult, now: number): void {
    const chat = run.chat;
    if (!chat) return;
    run.chat = undefined;
    const info: ApiCallInfo | undefined = result.apiCallInfos[chat.index];
    const { span } = chat;
    const metricAttributes: Attributes = { ...chat.baseAttributes };
    if (info) {
      const u = info.usage;
      const input = u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens;
      span.setAttributes({
        [attr.responseModel]: info.model,
        [attr.usageInputTokens]: input,
        [attr.usageOutputTokens]: u.outputTokens,
        [attr.usageCacheReadInputTokens]: u.cacheReadTokens,
        [attr.usageCacheCreationInputTokens]: u.cacheWriteTokens,
      });
      if (u.reasoningTokens > 0)
        span.setAttribute(attr.usageReasoningOutputTokens, u.reasoningTokens);
      if (info.id !== null) span.setAttribute(attr.responseId, info.id);
      if (info.stopReason !== null)
        span.setAttribute(attr.responseFinishReasons, [info.stopReason]);
      if (this.#captureContent) {
        span.setAttribute(
          attr.outputMessages,
          JSON.stringify([
            { role: 'assistant', parts: chat.output, finish_reason: info.stopReason ?? 'stop' },
          ]),
        );
      }
      metricAttributes[attr.responseModel] = info.model;
      this.#tokenUsage.record(input, { ...metricAttributes, [attr.tokenType]: tokenType.input });
      this.#tokenUsage.record(u.outputTokens, {
        ...metricAttributes,
        [attr.tokenType]: tokenType.output,
      });
    } else {
      // No response: the call failed (or the run was aborted while waiting for it).
      const type = errorType(result.error);
      span.setAttribute(attr.errorType, type);
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: result.error?.message ?? 'no response',
      });
      metricAttributes[attr.errorType] = type;
    }
    const end = chat.end ?? now;
    this.#duration.record(Math.max(0, end - chat.start) / 1000, metricAttributes);
    span.end(end);
  }
}

/**
 * An object callback that reports runs as OpenTelemetry GenAI spans and metrics. Register it on the
 * root process; children inherit it like any callback.
 *
 * @example
 * ```ts
 * import { otelCallbacks } from 'llmproc/otel';
 * proc.addCallback(otelCallbacks({ captureContent: false }));
 * ```
 */
export function otelCallbacks(options: OtelCallbacksOptions = {}): Callbacks {
  return new OtelCallbacks(options);
}
