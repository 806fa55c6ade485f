import type { AccessLevel } from './access-level.js';
import type { ToolResult } from './tool-result.js';
import type { AssistantBlock, ToolResultBlock } from '../process/messages.js';
import type { LLMProcess } from '../process/process.js';

/** What a tool's handler can see of the run that called it. */
export interface ToolContext {
  readonly process: LLMProcess;
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
  parse(
    args: Record<string, unknown>,
  ): { ok: true; value: Record<string, unknown> } | { ok: false; error: string };
  execute(args: Record<string, unknown>, context: ToolContext): unknown;
}

export type ToolOutcome = ToolResult;
