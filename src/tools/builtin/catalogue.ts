import { LlmprocError } from '../../errors.js';
import type { Tool } from '../types.js';
import { forkTool } from './fork.js';
import { createSpawnTool, type LinkedProgramInfo } from './spawn.js';
import { writeStderrTool } from './write-stderr.js';
import { calculatorTool } from './calculator.js';
import { readFileTool } from './read-file.js';
import { listDirTool } from './list-dir.js';
import { gotoTool } from './goto.js';
import { readFdTool } from './read-fd.js';
import { fdToFileTool } from './fd-to-file.js';

export interface BuiltinContext {
  linkedPrograms: readonly LinkedProgramInfo[];
}

/** The builtin tool a config names. */
export function createBuiltinTool(name: string, context: BuiltinContext): Tool {
  switch (name) {
    case 'calculator':
      return calculatorTool;
    case 'read_file':
      return readFileTool;
    case 'list_dir':
      return listDirTool;
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
      return fdToFileTool;
    default:
      throw new LlmprocError('INVALID_ARGUMENT', `Unknown tool name: '${name}'`);
  }
}
