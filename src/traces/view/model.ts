/**
 * What the trace view shows, computed from a trace in Node so the page only draws it: the process
 * tree, each process's turns with the model call, texts, tool calls (arguments and results as
 * text), errors, usage and cost, and every span as offsets from the start of the trace.
 */
import type { Usage } from '../../conversation/usage.js';
import { errorMessage } from '../../errors.js';
import type { TraceEvent } from '../format.js';
import type { JsonValue } from '../json-safe.js';
import type { Trace } from '../read.js';
import { codecFor, type ReplayCodec } from '../replay/codecs.js';

export interface ViewTool {
  name: string;
  /** Arguments and result as pretty JSON / text, shown when the call is expanded. */
  args: string;
  result: string;
  isError: boolean;
  startMs: number;
  durationMs: number | null;
  /** Processes this call started (fork, spawn). */
  childPids: number[];
}

export interface ViewTurn {
  turn: number;
  startMs: number;
  endMs: number;
  /** The model call: when it started and how long it took (null when it failed or never ended). */
  modelStartMs: number | null;
  modelMs: number | null;
  texts: string[];
  tools: ViewTool[];
  usage: Usage | null;
  costUsd: number | null;
  stopReason: string | null;
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
  /** A failed run's error (from `run_end`), shown highlighted. */
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
    errors: number;
    usage: Usage;
    /** null when no call had a price. */
    costUsd: number | null;
  };
}

