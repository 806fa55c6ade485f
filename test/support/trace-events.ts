/**
 * Comparing two traces as a replay promises: the same events with the same arguments per process;
 * times, pids and ids may differ.
 */
import type { JsonValue } from '../../src/traces/json-safe.js';
import { readTrace } from '../../src/traces/read.js';

/** Fields of a run's result that name its id or clock, which a replay does not repeat. */
const runClockFields = new Set(['runId', 'startTime', 'endTime', 'durationMs']);

function withoutPids(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(withoutPids);
  if (typeof value !== 'object' || value === null) return value;
  if ('$process' in value) return { $process: 'any' };
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !runClockFields.has(key))
      .map(([key, item]) => [key, withoutPids(item)]),
  );
}

/** Each process's events as `name args...` strings, the processes sorted so pid order does not count. */
export function eventsPerProcess(file: string): string[][] {
  const byPid = new Map<number, string[]>();
  for (const event of readTrace(file).events) {
    let list = byPid.get(event.pid);
    if (!list) byPid.set(event.pid, (list = []));
    list.push(`${event.name} ${JSON.stringify(withoutPids(event.args))}`);
  }
  return [...byPid.values()].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}
