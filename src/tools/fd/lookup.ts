import type { ToolContext } from '../types.js';
import { FileDescriptorManager } from './manager.js';

/** How an fd tool finds the calling process's descriptors; undefined when the system is off. */
export type FileDescriptorLookup = (context: ToolContext) => FileDescriptorManager | undefined;

/**
 * The default lookup: `context.process.fileDescriptors`. Read through `unknown` and checked, so
 * the tools compile and fail softly (as "not enabled") on a process that does not offer it.
 */
export const processFileDescriptors: FileDescriptorLookup = (context) =>
  context.process.fileDescriptors;

/** The error text of an fd tool called by a process without the fd system. */
export const fileDescriptorsDisabled = 'File descriptor system is not enabled for this process';