function pretty(value: JsonValue | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

function record(value: JsonValue | undefined): Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

function addUsage(total: Usage, usage: Usage): void {
  total.inputTokens += usage.inputTokens;
  total.outputTokens += usage.outputTokens;
  total.cacheReadTokens += usage.cacheReadTokens;
  total.cacheWriteTokens += usage.cacheWriteTokens;
  total.reasoningTokens += usage.reasoningTokens;
}

/** Build the view of a trace. */
export async function buildViewModel(trace: Trace): Promise<ViewModel> {
  const origin = Date.parse(trace.header.startTime);
  const firstTime = trace.events[0]?.time ?? origin;
  const start = Math.min(origin, firstTime);
  const at = (time: number): number => Math.max(0, time - start);
  const codecs = new Map<string, ReplayCodec | null>();
  for (const p of trace.processes.values()) {
    if (!codecs.has(p.provider))
      codecs.set(p.provider, await codecFor(p.provider, p.model).catch(() => null));
  }
  const bySeq = new Map<number, TraceEvent>(trace.events.map((event) => [event.seq, event]));
  const exchangeByRequest = new Map(trace.exchanges.map((e) => [e.requestSeq, e]));
  const processes = new Map<number, ViewProcess>();
  for (const line of trace.processes.values()) {
    processes.set(line.pid, {
      pid: line.pid,
      parentPid: line.parentPid ?? null,
      name: line.displayName,
      model: line.model,
      provider: line.provider,
      startMs: Number.POSITIVE_INFINITY,
      endMs: 0,
      turns: [],
      errors: [],
    });
  }
  const openTools = new Map<number, ViewTool[]>();
  const costs = new Map<number, (number | null)[]>();
  for (const event of trace.events) {
    const proc = processes.get(event.pid);
    if (!proc) continue;
    const time = at(event.time);
    proc.startMs = Math.min(proc.startMs, time);
    proc.endMs = Math.max(proc.endMs, time);
    let turn = proc.turns.at(-1);
    switch (event.name) {
      case 'turn_start':
        proc.turns.push({
          turn: proc.turns.length + 1,
          startMs: time,
          endMs: time,
          modelStartMs: null,
          modelMs: null,
          texts: [],
          tools: [],
          usage: null,
          costUsd: null,
          stopReason: null,
        });
        break;
      case 'api_request': {
        const exchange = exchangeByRequest.get(event.seq);
        if (!turn) break;
        turn.modelStartMs = time;
        if (exchange) {
          turn.modelMs = exchange.durationMs;
          const response = bySeq.get(exchange.responseSeq)?.args[0] ?? null;
          const codec = codecs.get(exchange.provider);
          try {
            const parsed = codec?.fromRaw(response, record(event.args[0] ?? null));
            if (parsed) {
              turn.usage = parsed.usage;
              turn.stopReason = parsed.stopReason;
            }
          } catch {
            // a response the mapper cannot read: the turn is shown without usage
          }
        }
        break;
      }
      case 'response':
        turn?.texts.push(typeof event.args[0] === 'string' ? event.args[0] : pretty(event.args[0]));
        break;
      case 'tool_start': {
        if (!turn) break;
        const tool: ViewTool = {
          name: typeof event.args[0] === 'string' ? event.args[0] : '?',
          args: pretty(event.args[1] ?? {}),
          result: '',
          isError: false,
          startMs: time,
          durationMs: null,
          childPids: [],
        };
        turn.tools.push(tool);
        let open = openTools.get(event.pid);
        if (!open) openTools.set(event.pid, (open = []));
        open.push(tool);
        break;
      }
      case 'tool_end': {
        const tool = openTools.get(event.pid)?.shift();
        if (!tool) break;
        const result = record(event.args[1]);
        tool.result = pretty(result['content'] ?? event.args[1]);
        tool.isError = result['isError'] === true;
        tool.durationMs = time - tool.startMs;
        break;
      }
      case 'run_end': {
        const result = record(event.args[0]);
        const error = record(result['error']);
        if (result['status'] === 'error' || result['status'] === 'aborted') {
          proc.errors.push(
            `Run ${result['status']}: ${typeof error['message'] === 'string' ? error['message'] : errorMessage(result['error'])}`,
          );
        }
        const infos = Array.isArray(result['apiCallInfos']) ? result['apiCallInfos'] : [];
        let list = costs.get(event.pid);
        if (!list) costs.set(event.pid, (list = []));
        for (const info of infos) {
          const cost = record(info)['costUsd'];
          list.push(typeof cost === 'number' ? cost : null);
        }
        break;
      }
      default:
        break;
    }
    turn = proc.turns.at(-1);
    if (turn) turn.endMs = Math.max(turn.endMs, time);
  }
  // Children hang under the tool call that made them: the call whose span holds their start.
  for (const proc of processes.values()) {
    if (proc.parentPid === null) continue;
    const parent = processes.get(proc.parentPid);
    const call = parent?.turns
      .flatMap((turn) => turn.tools)
      .find(
        (tool) =>
          tool.startMs <= proc.startMs &&
          (tool.durationMs === null || proc.startMs <= tool.startMs + tool.durationMs),
      );
    call?.childPids.push(proc.pid);
  }
  const totals: ViewModel['totals'] = {
    turns: 0,
    toolCalls: 0,
    errors: 0,
    usage: {
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    },
    costUsd: null,
  };
  for (const proc of processes.values()) {
    if (proc.startMs === Number.POSITIVE_INFINITY) proc.startMs = 0;
    const priced = costs.get(proc.pid) ?? [];
    const modelTurns = proc.turns.filter((turn) => turn.modelMs !== null);
    modelTurns.forEach((turn, index) => {
      turn.costUsd = priced[index] ?? null;
    });
    for (const turn of proc.turns) {
      totals.turns++;
      totals.toolCalls += turn.tools.length;
      totals.errors += turn.tools.filter((tool) => tool.isError).length;
      if (turn.usage) addUsage(totals.usage, turn.usage);
      if (turn.costUsd !== null) totals.costUsd = (totals.costUsd ?? 0) + turn.costUsd;
    }
    totals.errors += proc.errors.length;
  }
  const durationMs = Math.max(0, ...[...processes.values()].map((p) => p.endMs));
  return {
    file: trace.file,
    startTime: trace.header.startTime,
    llmprocVersion: trace.header.llmprocVersion,
    durationMs,
    processes: [...processes.values()],
    totals,
  };
}
