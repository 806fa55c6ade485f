import { describe, expect, it } from 'vitest';
import { FileDescriptorManager } from './manager.js';
import { readDescriptor } from './read.js';

const settings = {
  maxDirectOutputChars: 50,
  defaultPageSize: 10,
  maxInputChars: 100,
  pageUserInput: true,
  enableReferences: false,
};

/** Five lines of six characters: "line1\n" ... "line5\n". */
function managerWithLines(): FileDescriptorManager {
  const manager = new FileDescriptorManager(settings);
  manager.create('line1\nline2\nline3\nline4\nline5\n');
  return manager;
}

describe('readDescriptor', () => {
  it('reads page 2 as characters [size, 2*size) (B103)', () => {
    expect(readDescriptor(managerWithLines(), { fd: 'fd:1', start: 2 })).toBe(
      '<fd_content fd="fd:1" page="2" pages="3" continued="true" truncated="true" lines="2-4" total_lines="5" mode="page" start="2" count="1">\n' +
        '2\nline3\nli\n' +
        '</fd_content>',
    );
  });

  it('reads page 2 of a single long line, which the original could not', () => {
    const manager = new FileDescriptorManager({ ...settings, defaultPageSize: 4000 });
    manager.create(`${'a'.repeat(4000)}${'b'.repeat(4000)}${'c'.repeat(2000)}`);
    const text = readDescriptor(manager, { fd: 'fd:1', mode: 'page', start: 2 });
    expect(text).toBe(
      `<fd_content fd="fd:1" page="2" pages="3" continued="true" truncated="true" lines="1-1" total_lines="1" mode="page" start="2" count="1">\n${'b'.repeat(4000)}\n</fd_content>`,
    );
  });

  it('reads several pages at once without a page attribute', () => {
    expect(readDescriptor(managerWithLines(), { fd: 'fd:1', start: 2, count: 5 })).toBe(
      '<fd_content fd="fd:1" pages="3" continued="true" truncated="false" lines="2-5" total_lines="5" mode="page" start="2" count="5">\n' +
        '2\nline3\nline4\nline5\n\n' +
        '</fd_content>',
    );
  });

  it('reads exactly lines 2-3 in line mode (B105)', () => {
    expect(
      readDescriptor(managerWithLines(), { fd: 'fd:1', mode: 'line', start: 2, count: 2 }),
    ).toBe(
      '<fd_content fd="fd:1" pages="3" continued="false" truncated="false" lines="2-3" total_lines="5" mode="line" start="2" count="2">\n' +
        'line2\nline3\n\n' +
        '</fd_content>',
    );
  });

  it('clamps a line range at the last line and reports the lines read', () => {
    expect(
      readDescriptor(managerWithLines(), { fd: 'fd:1', mode: 'line', start: 5, count: 3 }),
    ).toBe(
      '<fd_content fd="fd:1" pages="3" continued="false" truncated="false" lines="5-5" total_lines="5" mode="line" start="5" count="1">\n' +
        'line5\n\n' +
        '</fd_content>',
    );
  });

  it('reads characters from a 0-based offset in char mode', () => {
    expect(
      readDescriptor(managerWithLines(), { fd: 'fd:1', mode: 'char', start: 3, count: 5 }),
    ).toBe(
      '<fd_content fd="fd:1" pages="3" continued="false" truncated="false" lines="1-2" total_lines="5" mode="char" start="3" count="5">\n' +
        'e1\nli\n' +
        '</fd_content>',
    );
  });

  it('reads everything with read_all', () => {
    expect(readDescriptor(managerWithLines(), { fd: 'fd:1', readAll: true })).toBe(
      '<fd_content fd="fd:1" page="all" pages="3" continued="false" truncated="false" lines="1-5" total_lines="5" mode="all">\n' +
        'line1\nline2\nline3\nline4\nline5\n\n' +
        '</fd_content>',
    );
  });

  it('extracts a selection to the next sequential descriptor (B106)', () => {
    const manager = managerWithLines();
    manager.create('another output');
    expect(
      readDescriptor(manager, {
        fd: 'fd:1',
        mode: 'line',
        start: 2,
        count: 2,
        extractToNewFd: true,
      }),
    ).toBe(
      '<fd_extraction source_fd="fd:1" new_fd="fd:3" mode="line" content_size="12" start="2" count="2">\n' +
        '  <message>Content from fd:1 has been extracted to fd:3</message>\n' +
        '</fd_extraction>',
    );
    expect(manager.get('fd:3')?.content).toBe('line2\nline3\n');
  });

  it('marks a page-mode extraction with its page and a read_all one with position="all"', () => {
    const manager = managerWithLines();
    expect(readDescriptor(manager, { fd: 'fd:1', start: 1, extractToNewFd: true })).toBe(
      '<fd_extraction source_fd="fd:1" new_fd="fd:2" mode="page" content_size="10" start="1" count="1" page="1">\n' +
        '  <message>Content from fd:1 has been extracted to fd:2</message>\n' +
        '</fd_extraction>',
    );
    expect(readDescriptor(manager, { fd: 'fd:1', readAll: true, extractToNewFd: true })).toBe(
      '<fd_extraction source_fd="fd:1" new_fd="fd:3" mode="page" content_size="30" position="all">\n' +
        '  <message>Content from fd:1 has been extracted to fd:3</message>\n' +
        '</fd_extraction>',
    );
  });

  it('refuses out-of-range positions with the valid range', () => {
    const manager = managerWithLines();
    expect(() => readDescriptor(manager, { fd: 'fd:1', start: 4 })).toThrow(
      'Invalid page number. Valid range: 1-3',
    );
    expect(() => readDescriptor(manager, { fd: 'fd:1', start: 0 })).toThrow(
      'Invalid page number. Valid range: 1-3',
    );
    expect(() => readDescriptor(manager, { fd: 'fd:1', mode: 'line', start: 6 })).toThrow(
      'Invalid line start position. Valid range: 1-5',
    );
    expect(() => readDescriptor(manager, { fd: 'fd:1', mode: 'char', start: 30 })).toThrow(
      'Invalid character start position. Valid range: 0-29',
    );
  });

  it('refuses an unknown mode and a count below one as invalid_page', () => {
    const manager = managerWithLines();
    expect(() => readDescriptor(manager, { fd: 'fd:1', mode: 'word' })).toThrow(
      expect.objectContaining({
        type: 'invalid_page',
        message: "Invalid mode: word. Valid options are 'page', 'line', or 'char'.",
      }),
    );
    expect(() => readDescriptor(manager, { fd: 'fd:1', count: 0 })).toThrow(
      expect.objectContaining({
        type: 'invalid_page',
        message: 'Invalid count: 0. It must be a positive integer.',
      }),
    );
  });

  it('names the available descriptors when one is unknown', () => {
    expect(() => readDescriptor(managerWithLines(), { fd: 'fd:7' })).toThrow(
      expect.objectContaining({
        type: 'not_found',
        message: 'File descriptor fd:7 not found. Available FDs: fd:1',
      }),
    );
  });
});
