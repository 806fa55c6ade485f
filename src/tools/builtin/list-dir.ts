import { lstat, readdir, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from '../../internal/zod.js';
import { errorMessage } from '../../errors.js';
import { defineTool } from '../define-tool.js';
import { ToolResult } from '../tool-result.js';
import type { Tool } from '../types.js';
import { formatFixed } from './calculator-numbers.js';
import { confinementProblem, unconfinedFileAccess, type FileAccessPolicy } from '../file-access.js';

/**
 * "1.2 KB": one decimal, units of 1024, as the original printed sizes. Python's formatting rounds
 * exact ties to even (1280 bytes is "1.2 KB"); toFixed would round them up.
 */
export function formatSize(bytes: number): string {
  let size = bytes;
  for (const unit of ['B', 'KB', 'MB', 'GB', 'TB']) {
    if (size < 1024) return `${formatFixed(size, 1)} ${unit}`;
    size /= 1024;
  }
  return `${formatFixed(size, 1)} PB`;
}

/** "YYYY-MM-DD HH:MM:SS" in local time. */
export function formatTime(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    `${String(date.getFullYear())}-${two(date.getMonth() + 1)}-${two(date.getDate())} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`
  );
}

/** Code-unit order, as Python sorts strings (so "d ..." lines come before "f ..." ones). */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function describeEntry(directory: string, name: string, detailed: boolean): Promise<string> {
  const entry = path.join(directory, name);
  let info;
  try {
    // stat follows symlinks, as Python's Path.is_dir() and Path.stat() do.
    info = await stat(entry);
  } catch (error) {
    // A symlink to nothing (or in a loop) is listed as such rather than failing the whole folder.
    if (!(await lstat(entry)).isSymbolicLink()) throw error;
    return `l ${name} -> ${await readlink(entry)} (broken symlink)`;
  }
  const kind = info.isDirectory() ? 'd' : 'f';
  if (!detailed) return `${kind} ${name}`;
  return `${kind} ${name} (Size: ${formatSize(info.size)}, Modified: ${formatTime(info.mtime)})`;
}

/**
 * Build `list_dir` for a policy: "d name" / "f name" lines sorted as text (so folders come first),
 * "l name -> target (broken symlink)" for a link to nothing, dot-files hidden unless asked for,
 * sizes and modification times when `detailed`.
 */
export function createListDirTool(policy: FileAccessPolicy = unconfinedFileAccess): Tool {
  return defineTool({
    name: 'list_dir',
    description:
      'Lists directory contents with options for showing hidden files and detailed information.',
    access: 'read',
    parameters: z.object({
      directory_path: z.string().optional().meta({
        default: '.',
        description:
          'Absolute or relative path to the directory to list. Defaults to current working directory if not specified.',
      }),
      show_hidden: z.boolean().optional().meta({
        default: false,
        description:
          'Whether to include hidden files and directories in the listing. Defaults to False.',
      }),
      detailed: z.boolean().optional().meta({
        default: false,
        description:
          'Whether to show detailed information (size, permissions, modification time) for each item. Defaults to False.',
      }),
    }),
    execute: async ({
      directory_path: given = '.',
      show_hidden: showHidden = false,
      detailed = false,
    }) => {
      const directory = path.resolve(given);
      try {
        const denied = await confinementProblem(policy, directory);
        if (denied !== undefined) return ToolResult.fromError(denied);
        let isDirectory: boolean;
        try {
          isDirectory = (await stat(directory)).isDirectory();
        } catch {
          return ToolResult.fromError(`Directory not found: ${directory}`);
        }
        if (!isDirectory) return ToolResult.fromError(`Path is not a directory: ${directory}`);
        const names = (await readdir(directory)).filter(
          (name) => showHidden || !name.startsWith('.'),
        );
        const lines = await Promise.all(
          names.map((name) => describeEntry(directory, name, detailed)),
        );
        lines.sort(byText);
        if (lines.length === 0) return ToolResult.fromSuccess(`Directory '${directory}' is empty.`);
        return ToolResult.fromSuccess(`Contents of '${directory}':\n${lines.join('\n')}`);
      } catch (error) {
        return ToolResult.fromError(`Error listing directory ${given}: ${errorMessage(error)}`);
      }
    },
  });
}

/** `list_dir` with no confinement (llmproc 0.9.2's reach). */
export const listDirTool: Tool = createListDirTool();
