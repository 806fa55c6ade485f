import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileDescriptorManager } from '../fd/manager.js';
import { createFdToFileTool, fdToFileTool } from './fd-to-file.js';
import { callTool, fakeContext } from './tool-harness.test-helper.js';

const settings = {
  maxDirectOutputChars: 50,
  defaultPageSize: 10,
  maxInputChars: 100,
  pageUserInput: true,
  enableReferences: true,
};

describe('fd_to_file tool', () => {
  let dir: string;
  let manager: FileDescriptorManager;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'llmproc-fd-to-file-'));
    manager = new FileDescriptorManager(settings);
    manager.create('saved text');
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a descriptor to a path relative to the current directory', async () => {
    vi.spyOn(process, 'cwd').mockReturnValue(dir);
    const result = await callTool(
      fdToFileTool,
      { fd: 'fd:1', file_path: 'out/saved.txt' },
      fakeContext({ fileDescriptors: manager }),
    );
    expect(result.toJSON()).toEqual({
      content:
        '<fd_file_result fd="fd:1" file_path="out/saved.txt" mode="write" char_count="10" size_bytes="10" success="true" create="true" exist_ok="true">\n' +
        '  <message>File descriptor fd:1 content (10 chars) successfully written to out/saved.txt</message>\n' +
        '</fd_file_result>',
      isError: false,
      abortExecution: false,
    });
    expect(await readFile(path.join(dir, 'out', 'saved.txt'), 'utf8')).toBe('saved text');
  });

  it('answers exist_ok=false on an existing file with an invalid_parameter fd_error (B107)', async () => {
    const file = path.join(dir, 'existing.txt');
    await writeFile(file, 'keep');
    const result = await callTool(
      createFdToFileTool(() => manager),
      { fd: 'fd:1', file_path: file, exist_ok: false },
    );
    expect(result.toJSON()).toEqual({
      content: `<fd_error type="invalid_parameter" fd="fd:1">\n  <message>File ${file} already exists and exist_ok=false</message>\n</fd_error>`,
      isError: true,
      abortExecution: false,
    });
    expect(await readFile(file, 'utf8')).toBe('keep');
  });

  it('answers an unknown descriptor with a not_found fd_error', async () => {
    const result = await callTool(
      createFdToFileTool(() => manager),
      { fd: 'ref:x', file_path: path.join(dir, 'a') },
    );
    expect(result.content).toBe(
      '<fd_error type="not_found" fd="ref:x">\n  <message>File descriptor ref:x not found. Available FDs: fd:1</message>\n</fd_error>',
    );
  });

  it('fails plainly in a process without file descriptors', async () => {
    const result = await callTool(
      fdToFileTool,
      { fd: 'fd:1', file_path: 'x' },
      fakeContext({ fileDescriptors: undefined }),
    );
    expect(result.contentText()).toBe('File descriptor system is not enabled for this process');
  });

  it('needs write access, fd and file_path', () => {
    expect(fdToFileTool.access).toBe('write');
    expect(fdToFileTool.inputSchema['required']).toEqual(['fd', 'file_path']);
    expect(fdToFileTool.inputSchema['properties']).toMatchObject({
      mode: { type: 'string', enum: ['write', 'append'], default: 'write' },
      create: { type: 'boolean', default: true },
      exist_ok: { type: 'boolean', default: true },
    });
  });
});
