/**
 * One replay of a trace: which recorded process each replayed process stands for, how far each has
 * got, and the recorded tool results waiting for their calls. A replayed process is matched to a
 * recorded one at its first model call: the top-level process to the recorded top-level process, a
 * child to the first unmatched recorded process (its parent's children first) whose first request
 * is the same, so concurrent fork children find their own recordings whatever order they run in.
 */
import { LlmprocError } from '../../errors.js';
import type { ModelResponse } from '../../providers/types.js';
import type { ToolRegistry } from '../../tools/registry.js';
import type { Tool } from '../../tools/types.js';
import type { JsonValue } from '../json-safe.js';
import { codecFor, type CodecSettings } from './codecs.js';
import { firstDifference, preview, type Difference } from './compare.js';
import { ReplayProvider, type ReplayHost } from './replay-provider.js';
import type {
  RecordedExchange,
  RecordedProcess,
  RecordedToolCall,
  Recording,
} from './recording.js';
import { answeredFromTrace } from './stand-in-tool.js';
import type { RunOptions } from '../../process/process.js';
import { fromTraceRunOptions } from '../run-options.js';

export interface ReplayOptions {
  /**
   * Answer tool calls from the trace instead of running the tools (default false: tools run for
   * real). `fork`, `spawn` and `goto` always run: they drive the replayed processes themselves.
   */
  replayTools?: boolean;
}

/** Tools that make or rewind processes; a replay runs them so the children are replayed too. */
const processTools = new Set(['fork', 'spawn', 'goto']);

/** The replay error: a request the recording does not have. */
export class ReplayDivergenceError extends LlmprocError {
  /** The recorded pid of the process that left the recording. */
  readonly pid: number;
  readonly turn: number;
  /** The first differing field of the request, e.g. `messages[0].content`. */
  readonly field: string;

  constructor(
    message: string,
    details: { pid: number; turn: number; field: string; recorded?: unknown; replayed?: unknown },
  ) {
    super('REPLAY_DIVERGED', message, { details });
    this.pid = details.pid;
    this.turn = details.turn;
    this.field = details.field;
  }
}

export class ReplaySession implements ReplayHost {
  readonly replayTools: boolean;
  readonly #recording: Recording;
  readonly #assigned = new Set<RecordedProcess>();
  readonly #answers = new Map<string, RecordedToolCall[]>();
  /** Runs of the replayed top-level process so far. */
  #runs = 0;
  /**
   * The first divergence of this replay. A child that leaves the recording fails inside its parent's
   * tool (fork, spawn), so the parent then leaves it too; the child's is the one to report.
   */
  #first: ReplayDivergenceError | undefined;

  constructor(recording: Recording, options: ReplayOptions = {}) {
    this.#recording = recording;
    this.replayTools = options.replayTools ?? false;
  }

  get file(): string {
    return this.#recording.file;
  }

