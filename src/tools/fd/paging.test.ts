import { afterEach, describe, expect, it } from 'vitest';
import { setLogger, type Logger } from '../../internal/logger.js';
import { ToolResult } from '../tool-result.js';
import { FileDescriptorManager, type FileDescriptorSettings } from './manager.js';
import { extractReferences, maybePageToolOutput, maybePageUserInput } from './paging.js';

const settings: FileDescriptorSettings = {
  maxDirectOutputChars: 30,
  defaultPageSize: 12,
  maxInputChars: 40,
  pageUserInput: true,
  enableReferences: true,
};

describe('maybePageToolOutput', () => {
  it('replaces a long text result by an fd_result with the first page (B101)', () => {
    const manager = new FileDescriptorManager(settings);
    const long = 'first line\nsecond line\nthird line\n';
    const paged = maybePageToolOutput(manager, 'read_file', ToolResult.fromSuccess(long));
    expect(paged.toJSON()).toEqual({
      content: [
        '<fd_result fd="fd:1" pages="3" truncated="true" lines="1-2" total_lines="3" source="tool_result">',
        '  <message>Output exceeds 30 characters. Use read_fd to read more pages.</message>',
        '  <preview>',
        '  first line\ns',
        '  </preview>',
        '</fd_result>',
      ].join('\n'),
      isError: false,
      abortExecution: false,
    });
    expect(manager.get('fd:1')?.content).toBe(long);
  });

  it('leaves short results, errors and non-text content alone', () => {
    const manager = new FileDescriptorManager(settings);
    const short = ToolResult.fromSuccess('x'.repeat(30));
    const error = ToolResult.fromError('e'.repeat(100));
    const json = ToolResult.fromSuccess({ text: 'j'.repeat(100) });
    expect(maybePageToolOutput(manager, 'calculator', short)).toBe(short);
    expect(maybePageToolOutput(manager, 'calculator', error)).toBe(error);
    expect(maybePageToolOutput(manager, 'calculator', json)).toBe(json);
    expect(manager.ids()).toEqual([]);
  });

  it('never pages the output of read_fd or fd_to_file (B102)', () => {
    const manager = new FileDescriptorManager(settings);
    const page = ToolResult.fromSuccess('p'.repeat(100));
    expect(maybePageToolOutput(manager, 'read_fd', page)).toBe(page);
    expect(maybePageToolOutput(manager, 'fd_to_file', page)).toBe(page);
    expect(manager.ids()).toEqual([]);
  });

  it('keeps the abort flag of a paged result', () => {
    const manager = new FileDescriptorManager(settings);
    expect(
      maybePageToolOutput(manager, 'tool', ToolResult.fromAbort('a'.repeat(100))).abortExecution,
    ).toBe(true);
  });
});

describe('maybePageUserInput', () => {
  it('stores long input in an fd and leaves a preview reference (B108)', () => {
    const manager = new FileDescriptorManager({ ...settings, maxInputChars: 100 });
    const input = `  Please summarize this: ${'text '.repeat(20)}`;
    expect(maybePageUserInput(manager, input)).toBe(
      '<fd:fd:1 preview="Ple..." type="user_input" size="125">\n' +
        'This large user input has been stored in file descriptor fd:1. Use read_fd(fd="fd:1") to access the content.',
    );
    expect(manager.get('fd:1')).toMatchObject({ content: input, source: 'user_input' });
  });

  it('keeps input at the limit, or any input when paging is off', () => {
    expect(maybePageUserInput(new FileDescriptorManager(settings), 'x'.repeat(40))).toBe(
      'x'.repeat(40),
    );
    const off = new FileDescriptorManager({ ...settings, pageUserInput: false });
    expect(maybePageUserInput(off, 'x'.repeat(100))).toBe('x'.repeat(100));
    expect(off.ids()).toEqual([]);
  });
});

describe('extractReferences', () => {
  let restore: Logger | undefined;
  afterEach(() => {
    if (restore) setLogger(restore);
    restore = undefined;
  });

  it('stores a ref span as a readable "ref:<id>" descriptor (B109)', () => {
    const manager = new FileDescriptorManager(settings);
    const stored = extractReferences(manager, 'Here: <ref id="a">x</ref> done.');
    expect(stored).toEqual([{ id: 'a', fd: 'ref:a', length: 1 }]);
    expect(manager.get('ref:a')).toMatchObject({
      content: 'x',
      source: 'reference',
      totalPages: 1,
    });
  });

  it('keeps only the outermost of nested refs, with its whole content', () => {
    const manager = new FileDescriptorManager(settings);
    extractReferences(
      manager,
      '<ref id="outer">a <ref id="inner">b</ref> c</ref><ref id="next" kind="code">\nd\n</ref>',
    );
    expect(manager.ids()).toEqual(['ref:next', 'ref:outer']);
    expect(manager.get('ref:outer')?.content).toBe('a <ref id="inner">b</ref> c');
    expect(manager.get('ref:next')?.content).toBe('\nd\n');
  });

  it('lets a later ref replace an earlier one of the same name, with a warning', () => {
    const warnings: string[] = [];
    restore = setLogger({
      debug: () => undefined,
      info: () => undefined,
      warn: (m) => warnings.push(m),
      error: () => undefined,
    });
    const manager = new FileDescriptorManager(settings);
    extractReferences(manager, '<ref id="a">one</ref>');
    extractReferences(manager, '<ref id="a">two</ref> <ref id="a">three</ref>');
    expect(manager.get('ref:a')?.content).toBe('three');
    expect(warnings).toEqual(["Overwriting existing reference 'a' with new content"]);
  });

  it('ignores unbalanced tags and does nothing when references are off', () => {
    const manager = new FileDescriptorManager(settings);
    expect(extractReferences(manager, '</ref><ref id="open">never closed')).toEqual([]);
    const off = new FileDescriptorManager({ ...settings, enableReferences: false });
    expect(extractReferences(off, '<ref id="a">x</ref>')).toEqual([]);
    expect(off.ids()).toEqual([]);
  });
});
