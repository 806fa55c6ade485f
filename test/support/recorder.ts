import type { CallbackParams, EventContext } from '../../src/index.js';
import { recordEvents } from '../../src/testing.js';

/** One observed event: its name, its positional arguments (context removed) and its context. */
export interface Observed {
  event: string;
  args: unknown[];
  context: EventContext;
}

/**
 * A function callback that records every event it receives: llmproc/testing's `recordEvents()`, in
 * the shape the project's own tests were written against (`event` for the name, `callback`).
 */
export function recorder(): {
  readonly events: Observed[];
  callback: (...params: CallbackParams) => void;
  names(): string[];
} {
  const rec = recordEvents();
  return {
    get events(): Observed[] {
      return rec.events.map(({ name, args, context }) => ({
        event: name,
        args: [...args],
        context,
      }));
    },
    callback: rec,
    names: () => rec.names(),
  };
}
