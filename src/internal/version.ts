import { readFileSync } from 'node:fs';

let cached: string | undefined;

/**
 * The version in llmproc's package.json. The file sits two folders up from this module in the
 * sources, in dist/ and in the CLI bundle alike.
 */
export function llmprocVersion(): string {
  if (cached !== undefined) return cached;
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const pkg = JSON.parse(text) as { version?: unknown };
    cached = typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    cached = 'unknown';
  }
  return cached;
}
