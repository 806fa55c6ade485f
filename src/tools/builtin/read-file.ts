import { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { z } from '../../internal/zod.js';
import { errorMessage } from '../../errors.js';
import { defineTool } from '../define-tool.js';
import {
  confinementProblem,
  fileKind,
  unconfinedFileAccess,
  type FileAccessPolicy,
} from '../file-access.js';
import { ToolResult } from '../tool-result.js';
import type { Tool } from '../types.js';

const chunkBytes = 64 * 1024;

/**
 * Read at most `limit` bytes of an open regular file, a chunk at a time (so a huge file is never
 * loaded whole, and an abort is seen between chunks), decoding UTF-8 as it goes. Fatal decoding, so
 * a binary file is an error (as it was in Python) rather than U+FFFD soup; a character cut in two by
 * the limit is left out.
 */
async function readBounded(
  handle: FileHandle,
  limit: number,
  signal: AbortSignal | undefined,
): Promise<{ text: string; bytesRead: number; complete: boolean }> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const buffer = Buffer.alloc(Math.min(chunkBytes, limit + 1));
  const parts: string[] = [];
  let bytesRead = 0;
  // One byte past the limit tells a file of exactly `limit` bytes from a longer one.
  while (bytesRead <= limit) {
    signal?.throwIfAborted();
    const want = Math.min(buffer.length, limit + 1 - bytesRead);
    const { bytesRead: got } = await handle.read(buffer, 0, want, bytesRead);
    if (got === 0) {
      parts.push(decoder.decode());
      return { text: parts.join(''), bytesRead, complete: true };
    }
    const kept = Math.min(got, limit - bytesRead);
    parts.push(decoder.decode(buffer.subarray(0, kept), { stream: true }));
    bytesRead += got;
  }
  // Over the limit: what was decoded stands; an incomplete last character is dropped.
  return { text: parts.join(''), bytesRead: limit, complete: false };
}

function notRegular(target: string, info: Stats): ToolResult {
  return ToolResult.fromError(
    `Cannot read ${target}: it is ${fileKind(info)}; read_file reads regular files only`,
  );
}

/**
 * Build `read_file` for a policy: the text of a regular file, its path relative to the current
 * directory. Anything else (a FIFO, a device, a socket, a folder) is an error result naming what it
 * is; a file over `policy.maxReadBytes` gives its first part and a note saying so.
 */
export function createReadFileTool(policy: FileAccessPolicy = unconfinedFileAccess): Tool {
  return defineTool({
    name: 'read_file',
    description: 'Reads a file from the file system and returns its contents.',
    access: 'read',
    parameters: z.object({
      file_path: z.string().describe('Absolute or relative path to the file to read.'),
    }),
    execute: async ({ file_path: filePath }, context) => {
      const target = path.resolve(filePath);
      let handle: FileHandle;
      try {
        const denied = await confinementProblem(policy, target);
        if (denied !== undefined) return ToolResult.fromError(denied);
        // Some kinds cannot even be opened (a socket); say what they are rather than how open failed.
        const kind = await stat(target);
        if (!kind.isFile()) return notRegular(target, kind);
        // O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer, in a thread no abort
        // reaches; for a regular file the flag changes nothing.
        handle = await open(target, constants.O_RDONLY | constants.O_NONBLOCK);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          return ToolResult.fromError(`File not found: ${target}`);
        return ToolResult.fromError(`Error reading file ${filePath}: ${errorMessage(error)}`);
      }
      try {
        // Checked on the open file, so the path cannot be swapped between the check and the read.
        const info = await handle.stat();
        if (!info.isFile()) return notRegular(target, info);
        const limit = policy.maxReadBytes;
        const { text, complete } = await readBounded(handle, limit, context.signal);
        if (complete) return ToolResult.fromSuccess(text);
        return ToolResult.fromSuccess(
          `${text}\n\n[read_file: the file has ${String(info.size)} bytes; only the first ${String(limit)} are shown]`,
        );
      } catch (error) {
        return ToolResult.fromError(`Error reading file ${filePath}: ${errorMessage(error)}`);
      } finally {
        await handle.close();
      }
    },
  });
}

/** `read_file` with no confinement (llmproc 0.9.2's reach) and the default read bound. */
export const readFileTool: Tool = createReadFileTool();
