import { describe, expect, it } from 'vitest';
import { countPages, indexLines, lineSpan, readPage } from './paginate.js';

describe('indexLines', () => {
  it('records where each line starts, without an empty line after a final newline', () => {
    expect(indexLines('ab\ncd\nef')).toEqual([0, 3, 6]);
    expect(indexLines('ab\ncd\n')).toEqual([0, 3]);
    expect(indexLines('')).toEqual([0]);
    expect(indexLines('\n\n')).toEqual([0, 1]);
  });
});

describe('lineSpan', () => {
  const content = 'aaaa\nbbbb\ncccc';
  const lines = indexLines(content);

  it('flags a range that starts and ends inside lines', () => {
    expect(lineSpan(content, lines, 7, 12)).toEqual({
      startLine: 2,
      endLine: 3,
      continued: true,
      truncated: true,
    });
  });

  it('flags a range starting inside the first line as continued', () => {
    expect(lineSpan(content, lines, 2, 7)).toEqual({
      startLine: 1,
      endLine: 2,
      continued: true,
      truncated: true,
    });
  });

  it('does not flag a range that follows line boundaries', () => {
    expect(lineSpan(content, lines, 5, 10)).toEqual({
      startLine: 2,
      endLine: 2,
      continued: false,
      truncated: false,
    });
    expect(lineSpan(content, lines, 10, 14)).toEqual({
      startLine: 3,
      endLine: 3,
      continued: false,
      truncated: false,
    });
  });
});

describe('countPages', () => {
  it('counts enough pages to reach every character, even of one long line', () => {
    expect(countPages('x'.repeat(10_000), 4000)).toBe(3);
    expect(countPages('x'.repeat(8000), 4000)).toBe(2);
    expect(countPages('', 4000)).toBe(1);
  });
});

describe('readPage', () => {
  it('slices pages by characters and reports their lines', () => {
    const content = 'line1\nline2\nline3\n';
    const lines = indexLines(content);
    expect(readPage(content, lines, 8, 1)).toEqual({
      text: 'line1\nli',
      startLine: 1,
      endLine: 2,
      continued: false,
      truncated: true,
    });
    expect(readPage(content, lines, 8, 2)).toEqual({
      text: 'ne2\nline',
      startLine: 2,
      endLine: 3,
      continued: true,
      truncated: true,
    });
    expect(readPage(content, lines, 8, 3)).toEqual({
      text: '3\n',
      startLine: 3,
      endLine: 3,
      continued: true,
      truncated: false,
    });
  });

  it('returns an empty page on the last line past the end', () => {
    const lines = indexLines('ab\ncd');
    expect(readPage('ab\ncd', lines, 10, 2)).toEqual({
      text: '',
      startLine: 2,
      endLine: 2,
      continued: false,
      truncated: false,
    });
  });
});
