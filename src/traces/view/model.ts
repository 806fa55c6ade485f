/**
 * What the trace view shows, computed from a trace in Node so the page only draws it: the process
 * tree, each process's turns with its model call, texts, tool calls (arguments and results as text),
 * errors, usage and cost, and every span as milliseconds from the start of the trace. A pure
 * function of the trace: no I/O, no provider code (usage and cost come from each run's `run_end`).
 */
import type { TraceEvent } from '../format.js';
import { isJsonObject, type JsonValue } from '../json-safe.js';
import type { Trace } from '../read.js';

/** Tokens as the view totals them. */
export interface ViewUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface ViewTool {
  /** The model's id of the call (`toolUseId`), '' when the trace has none. */
  id: string;
  name: string;
  /** Arguments as pretty JSON and the result as text, shown when the call is expanded. */
  args: string;
  result: string;
  isError: boolean;
  startMs: number;
  /** null while the call had not ended when the trace stops. */
  durationMs: number | null;
  /** Processes this call started (fork, spawn). */
  childPids: number[];
}

export interface ViewTurn {
  /** The process's turn, from 1, counted over all its runs. */
  turn: number;
  /** The input given to `run()`, on the first turn of each run of a top-level process. */
  input: string | null;
  startMs: number;
  endMs: number;
  /** The model call: when it started and how long it took (null when it never answered). */
  modelStartMs: number | null;
  modelMs: number | null;
  texts: string[];
  tools: ViewTool[];
  usage: ViewUsage | null;
  costUsd: number | null;
  stopReason: string | null;
  /** Set when the model call failed or the run ended in this turn with an error. */
  error: string | null;
}

export interface ViewProcess {
  pid: number;
  parentPid: number | null;
  name: string;
  model: string;
  provider: string;
  startMs: number;
  endMs: number;
  turns: ViewTurn[];
  /** Failed or aborted runs, and callbacks that threw, as one line each. */
  errors: string[];
}

export interface ViewModel {
  file: string;
  startTime: string;
  llmprocVersion: string;
  durationMs: number;
  processes: ViewProcess[];
  totals: {
    turns: number;
    toolCalls: number;
    /** Failed tool calls, failed model calls and failed runs. */
    errors: number;
    usage: ViewUsage;
    /** null when no call had a price. */
    costUsd: number | null;
  };
}

/** Longest text kept for one argument list, result or response: a view, not a copy of the trace. */
export const maxViewTextChars = 20_000;

function clip(text: string): string {
  if (text.length <= maxViewTextChars) return text;
  const more = text.length - maxViewTextChars;
  return `${text.slice(0, maxViewTextChars)}\n… (${String(more)} more characters in the trace)`;
}

