import { describe, expect, it } from 'vitest';
import { FileDescriptorManager } from '../fd/manager.js';
import { createReadFdTool, readFdTool } from './read-fd.js';
import { callTool, fakeContext } from './tool-harness.test-helper.js';

const settings = {
  maxDirectOutputChars: 50,
  defaultPageSize: 10,
  maxInputChars: 100,
  pageUserInput: true,
  enableReferences: true,
};

function withContent(content: string): FileDescriptorManager {
  const manager = new FileDescriptorManager(settings);
  manager.create(content);
  return manager;
}

describe('read_fd tool', () => {
  it('reads through the manager on context.process.fileDescriptors', async () => {
    const manager = withContent('0123456789abcdefghij');
    const result = await callTool(
      readFdTool,
      { fd: 'fd:1', start: 2 },
      fakeContext({ fileDescriptors: manager }),
    );
    expect(result.toJSON()).toEqual({
      content:
        '<fd_content fd="fd:1" page="2" pages="2" continued="true" truncated="false" lines="1-1" total_lines="1" mode="page" start="2" count="1">\nabcdefghij\n</fd_content>',
      isError: false,
      abortExecution: false,
    });
  });

  it('answers an unknown descriptor with a not_found fd_error listing the others (B104)', async () => {
    const manager = withContent('content');
    manager.storeReference('notes', 'n');
    const tool = createReadFdTool(() => manager);
    const result = await callTool(tool, { fd: 'fd:9' });
    expect(result.toJSON()).toEqual({
      content:
        '<fd_error type="not_found" fd="fd:9">\n  <message>File descriptor fd:9 not found. Available FDs: fd:1, ref:notes</message>\n</fd_error>',
      isError: true,
      abortExecution: false,
    });
  });

  it('answers a bad page or mode with an invalid_page fd_error', async () => {
    const tool = createReadFdTool(() => withContent('short'));
    expect((await callTool(tool, { fd: 'fd:1', start: 3 })).content).toBe(
      '<fd_error type="invalid_page" fd="fd:1">\n  <message>Invalid page number. Valid range: 1-1</message>\n</fd_error>',
    );
    expect((await callTool(tool, { fd: 'fd:1', mode: 'words' })).content).toBe(
      "<fd_error type=\"invalid_page\" fd=\"fd:1\">\n  <message>Invalid mode: words. Valid options are 'page', 'line', or 'char'.</message>\n</fd_error>",
    );
  });

  it('reads a reference like any other descriptor', async () => {
    const manager = new FileDescriptorManager(settings);
    manager.storeReference('a', 'x');
    const result = await callTool(
      createReadFdTool(() => manager),
      { fd: 'ref:a', read_all: true },
    );
    expect(result.content).toBe(
      '<fd_content fd="ref:a" page="all" pages="1" continued="false" truncated="false" lines="1-1" total_lines="1" mode="all">\nx\n</fd_content>',
    );
  });

  it('fails plainly in a process without file descriptors', async () => {
    const result = await callTool(readFdTool, { fd: 'fd:1' }, fakeContext({}));
    expect(result.toJSON()).toEqual({
      content: 'File descriptor system is not enabled for this process',
      isError: true,
      abortExecution: false,
    });
  });

  it('needs write access and only the fd parameter', () => {
    expect(readFdTool.access).toBe('write');
    expect(readFdTool.inputSchema['required']).toEqual(['fd']);
    expect(readFdTool.inputSchema['properties']).toMatchObject({
      mode: { type: 'string', enum: ['page', 'line', 'char'], default: 'page' },
      start: { type: 'integer', default: 1 },
      count: { type: 'integer', default: 1 },
      read_all: { type: 'boolean', default: false },
      extract_to_new_fd: { type: 'boolean', default: false },
    });
  });
});
