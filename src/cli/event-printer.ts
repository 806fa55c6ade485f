/**
 * The CLI's live view of a run: an object callback that writes one line per event to stderr. It is
 * an ordinary callback (see docs/callbacks.md), registered on the root process and so inherited by
 * every fork and spawn child; children's lines are indented and tagged with their pid.
 *
 * Type-only imports: the CLI loads the library lazily, after parsing its arguments.
 */
import type {
  Callbacks,
  EventContext,
  LLMProcess,
  RunResult,
  RunResultJSON,
  ToolResult,
} from '../index.js';
import { createStyler, type Styler } from './style.js';
import { jsonText } from '../internal/json-text.js';

export interface EventPrinterOptions {
  /** Receives each finished line, without its newline. */
  write: (line: string) => void;
  color?: boolean;
  /** Longest short view of tool arguments and results, in characters. */
  maxArgChars?: number;
  /** Longest view of a response text, in characters. */
  maxTextChars?: number;
}

/** Whitespace runs (newlines included) as one space, cut to `max` characters with an ellipsis. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(0, max - 1))}…`;
}

/** A duration for people: `0.4ms`, `12ms`, `1.5s`. */
export function formatDuration(ms: number): string {
  if (ms < 10) return `${ms.toFixed(1)}ms`;
  if (ms < 1000) return `${ms.toFixed(0)}ms`;
  return `${(ms / 1000).toFixed(1)}s`;
}

/** A cost for people: `$0.0123` below a dollar, `$1.23` above; `cost unknown` without a price. */
export function formatCost(costUsd: number | null): string {
  if (costUsd === null) return 'cost unknown';
  return `$${costUsd < 1 ? costUsd.toFixed(4) : costUsd.toFixed(2)}`;
}

/** `1 turn`, `2 turns`: a count with its noun. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${String(count)} ${count === 1 ? noun : nouns}`;
}

/**
 * One line summing up a finished run, from its RunResult JSON and its number of turns:
 * `completed: 2 turns, 1 tool call, 10 in / 5 out tokens, 12ms, stop: end_turn`.
 */
export function formatSummary(result: RunResultJSON, turns: number): string {
  const { status, toolCalls, usage, durationMs, stopReason } = result;
  const tokens = `${String(usage.inputTokens)} in / ${String(usage.outputTokens)} out tokens`;
  const parts = [plural(turns, 'turn'), plural(toolCalls.length, 'tool call'), tokens];
  parts.push(formatCost(usage.costUsd));
  parts.push(formatDuration(durationMs), `stop: ${stopReason ?? 'none'}`);
  return `${status}: ${parts.join(', ')}`;
}

/**
 * Writes a line per event:
 *
 * ```text
 * turn 1
 *   text: Let me compute that.
 *   tool: calculator {"expression":"6 * 7"}
 *   done: calculator 0.4ms → 42
 *   stderr: computed 6 * 7
 *   [pid 2] turn 1                      (a fork child: indented, tagged with its pid)
 *   [pid 2]   tool: calculator {"expression":"42 / 6"}
 * completed: 2 turns, 3 tool calls, 120 in / 40 out tokens, 20ms, stop: end_turn
 * ```
 */
export class EventPrinter implements Callbacks {
  readonly #write: (line: string) => void;
  readonly #style: Styler;
  readonly #maxArgChars: number;
  readonly #maxTextChars: number;
  readonly #depth = new Map<number, number>();
  /** Start times of the tools running in each process, innermost last (by `pid:name`). */
  readonly #started = new Map<string, number[]>();

  constructor(options: EventPrinterOptions) {
    this.#write = options.write;
    this.#style = createStyler(options.color ?? false);
    this.#maxArgChars = options.maxArgChars ?? 80;
    this.#maxTextChars = options.maxTextChars ?? 160;
  }

  turn_start(_process: LLMProcess, context: EventContext): void {
    // The run's own count: each prompt of a chat starts again at turn 1.
    this.#line(context, 0, this.#style('bold', `turn ${String(context.turn ?? 1)}`));
  }

  response(text: string, context: EventContext): void {
    this.#line(
      context,
      1,
      `${this.#style('magenta', 'text:')} ${shorten(text, this.#maxTextChars)}`,
    );
  }

  tool_start(toolName: string, toolArgs: Record<string, unknown>, context: EventContext): void {
    const key = `${String(context.pid)}:${toolName}`;
    const stack = this.#started.get(key) ?? [];
    stack.push(context.time);
    this.#started.set(key, stack);
    const args = shorten(jsonText(toolArgs), this.#maxArgChars);
    this.#line(
      context,
      1,
      `${this.#style('cyan', 'tool:')} ${toolName} ${this.#style('dim', args)}`,
    );
  }

  tool_end(toolName: string, result: ToolResult, context: EventContext): void {
    const started = this.#started.get(`${String(context.pid)}:${toolName}`)?.pop();
    const took =
      started === undefined ? '' : ` ${formatDuration(Math.max(0, context.time - started))}`;
    const label = result.isError ? this.#style('red', 'fail:') : this.#style('green', 'done:');
    const view = shorten(result.contentText(), this.#maxArgChars);
    this.#line(context, 1, `${label} ${toolName}${this.#style('dim', took)} → ${view}`);
  }

  stderr_write(text: string, context: EventContext): void {
    this.#line(
      context,
      1,
      `${this.#style('yellow', 'stderr:')} ${shorten(text, this.#maxTextChars)}`,
    );
  }

  /** The summary line of a root process's run; children's answers show in their tool's line. */
  run_end(result: RunResult, context: EventContext): void {
    if (this.#depthOf(context) > 0) return;
    this.#write(this.#style('dim', formatSummary(result.toJSON(), context.turn ?? 0)));
  }

  #line(context: EventContext, indent: number, body: string): void {
    const depth = this.#depthOf(context);
    const tag = depth > 0 ? `${this.#style('dim', `[pid ${String(context.pid)}]`)} ` : '';
    this.#write(`${'  '.repeat(depth)}${tag}${'  '.repeat(indent)}${body}`);
  }

  /** 0 for the root process, 1 for its children, and so on. */
  #depthOf(context: EventContext): number {
    let depth = this.#depth.get(context.pid);
    if (depth === undefined) {
      const parentDepth =
        context.parentPid === undefined ? undefined : this.#depth.get(context.parentPid);
      depth = context.parentPid === undefined ? 0 : (parentDepth ?? 0) + 1;
      this.#depth.set(context.pid, depth);
    }
    return depth;
  }
}
