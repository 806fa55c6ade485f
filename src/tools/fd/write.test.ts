import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileDescriptorManager } from './manager.js';
import { writeDescriptorToFile } from './write.js';

const settings = {
  maxDirectOutputChars: 50,
  defaultPageSize: 10,
  maxInputChars: 100,
  pageUserInput: true,
  enableReferences: false,
};

describe('writeDescriptorToFile', () => {
  let dir: string;
  let manager: FileDescriptorManager;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'llmproc-fd-write-'));
    manager = new FileDescriptorManager(settings);
    manager.create('héllo\nworld\n');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the full content, creating parent folders (B107)', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'out.txt');
    const text = await writeDescriptorToFile(manager, { fd: 'fd:1', filePath: file });
    expect(await readFile(file, 'utf8')).toBe('héllo\nworld\n');
    expect(text).toBe(
      `<fd_file_result fd="fd:1" file_path="${file}" mode="write" char_count="12" size_bytes="13" success="true" create="true" exist_ok="true">\n` +
        `  <message>File descriptor fd:1 content (12 chars) successfully written to ${file}</message>\n` +
        '</fd_file_result>',
    );
  });

  it('appends in append mode (B107)', async () => {
    const file = path.join(dir, 'log.txt');
    await writeFile(file, 'before\n');
    const text = await writeDescriptorToFile(manager, {
      fd: 'fd:1',
      filePath: file,
      mode: 'append',
    });
    expect(await readFile(file, 'utf8')).toBe('before\nhéllo\nworld\n');
    expect(text).toBe(
      `<fd_file_result fd="fd:1" file_path="${file}" mode="append" char_count="12" size_bytes="20" success="true" create="true" exist_ok="true">\n` +
        `  <message>File descriptor fd:1 content (12 chars) successfully appended to ${file}</message>\n` +
        '</fd_file_result>',
    );
  });

  it('refuses an existing file when exist_ok is false, leaving it alone (B107)', async () => {
    const file = path.join(dir, 'keep.txt');
    await writeFile(file, 'original');
    await expect(
      writeDescriptorToFile(manager, { fd: 'fd:1', filePath: file, existOk: false }),
    ).rejects.toMatchObject({
      type: 'invalid_parameter',
      message: `File ${file} already exists and exist_ok=false`,
    });
    expect(await readFile(file, 'utf8')).toBe('original');
  });

  it('refuses a missing file when create is false', async () => {
    const file = path.join(dir, 'absent.txt');
    await expect(
      writeDescriptorToFile(manager, { fd: 'fd:1', filePath: file, create: false }),
    ).rejects.toMatchObject({
      type: 'invalid_parameter',
      message: `File ${file} doesn't exist and create=false`,
    });
  });

  it('refuses an unknown mode and an unknown descriptor', async () => {
    const file = path.join(dir, 'x.txt');
    await expect(
      writeDescriptorToFile(manager, { fd: 'fd:1', filePath: file, mode: 'overwrite' }),
    ).rejects.toMatchObject({
      type: 'invalid_parameter',
      message: "Invalid mode: overwrite. Valid options are 'write' or 'append'.",
    });
    await expect(
      writeDescriptorToFile(manager, { fd: 'fd:2', filePath: file }),
    ).rejects.toMatchObject({
      type: 'not_found',
      message: 'File descriptor fd:2 not found. Available FDs: fd:1',
    });
  });

  it('reports a file system failure as a write error', async () => {
    const blocker = path.join(dir, 'blocker');
    await writeFile(blocker, 'a file, not a folder');
    await expect(
      writeDescriptorToFile(manager, { fd: 'fd:1', filePath: path.join(blocker, 'out.txt') }),
    ).rejects.toMatchObject({
      type: 'write_error',
      message: expect.stringMatching(/^Error writing file descriptor to file: /) as unknown,
    });
  });
});
