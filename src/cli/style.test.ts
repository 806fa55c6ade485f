import { describe, expect, it } from 'vitest';
import { createStyler, shouldUseColor } from './style.js';

describe('shouldUseColor', () => {
  it('colours a terminal and not a pipe', () => {
    expect(shouldUseColor(true, {})).toBe(true);
    expect(shouldUseColor(false, {})).toBe(false);
    expect(shouldUseColor(undefined, {})).toBe(false);
  });

  it('turns colour off when NO_COLOR is set and non-empty, even with FORCE_COLOR', () => {
    expect(shouldUseColor(true, { NO_COLOR: '1' })).toBe(false);
    expect(shouldUseColor(true, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(shouldUseColor(true, { NO_COLOR: '' })).toBe(true);
  });

  it('lets FORCE_COLOR colour a pipe, and FORCE_COLOR=0 silence a terminal', () => {
    expect(shouldUseColor(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(shouldUseColor(true, { FORCE_COLOR: '0' })).toBe(false);
  });

  it('does not colour a dumb terminal', () => {
    expect(shouldUseColor(true, { TERM: 'dumb' })).toBe(false);
  });
});

describe('createStyler', () => {
  it('wraps text in ANSI codes only when colour is on', () => {
    expect(createStyler(true)('red', 'x')).toBe('\u001b[31mx\u001b[39m');
    expect(createStyler(false)('red', 'x')).toBe('x');
  });
});
