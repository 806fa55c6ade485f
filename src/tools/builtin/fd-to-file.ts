import path from 'node:path';
import { z } from '../../internal/zod.js';
import { errorMessage } from '../../errors.js';
import { defineTool } from '../define-tool.js';
import { formatFdError } from '../fd/format.js';
import {
  fileDescriptorsDisabled,
  processFileDescriptors,
  type FileDescriptorLookup,
} from '../fd/lookup.js';
import { FileDescriptorError } from '../fd/manager.js';
import { writeDescriptorToFile } from '../fd/write.js';
import { ToolResult } from '../tool-result.js';
import { confinementProblem, unconfinedFileAccess, type FileAccessPolicy } from '../file-access.js';
import type { Tool } from '../types.js';

const description = `Write the whole content of a file descriptor ("fd:N" or "ref:name") to a file, creating missing folders. Use it to save a long tool output or a marked reference without copying it through the conversation.

mode="append" adds to the end of the file instead of replacing it. exist_ok=false refuses to touch a file that already exists; create=false refuses to create a file that does not.`;

const parameters = z.object({
  fd: z.string().describe('The file descriptor to save, e.g. "fd:1" or "ref:example"'),
  file_path: z.string().describe('Where to write; relative paths start at the current directory'),
  // A plain string, checked by writeDescriptorToFile, so a bad mode gets the original's message.
  mode: z
    .string()
    .optional()
    .meta({
      enum: ['write', 'append'],
      default: 'write',
      description: '"write" replaces the file (default), "append" adds to its end',
    }),
  create: z
    .boolean()
    .optional()
    .meta({ default: true, description: 'Create the file if it does not exist' }),
  exist_ok: z
    .boolean()
    .optional()
    .meta({ default: true, description: 'Allow writing to a file that already exists' }),
});

/**
 * Build the `fd_to_file` tool (write access) around a way to find the calling process's
 * descriptors. Its answers are `<fd_file_result>` or `<fd_error>` texts.
 */
export function createFdToFileTool(
  lookup: FileDescriptorLookup = processFileDescriptors,
  policy: FileAccessPolicy = unconfinedFileAccess,
): Tool {
  return defineTool({
    name: 'fd_to_file',
    description,
    access: 'write',
    parameters,
    execute: async (args, context) => {
      const manager = lookup(context);
      if (!manager) return ToolResult.fromError(fileDescriptorsDisabled);
      try {
        const denied = await confinementProblem(policy, path.resolve(args.file_path));
        if (denied !== undefined)
          return ToolResult.fromError(formatFdError('write_error', args.fd, denied));
        const text = await writeDescriptorToFile(manager, {
          fd: args.fd,
          filePath: args.file_path,
          mode: args.mode,
          create: args.create,
          existOk: args.exist_ok,
        });
        return ToolResult.fromSuccess(text);
      } catch (error) {
        const failure =
          error instanceof FileDescriptorError
            ? error
            : new FileDescriptorError(
                'write_error',
                `Error writing file descriptor to file: ${errorMessage(error)}`,
              );
        return ToolResult.fromError(formatFdError(failure.type, args.fd, failure.message));
      }
    },
  });
}

/** `fd_to_file` wired to `context.process.fileDescriptors`, with no confinement. */
export const fdToFileTool: Tool = createFdToFileTool();
