import type { AccessLevel } from './access-level.js';
import type { FileDescriptorManager } from './fd/manager.js';
import type { AssistantBlock, Message, ToolResultBlock } from '../conversation/messages.js';
// Type-only, and the one cycle the seed implies: event arguments name the process.
import type { EventArgs } from '../callbacks/events.js';

/** One use of goto, as kept in the process's time-travel history. */
export interface TimeTravelEntry {
  /** ISO 8601. */
  timestamp: string;
  fromMessageCount: number;
  /** The target's index plus one, as the original counted it. */
  toMessageCount: number;
  /** The position as the model gave it, e.g. "msg_3". */
  positionReference: string;
}

/**
 * What goto needs of a process. The conversation it sees must be the committed one: the reply that
 * contains the goto call is not in it yet (the loop drops that reply when goto aborts).
 */
export interface GotoTarget {
  getMessages(): readonly Message[];
  replaceMessages(messages: Message[]): void;
  recordTimeTravel(entry: TimeTravelEntry): void;
}

/** A process a tool started (a fork or spawn child): what the tool does with it. */
export interface ToolChildProcess {
  run(input: string, options?: { signal?: AbortSignal; maxIterations?: number }): Promise<unknown>;
  getLastMessage(): string;
  close(): Promise<void>;
}

/**
 * What a tool can see and do of the process that called it. A narrow view, not the `LLMProcess`
 * class: tools depend on this interface, so the tools layer never imports the process layer.
 */
export interface ToolProcess {
  /** The calling process's id (the same as `LLMProcess.pid`). */
  readonly pid: number;
  /** A deep copy of the committed conversation (the reply being worked through is not in it yet). */
  getState(): Message[];
  /** Append to the process's stderr log and fire `stderr_write`. */
  writeStderr(text: string): void;
  /** Emit an event to the process's callbacks, with the event's typed arguments. */
  triggerEvent<E extends keyof EventArgs>(event: E, ...args: EventArgs[E]): void;
  /** A copy of the process with `state` as its conversation (the fork tool). Requires admin access. */
  forkProcess(options: {
    accessLevel?: AccessLevel | 'read' | 'write' | 'admin';
    state?: readonly Message[];
  }): Promise<ToolChildProcess>;
  /**
   * A fresh process of a linked program (or of this program when `programName` is empty), with the
   * caller's callbacks, at write access (the spawn tool).
   */
  spawnChild(programName: string, preloadFiles: readonly string[]): Promise<ToolChildProcess>;
  /** The file-descriptor store, when the program enables the fd system. */
  readonly fileDescriptors: FileDescriptorManager | undefined;
  /** The committed conversation as goto rewrites it, and the record of jumps. */
  readonly timeTravel: GotoTarget;
}

/** What a tool's handler can see of the run that called it. */
export interface ToolContext {
  readonly process: ToolProcess;
  readonly signal: AbortSignal | undefined;
  /** The id of the model's tool call being answered. */
  readonly toolUseId: string;
  /**
   * The reply being worked through: its blocks up to and including this call, and the results of the
   * calls before it. Fork uses it to give each child a valid history ending at the fork call.
   */
  readonly turn: {
    readonly assistantBlocks: readonly AssistantBlock[];
    readonly toolResults: readonly ToolResultBlock[];
  };
}

/**
 * A registered tool. `parse` checks the model's arguments and returns either the parsed arguments or
 * an error text for the model; `execute` may return a ToolResult or any value (wrapped as a success).
 */
export interface Tool {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: Record<string, unknown>;
  readonly access: AccessLevel;
  /**
   * The tool runs child processes (fork, spawn). A durable runner then journals the children's
   * steps instead of the tool call as one unit, so a crash does not redo finished children.
   */
  readonly runsChildren?: boolean;
  parse(
    args: Record<string, unknown>,
  ): { ok: true; value: Record<string, unknown> } | { ok: false; error: string };
  execute(args: Record<string, unknown>, context: ToolContext): unknown;
}
