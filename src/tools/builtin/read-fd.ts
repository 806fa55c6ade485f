import { z } from '../../internal/zod.js';
import { defineTool } from '../define-tool.js';
import { formatFdError } from '../fd/format.js';
import {
  fileDescriptorsDisabled,
  processFileDescriptors,
  type FileDescriptorLookup,
} from '../fd/lookup.js';
import { FileDescriptorError } from '../fd/manager.js';
import { readDescriptor } from '../fd/read.js';
import { ToolResult } from '../tool-result.js';
import type { Tool } from '../types.js';

const description = `Read content stored in a file descriptor: a tool output too long to show at once ("fd:N"), a long user message, or a reference ("ref:name").

By default reads one page (start=1). mode="line" reads lines and mode="char" characters (start 0-based) instead of pages; count reads several units at once. read_all=true returns everything. extract_to_new_fd=true stores the selection in a new descriptor and returns its id instead of the text.`;

const parameters = z.object({
  fd: z.string().describe('The file descriptor to read, e.g. "fd:1" or "ref:example"'),
  read_all: z
    .boolean()
    .optional()
    .meta({ default: false, description: 'Return the whole content at once' }),
  extract_to_new_fd: z.boolean().optional().meta({
    default: false,
    description: 'Store the selected content as a new file descriptor and return its id',
  }),
  // A plain string, checked by readDescriptor, so a bad mode gets the original's message.
  mode: z
    .string()
    .optional()
    .meta({
      enum: ['page', 'line', 'char'],
      default: 'page',
      description: 'Unit of start and count: "page" (default), "line" or "char"',
    }),
  start: z.number().int().optional().meta({
    default: 1,
    description: 'Page or line number (from 1), or character offset (from 0)',
  }),
  count: z
    .number()
    .int()
    .optional()
    .meta({ default: 1, description: 'How many pages, lines or characters to read' }),
});

/**
 * Build the `read_fd` tool (write access, as in the original) around a way to find the calling
 * process's descriptors. Its answers are `<fd_content>`, `<fd_extraction>` or `<fd_error>` texts.
 */
export function createReadFdTool(lookup: FileDescriptorLookup = processFileDescriptors): Tool {
  return defineTool({
    name: 'read_fd',
    description,
    access: 'write',
    parameters,
    execute: (args, context) => {
      const manager = lookup(context);
      if (!manager) return ToolResult.fromError(fileDescriptorsDisabled);
      try {
        const text = readDescriptor(manager, {
          fd: args.fd,
          readAll: args.read_all,
          extractToNewFd: args.extract_to_new_fd,
          mode: args.mode,
          start: args.start,
          count: args.count,
        });
        return ToolResult.fromSuccess(text);
      } catch (error) {
        if (error instanceof FileDescriptorError)
          return ToolResult.fromError(formatFdError(error.type, args.fd, error.message));
        throw error;
      }
    },
  });
}

/** `read_fd` wired to `context.process.fileDescriptors`. */
export const readFdTool: Tool = createReadFdTool();
