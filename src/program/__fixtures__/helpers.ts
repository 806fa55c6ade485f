/** Test helpers for src/program: temp folders with files, captured warnings, caught errors. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { ConfigError } from '../../errors.js';
import { setLogger, type Logger } from '../../internal/logger.js';

const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp folder holding `files` (relative path → content), removed after the test. */
export function tempDir(files: Record<string, string> = {}): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'llmproc-program-')));
  made.push(dir);
  for (const [name, content] of Object.entries(files)) {
    const full = path.join(dir, name);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
  return dir;
}

/** A logger that keeps warnings and errors in `warnings` and drops the rest. */
function warningCollector(warnings: string[]): Logger {
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (m) => warnings.push(m),
    error: (m) => warnings.push(m),
  };
}

/** Run `fn` with the library logger replaced; returns its value and the warnings logged. */
export function captureWarnings<T>(fn: () => T): { value: T; warnings: string[] } {
  const warnings: string[] = [];
  const previous = setLogger(warningCollector(warnings));
  try {
    return { value: fn(), warnings };
  } finally {
    setLogger(previous);
  }
}

/** Async variant of {@link captureWarnings}. */
export async function captureWarningsAsync<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; warnings: string[] }> {
  const warnings: string[] = [];
  const previous = setLogger(warningCollector(warnings));
  try {
    return { value: await fn(), warnings };
  } finally {
    setLogger(previous);
  }
}

/** The ConfigError `fn` throws; fails the test when it throws something else or nothing. */
export function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw new Error(`expected a ConfigError, got ${String(error)}`);
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}
