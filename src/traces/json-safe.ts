import { isRecord } from '../internal/is-record.js';

/**
 * Event arguments as plain JSON, so a trace line can be written and read back: SDK class instances
 * become their own enumerable fields (as `JSON.stringify` would), values with `toJSON` (ToolResult,
 * Date) their JSON form, binary data base64 (`{ "$bytes": "..." }`), errors `{ "$error": {...} }`,
 * a process a reference `{ "$process": pid }` (it holds the whole program and conversation), and a
 * cycle `"[Circular]"`. Unlike `JSON.stringify`, it never throws.
 */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Whether a JSON value (or a missing one) is an object: the JSON-typed twin of internal's isRecord. */
export function isJsonObject(value: JsonValue | undefined): value is Record<string, JsonValue> {
  return isRecord(value);
}

const maxDepth = 64;

function isProcessLike(value: object): value is { pid: number } {
  // Duck-typed: traces sit below process/ and must not import the process class.
  const candidate = value as { pid?: unknown; getState?: unknown; run?: unknown };
  return (
    typeof candidate.pid === 'number' &&
    typeof candidate.getState === 'function' &&
    typeof candidate.run === 'function'
  );
}

function bytesOf(value: object): Uint8Array | undefined {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value))
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return undefined;
}

function errorJson(error: Error, seen: Set<object>, depth: number): JsonValue {
  const fields: Record<string, JsonValue> = { name: error.name, message: error.message };
  const extra = error as Error & { code?: unknown; status?: unknown };
  if (typeof extra.code === 'string' || typeof extra.code === 'number') fields['code'] = extra.code;
  if (typeof extra.status === 'number') fields['status'] = extra.status;
  if (error.cause !== undefined) fields['cause'] = convert(error.cause, seen, depth + 1) ?? null;
  return { $error: fields };
}

function convert(value: unknown, seen: Set<object>, depth: number): JsonValue | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      break;
  }
  if (value === null) return null;
  if (depth > maxDepth) return '[Too deep]';
  if (seen.has(value)) return '[Circular]';
  const bytes = bytesOf(value);
  if (bytes) return { $bytes: Buffer.from(bytes).toString('base64') };
  if (isProcessLike(value)) return { $process: value.pid };
  seen.add(value);
  try {
    if (value instanceof Error) return errorJson(value, seen, depth);
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      return convert((toJSON as () => unknown).call(value), seen, depth + 1);
    }
    if (Array.isArray(value) || value instanceof Set) {
      return Array.from(
        value as Iterable<unknown>,
        (item) => convert(item, seen, depth + 1) ?? null,
      );
    }
    if (value instanceof Map) {
      return Array.from(value, ([key, item]) => [
        convert(key, seen, depth + 1) ?? null,
        convert(item, seen, depth + 1) ?? null,
      ]);
    }
    const out: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) {
      const converted = convert(item, seen, depth + 1);
      if (converted !== undefined) out[key] = converted;
    }
    return out;
  } finally {
    // Only the path from the root counts as a cycle; the same object twice side by side is kept.
    seen.delete(value);
  }
}

/** `value` as JSON (see the module comment); `null` where JSON has no form for it. */
export function toJsonSafe(value: unknown): JsonValue {
  return convert(value, new Set(), 0) ?? null;
}

/** The bytes of a `{ "$bytes": base64 }` value written by {@link toJsonSafe}, else undefined. */
export function bytesFromJson(value: unknown): Uint8Array | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const encoded = (value as { $bytes?: unknown }).$bytes;
  return typeof encoded === 'string' ? new Uint8Array(Buffer.from(encoded, 'base64')) : undefined;
}
