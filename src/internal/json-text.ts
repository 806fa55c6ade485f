/**
 * A value as text for messages and logs: its JSON where it has one, else its plain string form
 * (JSON.stringify gives undefined for undefined, functions and symbols, and throws on cycles and
 * BigInts).
 */
export function jsonText(value: unknown): string {
  try {
    const json = JSON.stringify(value) as string | undefined;
    return json ?? String(value);
  } catch {
    return String(value);
  }
}
