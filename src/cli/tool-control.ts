/**
 * The CLI's tool-call controls, built as ordinary hooks: `--deny-tool NAME` refuses calls of a tool,
 * `--confirm-tools` prints each call and asks y/n on the terminal.
 */
import type { Hook, HookContext, ToolCall } from '../index.js';
import { jsonText } from '../internal/json-text.js';

/** `--deny-tool`: refuse every call of the named tools (children's calls included). */
export function denyToolsHook(names: readonly string[]): Hook {
  const denied = new Set(names);
  return {
    beforeToolCall: (call) =>
      denied.has(call.toolName) ? { deny: `${call.toolName} is denied by --deny-tool` } : undefined,
  };
}

/** Reads one answer line; rejects when `signal` aborts. */
export type AskLine = (question: string, signal: AbortSignal | undefined) => Promise<string>;

export interface ConfirmOptions {
  /** Whether stdin is a terminal; without one nobody can answer, and every call is denied. */
  isTTY: boolean;
  /** How to ask; read at each call (an interactive session lends its own line reader). */
  ask: () => AskLine;
  /** Where notices go (stderr). */
  write: (line: string) => void;
}

export const noTerminalReason =
  '--confirm-tools needs a terminal to ask for approval, and stdin is not a terminal';

/** One line describing a call, for the question: `calculator {"expression":"6*7"}`. */
export function describeCall(call: ToolCall, context: HookContext): string {
  const who = context.parentPid === undefined ? '' : `[pid ${String(context.pid)}] `;
  return `${who}${call.toolName} ${jsonText(call.args)}`;
}

/**
 * `--confirm-tools`: before each tool call, print it and ask y/n. One question at a time, even when
 * fork children call tools in parallel. Anything but y/yes denies the call.
 */
export function confirmToolsHook(options: ConfirmOptions): Hook {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    beforeToolCall: (call, context) => {
      if (!options.isTTY) {
        options.write(`llmproc: denied ${describeCall(call, context)}: ${noTerminalReason}`);
        return { deny: noTerminalReason };
      }
      const asked = queue.then(async () => {
        const answer = await options.ask()(
          `Allow tool call ${describeCall(call, context)}? [y/N] `,
          context.signal,
        );
        const yes = ['y', 'yes'].includes(answer.trim().toLowerCase());
        return yes ? undefined : { deny: 'the user declined this tool call' };
      });
      // The next question waits for this one, answered or not.
      queue = asked.catch(() => undefined);
      return asked;
    },
  };
}
