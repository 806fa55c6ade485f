/**
 * A run's options as a trace records them (format.ts `TraceRunOptions`) and back: the options that
 * change what a run does, as JSON, so a replay gives each run what the recorded run was given.
 */
import type { RunOptions } from '../process/process.js';
import type { TraceRunOptions } from './format.js';
import { toJsonSafe, type JsonValue } from './json-safe.js';

/** The numeric and boolean options written as they are. */
const plainKeys = [
  'outputRetries',
  'maxIterations',
  'maxTokens',
  'maxCostUsd',
  'timeoutMs',
  'stream',
] as const satisfies readonly (keyof TraceRunOptions & keyof RunOptions)[];

/** The options of a run to record; undefined when it was given none that change what it does. */
export function toTraceRunOptions(
  options: Readonly<RunOptions> | undefined,
): TraceRunOptions | undefined {
  if (!options) return undefined;
  const recorded: Record<string, JsonValue> = {};
  for (const key of plainKeys) {
    const value = options[key];
    if (value !== undefined) recorded[key] = value;
  }
  // A JSON Schema already: the process keeps the one run() resolved (and sent).
  if (options.output !== undefined) recorded['output'] = toJsonSafe(options.output);
  return Object.keys(recorded).length === 0 ? undefined : recorded;
}

/** Recorded options as `run()` options (the JSON Schema stands for a zod schema). */
export function fromTraceRunOptions(recorded: TraceRunOptions | undefined): RunOptions {
  if (!recorded) return {};
  const options: RunOptions = {};
  for (const key of plainKeys) {
    const value = recorded[key];
    if (value !== undefined) Object.assign(options, { [key]: value });
  }
  if (recorded.output !== undefined) options.output = recorded.output;
  return options;
}
