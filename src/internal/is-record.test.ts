import { describe, expect, it } from 'vitest';
import { isPlainObject, isRecord } from './is-record.js';

describe('isRecord', () => {
  it('accepts objects whose fields can be read, literal or not', () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord(Object.create(null))).toBe(true);
    expect(isRecord(new Date(0))).toBe(true);
  });

  it('refuses null, arrays, functions and primitives', () => {
    for (const value of [null, undefined, [], [1], () => 1, 'text', 1, true]) {
      expect(isRecord(value), String(value)).toBe(false);
    }
  });
});

describe('isPlainObject', () => {
  it('accepts object literals and null-prototype objects, not class instances', () => {
    expect(isPlainObject({ a: 1 })).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject(new Date(0))).toBe(false);
    expect(
      isPlainObject(
        new (class Options {
          readonly a = 1;
        })(),
      ),
    ).toBe(false);
    expect(isPlainObject([])).toBe(false);
  });
});
