import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

/** The members of the `ErrorCode` union, read from its declaration. */
function declaredCodes(): string[] {
  const source = readFileSync(path.join(root, 'src/errors.ts'), 'utf8');
  const declaration = /export type ErrorCode =([\s\S]*?');/.exec(source)?.[1] ?? '';
  return [...declaration.matchAll(/\|\s*'([A-Z_]+)'/g)].map((match) => match[1] ?? '').sort();
}

/** The codes in the first column of docs/errors.md's table. */
function documentedCodes(): string[] {
  const page = readFileSync(path.join(root, 'docs/errors.md'), 'utf8');
  return [...page.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1] ?? '').sort();
}

describe('error codes', () => {
  it('are each documented in docs/errors.md, and the table names no other', () => {
    const declared = declaredCodes();
    expect(declared.length).toBeGreaterThan(20);
    expect(documentedCodes()).toEqual(declared);
  });

  it('no longer include the catch-all INVALID_ARGUMENT', () => {
    expect(declaredCodes()).not.toContain('INVALID_ARGUMENT');
  });
});
