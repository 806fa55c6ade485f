/**
 * A deep copy of JSON-shaped data (plain objects, arrays, primitives), for the hot path where a
 * request is built from the conversation on every model call. `structuredClone` pays for a full
 * serialization even for a two-key object, several microseconds a call; this walks the value
 * directly. Anything that is not plain data (a Date, a Map, a class instance) goes to
 * `structuredClone`, so the result is the same as its.
 */
export function copyJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyJson) as T;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return structuredClone(value);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value))
    copy[key] = copyJson((value as Record<string, unknown>)[key]);
  return copy as T;
}
