/**
 * The event recorder of llmproc/testing: a function callback that keeps every event it is given,
 * with its arguments and its EventContext, so a test can assert on what a run reported. Callbacks
 * are inherited, so a recorder on a parent also records its children's events; their context says
 * whose they are (`pid`, `parentPid`, `parentToolUseId`).
 */
import type { CallbackEvent, CallbackParams, EventArgs, EventContext } from '../index.js';

/** One recorded event; `name` narrows `args` to that event's arguments. */
export type RecordedEvent<E extends CallbackEvent = CallbackEvent> = {
  [K in E]: { readonly name: K; readonly args: EventArgs[K]; readonly context: EventContext };
}[E];

export interface EventRecorder {
  /** The callback itself: pass the recorder to `addCallback`. */
  (...params: CallbackParams): void;
  /** Every event received, in delivery order. */
  readonly events: readonly RecordedEvent[];
  /** The events named `name`, typed by it: `rec.of('tool_start')[0].args` is `[toolName, toolArgs]`. */
  of<E extends CallbackEvent>(name: E): RecordedEvent<E>[];
  /** The names of the events received, in order (`['turn_start', 'api_request', ...]`). */
  names(): CallbackEvent[];
  /** Forget what was recorded (between the phases of a test). */
  clear(): void;
}

/**
 * A callback that records events. `proc.addCallback(rec)`, run, then read `rec.events` or
 * `rec.of('tool_end')`. It is a function callback, so it receives every event (text deltas and
 * callback errors included) and never fails a run.
 */
export function recordEvents(): EventRecorder {
  const events: RecordedEvent[] = [];
  const record = (...params: CallbackParams): void => {
    const [name, ...rest] = params;
    const context = rest.pop() as EventContext;
    events.push({ name, args: rest, context } as unknown as RecordedEvent);
  };
  return Object.assign(record, {
    events,
    of<E extends CallbackEvent>(name: E): RecordedEvent<E>[] {
      // The name check is the narrowing TypeScript cannot follow through a generic name.
      const named: RecordedEvent[] = events.filter((event) => event.name === name);
      return named as RecordedEvent<E>[];
    },
    names: () => events.map((event) => event.name),
    clear: () => {
      events.length = 0;
    },
  });
}