  /** The recorded process that a process of program `key` was, first seen first. */
  #processOf(key: string): RecordedProcess {
    const { processes } = this.#recording;
    const root = processes[0] as RecordedProcess;
    return processes.find((p) => p.line.program === key) ?? root;
  }

  /**
   * The options the next run of the replayed top-level process starts from: those the recorded run
   * of the same number was given (none for a trace older than recorded run options).
   */
  nextRunOptions(): RunOptions {
    return fromTraceRunOptions(this.#recording.runOptions[this.#runs++]);
  }

  /** The system prompt recorded for a program (env info and preloaded files as they were). */
  systemPromptFor(key: string): string {
    return this.#processOf(key).line.systemPrompt;
  }

  /**
   * A provider for a new process of a program with these provider settings; `isRoot` for
   * `program.start()`.
   */
  async createProvider(
    config: { provider: string; model: string } & CodecSettings,
    isRoot: boolean,
  ): Promise<ReplayProvider> {
    const { provider, model } = config;
    const codec = await codecFor(provider, model, config);
    const root = this.#recording.processes[0];
    const recorded = isRoot && root && !this.#assigned.has(root) ? root : undefined;
    if (recorded) this.#assigned.add(recorded);
    return new ReplayProvider(this, codec, provider, recorded ? { recorded } : {});
  }

  /**
   * The tools of a replayed process of program `key`: tools the recording used but this program
   * does not have (tools defined in code and not registered again, or MCP tools when `replayTools`)
   * are answered from the trace, and with `replayTools` every other tool too, except fork, spawn and
   * goto.
   */
  toolsFor(registry: ToolRegistry, key: string): ToolRegistry {
    const answer = (toolUseId: string, toolName: string): JsonValue | undefined =>
      this.#takeAnswer(toolUseId, toolName);
    const tools = this.replayTools
      ? registry.map((tool: Tool) =>
          processTools.has(tool.name) ? tool : answeredFromTrace(tool, answer),
        )
      : registry;
    for (const spec of this.#processOf(key).line.tools) {
      if (tools.has(spec.name)) continue;
      const inputSchema =
        typeof spec.inputSchema === 'object' && spec.inputSchema !== null
          ? (spec.inputSchema as Record<string, unknown>)
          : {};
      tools.add(answeredFromTrace({ ...spec, inputSchema }, answer));
    }
    return tools;
  }

  assign(provider: ReplayProvider, request: JsonValue): RecordedProcess {
    const parentPid = provider.parent?.recorded?.pid;
    const open = this.#recording.processes.filter((p) => !this.#assigned.has(p));
    const candidates = [
      ...open.filter((p) => parentPid !== undefined && p.parentPid === parentPid),
      ...open.filter((p) => parentPid === undefined || p.parentPid !== parentPid),
    ];
    const match = candidates.find(
      (p) => p.exchanges[0] !== undefined && !firstDifference(p.exchanges[0].request, request),
    );
    if (match) {
      this.#assigned.add(match);
      return match;
    }
    const closest = candidates.find((p) => p.exchanges.length > 0);
    if (!closest) {
      throw this.#report(
        new ReplayDivergenceError(
          `Replay of ${this.file} left the recording: a process made a model call, but every recorded process is already replayed`,
          { pid: 0, turn: 1, field: '' },
        ),
      );
    }
    const first = closest.exchanges[0] as RecordedExchange;
    throw this.#diverged(
      closest,
      first.turn,
      firstDifference(first.request, request) ?? { path: '', recorded: null, replayed: null },
    );
  }

  check(recorded: RecordedProcess, index: number, request: JsonValue): RecordedExchange {
    const exchange = recorded.exchanges[index];
    if (!exchange) {
      const last = recorded.exchanges.at(-1);
      const turn = (last?.turn ?? 0) + 1;
      throw this.#report(
        new ReplayDivergenceError(
          `Replay of ${this.file} left the recording in ${this.#describe(recorded)}, turn ${String(turn)}: ` +
            `the process makes model call ${String(index + 1)}, but the recording has ${String(recorded.exchanges.length)}`,
          { pid: recorded.pid, turn, field: '' },
        ),
      );
    }
    const difference = firstDifference(exchange.request, request);
    if (difference) throw this.#diverged(recorded, exchange.turn, difference);
    return exchange;
  }

  expectToolCalls(
    _recorded: RecordedProcess,
    response: ModelResponse,
    exchange: RecordedExchange,
  ): void {
    let index = 0;
    for (const block of response.content) {
      if (block.type !== 'tool_use') continue;
      const call = exchange.toolCalls[index++];
      if (!call) break;
      let waiting = this.#answers.get(block.id);
      if (!waiting) this.#answers.set(block.id, (waiting = []));
      waiting.push(call);
    }
  }

  #takeAnswer(toolUseId: string, toolName: string): JsonValue | undefined {
    const waiting = this.#answers.get(toolUseId);
    if (!waiting) return undefined;
    const index = waiting.findIndex((call) => call.name === toolName);
    const [call] = waiting.splice(index === -1 ? 0 : index, 1);
    if (waiting.length === 0) this.#answers.delete(toolUseId);
    return call?.result;
  }

  #describe(recorded: RecordedProcess): string {
    const parent =
      recorded.parentPid === undefined ? '' : `, a child of process ${String(recorded.parentPid)}`;
    return `process ${String(recorded.pid)} ("${recorded.line.displayName}"${parent})`;
  }

  #diverged(
    recorded: RecordedProcess,
    turn: number,
    difference: Difference,
  ): ReplayDivergenceError {
    const field = difference.path === '' ? 'the request' : difference.path;
    const error = new ReplayDivergenceError(
      `Replay of ${this.file} left the recording in ${this.#describe(recorded)}, turn ${String(turn)}: ` +
        `the request differs at ${field}: recorded ${preview(difference.recorded)}, replayed ${preview(difference.replayed)}`,
      {
        pid: recorded.pid,
        turn,
        field: difference.path,
        recorded: difference.recorded,
        replayed: difference.replayed,
      },
    );
    return this.#report(error);
  }

  /** The first divergence, with what followed from it noted, or `error` when it is the first. */
  #report(error: ReplayDivergenceError): ReplayDivergenceError {
    const first = this.#first;
    if (!first) {
      this.#first = error;
      return error;
    }
    const then = error.message.replace(`Replay of ${this.file} left the recording in `, '');
    return new ReplayDivergenceError(`${first.message} (and then ${then})`, {
      pid: first.pid,
      turn: first.turn,
      field: first.field,
      recorded: first.details?.['recorded'],
      replayed: first.details?.['replayed'],
    });
  }
}
