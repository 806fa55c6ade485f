import { mkdtemp, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatSize, formatTime, listDirTool } from './list-dir.js';
import { callTool } from './tool-harness.test-helper.js';

describe('list_dir tool', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'llmproc-list-dir-'));
    await mkdir(path.join(dir, 'zeta'));
    await mkdir(path.join(dir, '.git'));
    await writeFile(path.join(dir, 'alpha.txt'), 'x'.repeat(1280));
    await writeFile(path.join(dir, '.env'), 'SECRET=1');
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists folders first as "d name" and files as "f name", hiding dot-files (B63)', async () => {
    const result = await callTool(listDirTool, { directory_path: dir });
    expect(result.toJSON()).toEqual({
      content: `Contents of '${dir}':\nd zeta\nf alpha.txt`,
      isError: false,
      abortExecution: false,
    });
  });

  it('shows dot-files when asked', async () => {
    const result = await callTool(listDirTool, { directory_path: dir, show_hidden: true });
    expect(result.content).toBe(`Contents of '${dir}':\nd .git\nd zeta\nf .env\nf alpha.txt`);
  });

  it('lists the current directory by default', async () => {
    vi.spyOn(process, 'cwd').mockReturnValue(dir);
    const result = await callTool(listDirTool, {});
    expect(result.content).toBe(`Contents of '${dir}':\nd zeta\nf alpha.txt`);
  });

  it('adds size and modification time in detailed mode', async () => {
    const when = new Date(2024, 0, 2, 3, 4, 5);
    await utimes(path.join(dir, 'alpha.txt'), when, when);
    const result = await callTool(listDirTool, { directory_path: dir, detailed: true });
    const lines = result.contentText().split('\n');
    expect(lines[2]).toBe('f alpha.txt (Size: 1.2 KB, Modified: 2024-01-02 03:04:05)');
    expect(lines[1]).toMatch(
      /^d zeta \(Size: \d+\.\d (B|KB), Modified: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\)$/,
    );
  });

  it('says so when a folder is empty', async () => {
    const empty = path.join(dir, 'zeta');
    const result = await callTool(listDirTool, { directory_path: empty });
    expect(result.toJSON()).toEqual({
      content: `Directory '${empty}' is empty.`,
      isError: false,
      abortExecution: false,
    });
  });

  it('refuses a file with "Path is not a directory" (B64)', async () => {
    const file = path.join(dir, 'alpha.txt');
    const result = await callTool(listDirTool, { directory_path: file });
    expect(result.toJSON()).toEqual({
      content: `Path is not a directory: ${file}`,
      isError: true,
      abortExecution: false,
    });
  });

  it('reports a missing folder by its absolute path', async () => {
    vi.spyOn(process, 'cwd').mockReturnValue(dir);
    const result = await callTool(listDirTool, { directory_path: 'nope' });
    expect(result.toJSON()).toEqual({
      content: `Directory not found: ${path.join(dir, 'nope')}`,
      isError: true,
      abortExecution: false,
    });
  });
});

describe('list_dir formatting', () => {
  it('prints sizes with one decimal in 1024 steps, rounding ties to even', () => {
    expect(formatSize(0)).toBe('0.0 B');
    expect(formatSize(1023)).toBe('1023.0 B');
    expect(formatSize(1280)).toBe('1.2 KB');
    expect(formatSize(1536)).toBe('1.5 KB');
    expect(formatSize(5 * 1024 ** 3)).toBe('5.0 GB');
    expect(formatSize(2 * 1024 ** 5)).toBe('2.0 PB');
  });

  it('prints local time as YYYY-MM-DD HH:MM:SS', () => {
    expect(formatTime(new Date(2023, 11, 31, 23, 59, 7))).toBe('2023-12-31 23:59:07');
  });
});
