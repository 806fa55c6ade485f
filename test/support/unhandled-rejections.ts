import { afterEach, beforeEach, expect } from 'vitest';

/**
 * Fail the current test if a promise rejection went unhandled while it ran. Vitest reports such a
 * rejection too, but only for the whole file and after the fact; this names the test and the reason.
 * Call once at the top level of a test file.
 */
export function failOnUnhandledRejections(): void {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => {
    seen.push(reason);
  };
  beforeEach(() => {
    seen.length = 0;
    process.on('unhandledRejection', listener);
  });
  afterEach(async () => {
    // A rejection is reported after the microtask queue drains; give it one turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', listener);
    expect(seen, 'unhandled rejections').toEqual([]);
  });
}
