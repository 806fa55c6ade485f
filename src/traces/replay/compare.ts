/**
 * The first place where two JSON values differ, as a path a user can find in the request
 * (`messages[2].content[0].text`), with both values. Keys are visited in the recorded value's order,
 * then keys only the replayed value has.
 */
import type { JsonValue } from '../json-safe.js';

export interface Difference {
  /** `""` for the values themselves, else a path like `messages[0].content`. */
  path: string;
  /** undefined where the recording has no such field. */
  recorded: JsonValue | undefined;
  /** undefined where the replayed request has no such field. */
  replayed: JsonValue | undefined;
}

function kind(value: JsonValue | undefined): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

function join(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key)
    ? path === ''
      ? key
      : `${path}.${key}`
    : `${path}[${JSON.stringify(key)}]`;
}

/** The first difference between `recorded` and `replayed`, or undefined when they are equal. */
export function firstDifference(
  recorded: JsonValue | undefined,
  replayed: JsonValue | undefined,
  path = '',
): Difference | undefined {
  if (recorded === replayed) return undefined;
  const recordedKind = kind(recorded);
  if (recordedKind !== kind(replayed)) return { path, recorded, replayed };
  if (Array.isArray(recorded) && Array.isArray(replayed)) {
    const length = Math.max(recorded.length, replayed.length);
    for (let i = 0; i < length; i++) {
      const found = firstDifference(recorded[i], replayed[i], `${path}[${String(i)}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (recordedKind === 'object') {
    const a = recorded as Record<string, JsonValue>;
    const b = replayed as Record<string, JsonValue>;
    const keys = [...Object.keys(a), ...Object.keys(b).filter((key) => !Object.hasOwn(a, key))];
    for (const key of keys) {
      const found = firstDifference(
        Object.hasOwn(a, key) ? a[key] : undefined,
        Object.hasOwn(b, key) ? b[key] : undefined,
        join(path, key),
      );
      if (found) return found;
    }
    return undefined;
  }
  return { path, recorded, replayed };
}

/** A value shortened for an error message. */
export function preview(value: JsonValue | undefined, max = 80): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
