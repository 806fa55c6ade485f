/**
 * The seam for durable execution: every model call and every tool execution of the loop goes through
 * one `StepRunner`, with a name that is deterministic within a process (`turn-3/model`,
 * `turn-3/tool-0`). The events of a step are emitted inside it, so an adapter that journals steps and
 * replays their results on recovery also avoids emitting their events twice.
 */
export type StepRunner = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

/** The default runner: just runs the step. */
export const runStepDirectly: StepRunner = (_name, fn) => fn();
