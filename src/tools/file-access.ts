import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Stats } from 'node:fs';

/**
 * What the file tools (`read_file`, `list_dir`, `fd_to_file`) may touch. Without `roots` they reach
 * the whole file system, as in llmproc 0.9.2; with `roots` every path, once its symlinks are
 * resolved, must lie inside one of them.
 */
export interface FileAccessPolicy {
  /** Absolute folders the file tools are confined to; undefined means unconfined. */
  readonly roots: readonly string[] | undefined;
  /** The most `read_file` reads of one file, in bytes. */
  readonly maxReadBytes: number;
}

/** 1 MiB: more than a model can use in one result, little enough to hold in memory. */
export const defaultMaxReadBytes = 1024 * 1024;

/** The policy of a program that sets nothing: 0.9.2's reach, reads bounded. */
export const unconfinedFileAccess: FileAccessPolicy = {
  roots: undefined,
  maxReadBytes: defaultMaxReadBytes,
};

/** "a FIFO", "a directory": what a path that is not a regular file is, for error results. */
export function fileKind(info: Stats): string {
  if (info.isFile()) return 'a regular file';
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  if (info.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/**
 * The real path of `target` (absolute), resolving every symlink on the way; for a path that does not
 * exist yet (a file fd_to_file will create), the real path of its nearest existing folder plus the
 * rest of the path.
 */
async function realPathOf(target: string): Promise<string> {
  const rest: string[] = [];
  let current = target;
  for (;;) {
    try {
      return path.join(await realpath(current), ...rest.reverse());
    } catch (error) {
      const parent = path.dirname(current);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) throw error;
      rest.push(path.basename(current));
      current = parent;
    }
  }
}

function isInside(folder: string, candidate: string): boolean {
  const relative = path.relative(folder, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Check `target` (already absolute) against the policy. Returns undefined when the tools may use it,
 * else the text of the error result, naming the path and the roots. Symlinks are resolved, so a
 * link inside a root that points outside it is refused; roots are resolved the same way.
 */
export async function confinementProblem(
  policy: FileAccessPolicy,
  target: string,
): Promise<string | undefined> {
  const { roots } = policy;
  if (roots === undefined) return undefined;
  const real = await realPathOf(target);
  const realRoots = await Promise.all(roots.map((root) => realPathOf(root)));
  if (realRoots.some((root) => isInside(root, real))) return undefined;
  const shown = real === target ? target : `${target} (${real})`;
  return `Access denied: ${shown} is outside the folders this program's file tools may use (${roots.join(', ')})`;
}
