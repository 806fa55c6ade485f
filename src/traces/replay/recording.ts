/**
 * A trace arranged for replay: per recorded process, its model calls in order (request as sent,
 * response as received, the text deltas streamed in between) and the tool calls each reply led to.
 */
import { LlmprocError } from '../../errors.js';
import type { TraceEvent, TraceProcess, TraceRunOptions } from '../format.js';
import type { JsonValue } from '../json-safe.js';
import type { Trace } from '../read.js';

export interface RecordedToolCall {
  name: string;
  args: JsonValue;
  /** The `tool_end` result: `{ content, isError, abortExecution }`. */
  result: JsonValue;
}

export interface RecordedExchange {
  turn: number;
  request: JsonValue;
  response: JsonValue;
  deltas: string[];
  /** The process's tool calls after this reply, in the order they ran. */
  toolCalls: RecordedToolCall[];
}

export interface RecordedProcess {
  pid: number;
  parentPid: number | undefined;
  line: TraceProcess;
  exchanges: RecordedExchange[];
}

export interface Recording {
  file: string;
  /** In the order the processes appeared; the first is the recorded top-level process. */
  processes: RecordedProcess[];
  /** The options of each run of the top-level process, in order (absent in older traces). */
  runOptions: (TraceRunOptions | undefined)[];
}

function firstArg(event: TraceEvent | undefined): JsonValue {
  return event?.args[0] ?? null;
}

/** Arrange a trace for replay; a trace without model exchanges cannot be replayed and says so. */
export function recordingOf(trace: Trace): Recording {
  if (trace.exchanges.length === 0) {
    throw new LlmprocError(
      'TRACE_NOT_REPLAYABLE',
      `${trace.file} has no model exchanges (no "exchange" lines), so there is nothing to replay; ` +
        'record the run with recordTo() or --record to get them',
      { details: { file: trace.file } },
    );
  }
  const bySeq = new Map<number, TraceEvent>();
  const eventsByPid = new Map<number, TraceEvent[]>();
  for (const event of trace.events) {
    bySeq.set(event.seq, event);
    let list = eventsByPid.get(event.pid);
    if (!list) eventsByPid.set(event.pid, (list = []));
    list.push(event);
  }
  const processes: RecordedProcess[] = [];
  for (const line of trace.processes.values()) {
    const events = eventsByPid.get(line.pid) ?? [];
    const exchanges = trace.exchanges
      .filter((exchange) => exchange.pid === line.pid)
      .map((exchange): RecordedExchange => {
        const request = bySeq.get(exchange.requestSeq);
        const response = bySeq.get(exchange.responseSeq);
        if (request?.name !== 'api_request' || response?.name !== 'api_response') {
          throw new LlmprocError(
            'TRACE_INVALID',
            `${trace.file}: the exchange of process ${String(line.pid)}, turn ${String(exchange.turn)} points at events ${String(exchange.requestSeq)} and ${String(exchange.responseSeq)}, which are not its api_request and api_response`,
            { details: { file: trace.file, pid: line.pid, turn: exchange.turn } },
          );
        }
        return {
          turn: exchange.turn,
          request: firstArg(request),
          response: firstArg(response),
          deltas: events
            .filter(
              (event) =>
                event.name === 'text_delta' &&
                event.seq > exchange.requestSeq &&
                event.seq < exchange.responseSeq,
            )
            .map((event) => (typeof event.args[0] === 'string' ? event.args[0] : '')),
          toolCalls: [],
        };
      });
    attachToolCalls(events, exchanges, trace);
    processes.push({ pid: line.pid, parentPid: line.parentPid, line, exchanges });
  }
  const rootPid = processes[0]?.pid;
  const runOptions = trace.inputs
    .filter((input) => input.pid === rootPid)
    .map((input) => input.options);
  return { file: trace.file, processes, runOptions };
}

/** Each tool_start ... tool_end pair of a process belongs to the latest reply before it. */
function attachToolCalls(events: TraceEvent[], exchanges: RecordedExchange[], trace: Trace): void {
  const responseSeqs = trace.exchanges
    .filter((exchange) => exchange.pid === events[0]?.pid)
    .map((exchange) => exchange.responseSeq);
  let current = -1;
  let started: TraceEvent | undefined;
  for (const event of events) {
    while (current + 1 < responseSeqs.length && (responseSeqs[current + 1] ?? 0) <= event.seq)
      current++;
    if (event.name === 'tool_start') started = event;
    if (event.name !== 'tool_end' || current < 0) continue;
    exchanges[current]?.toolCalls.push({
      name: typeof event.args[0] === 'string' ? event.args[0] : '',
      args: started?.args[1] ?? {},
      result: event.args[1] ?? null,
    });
    started = undefined;
  }
}
