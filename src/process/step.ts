/**
 * The seam for durable execution: every model call and every tool execution of the loop goes through
 * one `StepRunner`, with a name that is deterministic within a run (`turn-3/model`, `turn-3/tool-0`;
 * a child's steps are prefixed with the step that made it, e.g. `turn-2/tool-0/child-1/turn-1/model`).
 * The events of a step are emitted inside it, so an adapter that journals steps and replays their
 * results on recovery also avoids emitting their events twice.
 *
 * What a step returns is plain JSON (an adapter may store it and hand back a parsed copy).
 */
export interface StepOptions {
  /**
   * The step runs child processes (the fork and spawn tools) whose own steps go through the same
   * runner. A journaling runner must not record such a step as one unit (it cannot nest its
   * children's records inside it): it runs `fn` as ordinary code and journals the children's steps.
   */
  readonly hasChildSteps?: boolean;
}

/** Runs (or replays) one step of a run. */
export interface StepRunner {
  <T>(name: string, fn: () => Promise<T>, options?: StepOptions): Promise<T>;
  /**
   * True while an engine re-executes a recovered run from its journal, before it reaches the first
   * step that really runs. Events emitted meanwhile (those between replayed steps: `turn_start`,
   * `response`, `turn_end`, ...) are dropped, so callbacks see each event once per real occurrence.
   * Absent: never replaying.
   */
  readonly isReplaying?: () => boolean;
}

/** The default runner: just runs the step. */
export const runStepDirectly: StepRunner = (_name, fn) => fn();
