/**
 * Whether `value` is an object with string keys to read: not null, not an array. A config table, a
 * JSON object, an SDK payload or a hook's return value is checked with this before its fields are
 * read. Class instances pass too (their own fields are what a reader sees), so a caller that needs a
 * literal object checks the prototype itself.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether `value` is an object literal (or has a null prototype): what a user writes as options or
 * a definition by hand. A class instance may carry fields of its own, so key checks skip it.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
