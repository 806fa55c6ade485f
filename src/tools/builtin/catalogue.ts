import { LlmprocError } from '../../errors.js';
import type { Tool } from '../types.js';
import { forkTool } from './fork.js';
import { createSpawnTool, type LinkedProgramInfo } from './spawn.js';
import { writeStderrTool } from './write-stderr.js';
import { calculatorTool } from './calculator.js';
import { createReadFileTool } from './read-file.js';
import { createListDirTool } from './list-dir.js';
import { gotoTool } from './goto.js';
import { readFdTool } from './read-fd.js';
import { createFdToFileTool } from './fd-to-file.js';
import type { FileAccessPolicy } from '../file-access.js';
import { processFileDescriptors } from '../fd/lookup.js';

export interface BuiltinContext {
  linkedPrograms: readonly LinkedProgramInfo[];
  /** Where read_file, list_dir and fd_to_file may reach, and how much read_file reads. */
  fileAccess: FileAccessPolicy;
}

/** The builtin tool a config names. */
export function createBuiltinTool(name: string, context: BuiltinContext): Tool {
  switch (name) {
    case 'calculator':
      return calculatorTool;
    case 'read_file':
      return createReadFileTool(context.fileAccess);
    case 'list_dir':
      return createListDirTool(context.fileAccess);
    case 'write_stderr':
      return writeStderrTool;
    case 'fork':
      return forkTool;
    case 'spawn':
      return createSpawnTool(context.linkedPrograms);
    case 'goto':
      return gotoTool;
    case 'read_fd':
      return readFdTool;
    case 'fd_to_file':
      return createFdToFileTool(processFileDescriptors, context.fileAccess);
    default:
      throw new LlmprocError('UNKNOWN_TOOL', `Unknown tool name: '${name}'`);
  }
}
