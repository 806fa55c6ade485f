/**
 * Vitest global setup: build dist/ before the tests that run it (the CLI subprocess tests, the docs
 * and examples run against the package, the lazy-SDK check), so a stale build can never pass.
 * A run filtered to other files (`vitest run src/tools`) skips the build.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Test files that import or execute dist/. */
const distTests = [
  'test/docs.test.ts',
  'test/examples.test.ts',
  'test/lazy-sdk.test.ts',
  'test/otel-isolation.test.ts',
  'test/otel-cli.test.ts',
  'src/cli/main.test.ts',
  'test/restate/durable.test.ts',
  'test/restate/lazy.test.ts',
  'test/testing-lazy.test.ts',
  'test/package.test.ts',
];

function runIncludesDistTests(argv: readonly string[]): boolean {
  const runIndex = argv.findIndex((arg) => arg === 'run' || arg.endsWith('vitest.mjs'));
  const filters = argv.slice(runIndex + 1).filter((arg) => !arg.startsWith('-'));
  if (filters.length === 0) return true;
  return filters.some((filter) =>
    distTests.some((file) => file.includes(filter.replace(/^\.\//, ''))),
  );
}

export default function setup(): void {
  if (!runIncludesDistTests(process.argv)) return;
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
}
