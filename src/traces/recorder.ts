/**
 * `recordTo(pathOrStream)`: an object callback that writes a run as a trace (format.ts). Lines are
 * made JSON at the moment of the event (arguments may change later), collected, and written in one
 * go at each model call, each turn's end, on the next tick and when Node exits: the run never waits
 * for the disk, and a run that crashes loses no line. A failed write is reported once, through the
 * logger and `onError`, never thrown into the run.
 */
import fs from 'node:fs';
import type { Writable } from 'node:stream';
import { CallbackEvent, type Callbacks, type EventContext } from '../callbacks/events.js';
import { LlmprocError, errorMessage } from '../errors.js';
import { getLogger } from '../internal/logger.js';
import { llmprocVersion } from '../internal/version.js';
import type { LLMProcess } from '../process/process.js';
import { programOf, type RecordedProgram } from '../program/process-programs.js';
import { portablePaths } from './config-paths.js';
import { redactConfig } from './redact-config.js';
import { toTraceRunOptions } from './run-options.js';
import { toJsonSafe, type JsonValue } from './json-safe.js';
import {
  traceFormatName,
  traceFormatVersion,
  type TraceEvent,
  type TraceExchange,
  type TraceHeader,
  type TraceInput,
  type TraceLine,
  type TraceProcess,
} from './format.js';

export interface RecordOptions {
  /** Called once, with the first write error; later lines are dropped. */
  onError?: (error: Error) => void;
}

/** Context fields written under their own names; everything else the context holds is copied. */
const baseContextFields = new Set(['pid', 'parentPid', 'seq', 'time', 'process']);

const openRecorders = new Set<TraceRecorder>();
let exitHookInstalled = false;

function flushAllOnExit(): void {
  for (const recorder of openRecorders) recorder.flush();
}

type Sink = { kind: 'file'; fd: number; path: string } | { kind: 'stream'; stream: Writable };

/**
 * The recorder `recordTo` returns. Add it with `addCallback`; children inherit it like any callback,
 * so their events land in the same trace in `seq` order. `close()` writes what is left and closes a
 * file it opened (a stream passed in is left open).
 */
export class TraceRecorder implements Callbacks {
  /** The file written, when recording to a path. */
  readonly path: string | undefined;
  readonly #sink: Sink;
  readonly #onError: ((error: Error) => void) | undefined;
  #buffer: string[] = [];
  #scheduled: NodeJS.Immediate | undefined;
  #failed = false;
  #closed = false;
  #headerWritten = false;
  #lineCount = 0;
  readonly #programKeys = new Map<RecordedProgram, string>();
  readonly #knownPids = new Set<number>();
  readonly #turns = new Map<number, number>();
  readonly #pendingRequests = new Map<number, { seq: number; time: number }>();

