import { describe, expect, it } from 'vitest';
import { copyJson } from './copy-json.js';

describe('copyJson', () => {
  it('copies nested plain data deeply, sharing nothing', () => {
    const value = { a: [1, { b: 'x' }], c: { d: null, e: true }, f: Object.create(null) as object };
    const copy = copyJson(value);
    expect(copy).toEqual(value);
    expect(copy).not.toBe(value);
    expect(copy.a).not.toBe(value.a);
    expect(copy.a[1]).not.toBe(value.a[1]);
    expect(copy.c).not.toBe(value.c);
  });

  it('returns primitives as they are', () => {
    expect(copyJson('s')).toBe('s');
    expect(copyJson(3)).toBe(3);
    expect(copyJson(null)).toBeNull();
    expect(copyJson<unknown>(undefined)).toBeUndefined();
  });

  it('copies values that are not plain data as structuredClone does', () => {
    const date = new Date(0);
    const copy = copyJson({ when: date, tags: new Set(['a']) });
    expect(copy.when).toEqual(date);
    expect(copy.when).not.toBe(date);
    expect(copy.tags).toEqual(new Set(['a']));
  });
});