function asText(value: JsonValue | undefined): string {
  if (value === undefined) return '';
  return clip(typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}

function record(value: JsonValue | undefined): Record<string, JsonValue> {
  return isJsonObject(value) ? value : {};
}

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function count(value: JsonValue | undefined): number {
  return typeof value === 'number' ? value : 0;
}

function usageOf(value: JsonValue | undefined): ViewUsage {
  const usage = record(value);
  return {
    inputTokens: count(usage['inputTokens']),
    outputTokens: count(usage['outputTokens']),
    cacheReadTokens: count(usage['cacheReadTokens']),
    cacheWriteTokens: count(usage['cacheWriteTokens']),
  };
}

function addUsage(total: ViewUsage, usage: ViewUsage): void {
  total.inputTokens += usage.inputTokens;
  total.outputTokens += usage.outputTokens;
  total.cacheReadTokens += usage.cacheReadTokens;
  total.cacheWriteTokens += usage.cacheWriteTokens;
}

/** The message of a recorded error (`{ $error: { message } }`, a RunError, or a string). */
function errorText(value: JsonValue | undefined): string {
  const inner = record(value)['$error'] ?? value;
  return text(record(inner)['message']) ?? text(inner) ?? asText(inner);
}

/** One process's state while its events are read. */
interface Builder {
  view: ViewProcess;
  /** Tool calls not yet ended, by toolUseId ('' for a trace without ids: first in, first out). */
  open: Map<string, ViewTool[]>;
  /** Turns whose model call answered, in order, waiting for their run's `run_end` figures. */
  answered: ViewTurn[];
}

function newTurn(number: number, at: number, input: string | null): ViewTurn {
  return {
    turn: number,
    input,
    startMs: at,
    endMs: at,
    modelStartMs: null,
    modelMs: null,
    texts: [],
    tools: [],
    usage: null,
    costUsd: null,
    stopReason: null,
    error: null,
  };
}

/** Usage, cost and stop reason of the run's model calls, from `run_end`, onto its answered turns. */
function settleRun(builder: Builder, result: Record<string, JsonValue>): void {
  const infos = Array.isArray(result['apiCallInfos']) ? result['apiCallInfos'] : [];
  const turns = builder.answered.splice(0);
  // Should the run list fewer calls than were answered, its calls are the last ones.
  const offset = Math.max(0, turns.length - infos.length);
  infos.forEach((info, index) => {
    const turn = turns[offset + index];
    if (!turn) return;
    const fields = record(info);
    turn.usage = usageOf(fields['usage']);
    turn.costUsd = typeof fields['costUsd'] === 'number' ? fields['costUsd'] : null;
    turn.stopReason = text(fields['stopReason']) ?? turn.stopReason;
  });
}

function readEvent(
  builder: Builder,
  event: TraceEvent,
  at: number,
  tools: Map<string, ViewTool>,
  inputs: Map<number, string>,
): void {
  const { view } = builder;
  let turn = view.turns.at(-1);
  switch (event.name) {
    case 'turn_start':
      view.turns.push((turn = newTurn(view.turns.length + 1, at, inputs.get(event.seq) ?? null)));
      break;
    case 'api_request':
      if (turn) turn.modelStartMs = at;
      break;
    case 'api_response':
      if (turn && turn.modelStartMs !== null) {
        turn.modelMs = at - turn.modelStartMs;
        builder.answered.push(turn);
      }
      break;
    case 'response':
      turn?.texts.push(asText(event.args[0]));
      break;
    case 'tool_start': {
      if (!turn) break;
      const id = text(event['toolUseId']) ?? '';
      const tool: ViewTool = {
        id,
        name: text(event.args[0]) ?? '?',
        args: asText(event.args[1] ?? {}),
        result: '',
        isError: false,
        startMs: at,
        durationMs: null,
        childPids: [],
      };
      turn.tools.push(tool);
      if (id !== '') tools.set(id, tool);
      const waiting = builder.open.get(id) ?? [];
      builder.open.set(id, [...waiting, tool]);
      break;
    }
    case 'tool_end': {
      const id = text(event['toolUseId']) ?? '';
      const tool = builder.open.get(id)?.shift();
      if (!tool) break;
      const result = record(event.args[1]);
      tool.result = asText(result['content'] ?? event.args[1]);
      tool.isError = result['isError'] === true;
      tool.durationMs = at - tool.startMs;
      break;
    }
    case 'run_end': {
      const result = record(event.args[0]);
      const status = text(result['status']);
      if (status === 'error' || status === 'aborted') {
        const message = `Run ${status}: ${errorText(result['error'])}`;
        view.errors.push(message);
        if (turn && turn.modelMs === null) turn.error = message;
      }
      settleRun(builder, result);
      break;
    }
    case 'callback_error':
      view.errors.push(
        `A callback failed on ${text(event.args[0]) ?? '?'}: ${errorText(event.args[1])}`,
      );
      break;
    default:
      break;
  }
  if (turn) turn.endMs = Math.max(turn.endMs, at);
}

/** Build the view of a trace. */
export function buildViewModel(trace: Trace): ViewModel {
  const headerTime = Date.parse(trace.header.startTime);
  const origin = Math.min(
    Number.isNaN(headerTime) ? Number.POSITIVE_INFINITY : headerTime,
    trace.events[0]?.time ?? 0,
  );
  const at = (time: number): number => Math.max(0, time - origin);
  const builders = new Map<number, Builder>();
  for (const line of trace.processes.values()) {
    builders.set(line.pid, {
      view: {
        pid: line.pid,
        parentPid: line.parentPid ?? null,
        name: line.displayName,
        model: line.model,
        provider: line.provider,
        startMs: Number.POSITIVE_INFINITY,
        endMs: 0,
        turns: [],
        errors: [],
      },
      open: new Map(),
      answered: [],
    });
  }
  const tools = new Map<string, ViewTool>();
  // An input line names the seq of the turn_start it precedes.
  const inputs = new Map(trace.inputs.map((input) => [input.seq, asText(input.content)]));
  const parentCalls = new Map<number, string>();
  for (const event of trace.events) {
    const builder = builders.get(event.pid);
    if (!builder) continue;
    const time = at(event.time);
    builder.view.startMs = Math.min(builder.view.startMs, time);
    builder.view.endMs = Math.max(builder.view.endMs, time);
    const parentCall = text(event['parentToolUseId']);
    if (parentCall !== undefined && !parentCalls.has(event.pid))
      parentCalls.set(event.pid, parentCall);
    readEvent(builder, event, time, tools, inputs);
  }
  // Children hang under the tool call that made them (the parentToolUseId of their events).
  for (const [pid, id] of parentCalls) tools.get(id)?.childPids.push(pid);

  const processes = [...builders.values()].map((builder) => builder.view);
  const totals: ViewModel['totals'] = {
    turns: 0,
    toolCalls: 0,
    errors: 0,
    usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
    costUsd: null,
  };
  for (const proc of processes) {
    if (proc.startMs === Number.POSITIVE_INFINITY) proc.startMs = 0;
    for (const turn of proc.turns) {
      totals.turns++;
      totals.toolCalls += turn.tools.length;
      totals.errors += turn.tools.filter((tool) => tool.isError).length;
      if (turn.usage) addUsage(totals.usage, turn.usage);
      if (turn.costUsd !== null) totals.costUsd = (totals.costUsd ?? 0) + turn.costUsd;
    }
    totals.errors += proc.errors.length;
  }
  return {
    file: trace.file,
    startTime: trace.header.startTime,
    llmprocVersion: trace.header.llmprocVersion,
    durationMs: Math.max(0, ...processes.map((proc) => proc.endMs)),
    processes,
    totals,
  };
}