  constructor(target: string | Writable, options: RecordOptions = {}) {
    this.#onError = options.onError;
    if (typeof target === 'string') {
      let fd: number;
      try {
        fd = fs.openSync(target, 'w');
      } catch (cause) {
        throw new LlmprocError(
          'TRACE_WRITE_FAILED',
          `Cannot record a trace to ${target}: ${errorMessage(cause)}`,
          { cause },
        );
      }
      this.#sink = { kind: 'file', fd, path: target };
      this.path = target;
    } else {
      this.#sink = { kind: 'stream', stream: target };
      this.path = undefined;
      target.on('error', (error: Error) => {
        this.#fail(error);
      });
    }
    // Every event gets a method, also events added to CallbackEvent later (run_end, ...): the
    // recorder writes each one generically by name.
    for (const name of Object.values(CallbackEvent) as string[]) {
      if (name in this) continue;
      Object.defineProperty(this, name, {
        value: (...params: unknown[]) => {
          this.#onEvent(name, params);
        },
      });
    }
    openRecorders.add(this);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', flushAllOnExit);
    }
  }

  /** Lines written or waiting to be written so far. */
  get lineCount(): number {
    return this.#lineCount;
  }

  api_request(payload: Record<string, unknown>, context: EventContext): void {
    this.#onEvent('api_request', [payload, context]);
    // The model call may take long, or never return: what happened so far reaches the disk first.
    this.flush();
  }

  turn_end(...params: [LLMProcess, unknown, unknown, EventContext]): void {
    this.#onEvent('turn_end', params);
    this.flush();
  }

  /** Write the lines collected so far (synchronously for a file). */
  flush(): void {
    if (this.#scheduled) {
      clearImmediate(this.#scheduled);
      this.#scheduled = undefined;
    }
    if (this.#buffer.length === 0) return;
    const text = this.#buffer.join('');
    this.#buffer = [];
    if (this.#failed) return;
    try {
      if (this.#sink.kind === 'file') fs.writeSync(this.#sink.fd, text);
      else this.#sink.stream.write(text);
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Flush and stop recording; closes the file when the recorder opened it. Safe to call twice. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.flush();
    this.#closed = true;
    openRecorders.delete(this);
    if (this.#sink.kind === 'file') {
      try {
        fs.closeSync(this.#sink.fd);
      } catch (error) {
        this.#fail(error);
      }
    }
    return Promise.resolve();
  }

  #onEvent(name: string, params: unknown[]): void {
    if (this.#closed) return;
    const context = params.at(-1) as EventContext;
    const args = params.slice(0, -1);
    try {
      this.#record(name, args, context);
    } catch (error) {
      // Never into the run: a line that cannot be made is reported like a failed write.
      this.#fail(error);
    }
  }

  #record(name: string, args: unknown[], context: EventContext): void {
    if (!this.#headerWritten) this.#writeHeader(context);
    if (!this.#knownPids.has(context.pid)) this.#writeProcess(context.process);
    if (name === 'turn_start') {
      this.#turns.set(context.pid, (this.#turns.get(context.pid) ?? 0) + 1);
      if (context.parentPid === undefined) this.#writeInput(context);
    }
    const line: TraceEvent = {
      type: 'event',
      seq: context.seq,
      time: context.time,
      pid: context.pid,
      name,
      args: args.map((arg) => toJsonSafe(arg)),
    };
    if (context.parentPid !== undefined) line.parentPid = context.parentPid;
    for (const [key, value] of Object.entries(context)) {
      if (baseContextFields.has(key) || value === undefined) continue;
      line[key] = toJsonSafe(value);
    }
    this.#push(line);
    if (name === 'api_request') {
      this.#pendingRequests.set(context.pid, { seq: context.seq, time: context.time });
    } else if (name === 'api_response') {
      this.#writeExchange(context);
    }
  }

  #writeExchange(context: EventContext): void {
    const request = this.#pendingRequests.get(context.pid);
    if (!request) return;
    this.#pendingRequests.delete(context.pid);
    const proc = context.process;
    const exchange: TraceExchange = {
      type: 'exchange',
      pid: context.pid,
      // Counted per process over all its runs (the EventContext's `turn` restarts with each run).
      turn: this.#turns.get(context.pid) ?? 1,
      provider: proc.provider,
      model: proc.model,
      requestSeq: request.seq,
      responseSeq: context.seq,
      startTime: request.time,
      endTime: context.time,
      durationMs: context.time - request.time,
    };
    this.#push(exchange);
  }

  /**
   * At a top-level process's turn_start: when the conversation ends with user input, a run began;
   * its input is written with the run options that change what it does.
   */
  #writeInput(context: EventContext): void {
    const last = context.process.getState().at(-1);
    if (last?.role !== 'user') return;
    let content: JsonValue;
    if (typeof last.content === 'string') {
      content = last.content;
    } else {
      const given = last.content.filter((block) => block.type !== 'tool_result');
      if (given.length === 0) return;
      const only = given.length === 1 ? given[0] : undefined;
      content = only?.type === 'text' ? only.text : toJsonSafe(given);
    }
    const line: TraceInput = { type: 'input', pid: context.pid, seq: context.seq, content };
    const options = toTraceRunOptions(context.process.currentRunOptions);
    if (options) line.options = options;
    this.#push(line);
  }

  #writeHeader(context: EventContext): void {
    this.#headerWritten = true;
    const programs: Record<string, JsonValue> = {};
    const visit = (program: RecordedProgram, key: string): void => {
      if (this.#programKeys.has(program) || key in programs) return;
      this.#programKeys.set(program, key);
      programs[key] = toJsonSafe(portablePaths(redactConfig(program.config)));
      for (const { name } of program.linkedPrograms) visit(program.getLinkedProgram(name), name);
    };
    const program = programOf(context.process);
    if (program) visit(program, 'main');
    const header: TraceHeader = {
      type: 'header',
      format: traceFormatName,
      version: traceFormatVersion,
      llmprocVersion: llmprocVersion(),
      startTime: new Date(context.time).toISOString(),
      programs,
    };
    this.#push(header);
  }

  #writeProcess(proc: LLMProcess): void {
    this.#knownPids.add(proc.pid);
    const line: TraceProcess = {
      type: 'process',
      pid: proc.pid,
      displayName: proc.displayName,
      model: proc.model,
      provider: proc.provider,
      systemPrompt: proc.systemPrompt,
      tools: proc.tools.map((tool) => ({
        name: tool.name,
        description: tool.description,
        inputSchema: toJsonSafe(tool.inputSchema),
      })),
    };
    if (proc.parent) line.parentPid = proc.parent.pid;
    const program = programOf(proc);
    const key = program && this.#programKeys.get(program);
    if (key !== undefined) line.program = key;
    this.#push(line);
  }

  #push(line: TraceLine): void {
    this.#buffer.push(`${JSON.stringify(line)}\n`);
    this.#lineCount++;
    this.#scheduled ??= setImmediate(() => {
      this.#scheduled = undefined;
      this.flush();
    }).unref();
  }

  #fail(error: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#buffer = [];
    const target = this.path ?? 'a stream';
    const failure = new LlmprocError(
      'TRACE_WRITE_FAILED',
      `Recording the trace to ${target} failed; later events are not recorded: ${errorMessage(error)}`,
      { cause: error },
    );
    getLogger().error(failure.message);
    try {
      this.#onError?.(failure);
    } catch {
      // onError is the user's; it already had its one report
    }
  }
}

/**
 * Record every event of a process (and of its children) and every model exchange as JSON lines.
 *
 * @example
 * ```ts
 * import { LLMProgram, recordTo } from 'llmproc';
 * const program = new LLMProgram({ model: 'mock', provider: 'mock', mock: { turns: [{ text: 'Hi!' }] } });
 * const recorder = recordTo('run.jsonl');
 * const process = await program.start().addCallback(recorder);
 * await process.run('Hello');
 * await recorder.close();
 * ```
 */
export function recordTo(target: string | Writable, options: RecordOptions = {}): TraceRecorder {
  return new TraceRecorder(target, options);
}
