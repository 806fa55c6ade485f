import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFileTool } from './read-file.js';
import { callTool } from './tool-harness.test-helper.js';

describe('read_file tool', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'llmproc-read-file-'));
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  it('returns the whole text of a file', async () => {
    const file = path.join(dir, 'notes.txt');
    await writeFile(file, 'line one\nline two\n');
    const result = await callTool(readFileTool, { file_path: file });
    expect(result.toJSON()).toEqual({
      content: 'line one\nline two\n',
      isError: false,
      abortExecution: false,
    });
  });

  it('resolves a relative path against the current directory', async () => {
    await writeFile(path.join(dir, 'relative.txt'), 'found me');
    vi.spyOn(process, 'cwd').mockReturnValue(dir);
    const result = await callTool(readFileTool, { file_path: 'relative.txt' });
    expect(result.content).toBe('found me');
  });

  it('names the absolute path of a missing file (B62)', async () => {
    vi.spyOn(process, 'cwd').mockReturnValue(dir);
    const result = await callTool(readFileTool, { file_path: 'missing.txt' });
    expect(result.toJSON()).toEqual({
      content: `File not found: ${path.join(dir, 'missing.txt')}`,
      isError: true,
      abortExecution: false,
    });
  });

  it('reports a folder as an error naming what it is', async () => {
    await mkdir(path.join(dir, 'sub'));
    const result = await callTool(readFileTool, { file_path: path.join(dir, 'sub') });
    expect(result.isError).toBe(true);
    expect(result.content).toBe(
      `Cannot read ${path.join(dir, 'sub')}: it is a directory; read_file reads regular files only`,
    );
  });

  it('refuses a file that is not UTF-8 text', async () => {
    const file = path.join(dir, 'image.bin');
    await writeFile(file, Buffer.from([0xff, 0xfe, 0x00, 0x80]));
    const result = await callTool(readFileTool, { file_path: file });
    expect(result.isError).toBe(true);
    expect(result.content).toBe(
      `Error reading file ${file}: The encoded data was not valid for encoding utf-8`,
    );
  });

  it('is a read-level tool with one required parameter', () => {
    expect(readFileTool.access).toBe('read');
    expect(readFileTool.inputSchema['required']).toEqual(['file_path']);
  });
});
