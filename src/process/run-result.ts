import { emptyUsage, type Usage } from '../conversation/usage.js';

/** One model call of a run. `request` and `response` are the objects the callbacks saw. */
export interface ApiCallInfo {
  model: string;
  id: string | null;
  stopReason: string | null;
  usage: Usage;
  request: Record<string, unknown>;
  response: unknown;
}

export interface ToolCallRecord {
  toolName: string;
  args: Record<string, unknown>;
}

/** JSON form of a RunResult: the figures, without the raw request and response objects. */
export interface RunResultJSON {
  lastMessage: string;
  apiCalls: number;
  apiCallInfos: Omit<ApiCallInfo, 'request' | 'response'>[];
  toolCalls: ToolCallRecord[];
  usage: Usage & { totalTokens: number };
  durationMs: number;
  stopReason: string | null;
  startTime: number;
  endTime: number | null;
}

/** What one `run()` did: its model calls, tool calls, token usage, time and why it stopped. */
export class RunResult {
  lastMessage = '';
  readonly apiCallInfos: ApiCallInfo[] = [];
  readonly toolCalls: ToolCallRecord[] = [];
  readonly usage: Usage = emptyUsage();
  /** The provider's stop reason of the last call (`end_turn`, `tool_use`, ...) or `max_iterations`. */
  stopReason: string | null = null;
  /** Milliseconds since the epoch. */
  readonly startTime: number = Date.now();
  endTime: number | null = null;
  private readonly startedAt = performance.now();
  private finishedAt: number | null = null;

  get apiCalls(): number {
    return this.apiCallInfos.length;
  }

  get totalTokens(): number {
    return this.usage.inputTokens + this.usage.outputTokens;
  }

  /** Whole milliseconds from start to finish (or to now while the run goes on). */
  get durationMs(): number {
    return Math.round((this.finishedAt ?? performance.now()) - this.startedAt);
  }

  /** @internal */
  addApiCall(info: ApiCallInfo): void {
    this.apiCallInfos.push(info);
    const u = info.usage;
    this.usage.inputTokens += u.inputTokens;
    this.usage.outputTokens += u.outputTokens;
    this.usage.cacheReadTokens += u.cacheReadTokens;
    this.usage.cacheWriteTokens += u.cacheWriteTokens;
    this.usage.reasoningTokens += u.reasoningTokens;
  }

  /** @internal */
  addToolCall(toolName: string, args: Record<string, unknown>): void {
    this.toolCalls.push({ toolName, args });
  }

  /** @internal */
  finish(lastMessage: string): void {
    this.lastMessage = lastMessage;
    this.finishedAt = performance.now();
    this.endTime = Date.now();
  }

  toJSON(): RunResultJSON {
    return {
      lastMessage: this.lastMessage,
      apiCalls: this.apiCalls,
      apiCallInfos: this.apiCallInfos.map(({ model, id, stopReason, usage }) => ({
        model,
        id,
        stopReason,
        usage,
      })),
      toolCalls: this.toolCalls,
      usage: { ...this.usage, totalTokens: this.totalTokens },
      durationMs: this.durationMs,
      stopReason: this.stopReason,
      startTime: this.startTime,
      endTime: this.endTime,
    };
  }

  toString(): string {
    const state = this.endTime === null ? 'in progress' : 'complete';
    return `RunResult(${state}, apiCalls=${String(this.apiCalls)}, toolCalls=${String(this.toolCalls.length)}, inputTokens=${String(this.usage.inputTokens)}, outputTokens=${String(this.usage.outputTokens)}, duration=${String(this.durationMs)}ms)`;
  }
}
