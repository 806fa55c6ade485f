import type { CallbackParams, EventContext } from '../../src/index.js';

/** One observed event: its name, its positional arguments (context removed) and its context. */
export interface Observed {
  event: string;
  args: unknown[];
  context: EventContext;
}

/** A function callback that records every event it receives. */
export function recorder(): {
  events: Observed[];
  callback: (...params: CallbackParams) => void;
  names(): string[];
} {
  const events: Observed[] = [];
  return {
    events,
    callback: (...params: CallbackParams) => {
      const [event, ...rest] = params as unknown as [string, ...unknown[]];
      const context = rest.pop() as EventContext;
      events.push({ event, args: rest, context });
    },
    names: () => events.map((e) => e.event),
  };
}
