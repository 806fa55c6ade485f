import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from '../../internal/zod.js';
import { errorMessage } from '../../errors.js';
import { defineTool } from '../define-tool.js';
import { ToolResult } from '../tool-result.js';
import type { Tool } from '../types.js';

/**
 * The `read_file` builtin (read access): the whole text of a file, its path relative to the
 * current directory. No size limit; with the fd system on, a long result is paged afterwards.
 */
export const readFileTool: Tool = defineTool({
  name: 'read_file',
  description: 'Reads a file from the file system and returns its contents.',
  access: 'read',
  parameters: z.object({
    file_path: z.string().describe('Absolute or relative path to the file to read.'),
  }),
  execute: async ({ file_path: filePath }, context) => {
    const target = path.resolve(filePath);
    try {
      await stat(target);
    } catch {
      return ToolResult.fromError(`File not found: ${target}`);
    }
    try {
      const bytes = await readFile(target, context.signal ? { signal: context.signal } : {});
      // Fatal decoding, so a binary file is an error (as it was in Python) rather than U+FFFD soup.
      return ToolResult.fromSuccess(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (error) {
      return ToolResult.fromError(`Error reading file ${filePath}: ${errorMessage(error)}`);
    }
  },
});
