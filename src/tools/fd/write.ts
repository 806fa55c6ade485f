import { appendFile, mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../../errors.js';
import { formatFdFileResult } from './format.js';
import { FileDescriptorError, type FileDescriptorManager } from './manager.js';

/** What fd_to_file asks for; the defaults are the tool's. */
export interface WriteRequest {
  fd: string;
  /** As the model gave it; relative paths resolve against the current directory. */
  filePath: string;
  /** "write" (default) or "append"; anything else is refused. */
  mode?: string | undefined;
  /** Create the file when it is missing (default true). */
  create?: boolean | undefined;
  /** Accept a file that already exists (default true). */
  existOk?: boolean | undefined;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Write (or append) a descriptor's whole content to a file, creating missing parent folders, and
 * return the `<fd_file_result>` text. Throws {@link FileDescriptorError}: not_found, invalid_parameter
 * (bad mode, or the file's existence against `create` / `exist_ok`), write_error (the file system
 * refused).
 */
export async function writeDescriptorToFile(
  manager: FileDescriptorManager,
  request: WriteRequest,
): Promise<string> {
  const { fd, filePath, mode = 'write', create = true, existOk = true } = request;
  const { content } = manager.require(fd);
  if (mode !== 'write' && mode !== 'append') {
    throw new FileDescriptorError(
      'invalid_parameter',
      `Invalid mode: ${mode}. Valid options are 'write' or 'append'.`,
    );
  }
  const target = path.resolve(filePath);
  const present = await exists(target);
  if (present && !existOk) {
    throw new FileDescriptorError(
      'invalid_parameter',
      `File ${filePath} already exists and exist_ok=false`,
    );
  }
  // The original reported this one as a write error (an uncaught FileNotFoundError); it is a
  // parameter conflict like the one above, so it is reported the same way.
  if (!present && !create) {
    throw new FileDescriptorError(
      'invalid_parameter',
      `File ${filePath} doesn't exist and create=false`,
    );
  }
  let sizeBytes: number;
  try {
    await mkdir(path.dirname(target), { recursive: true });
    if (mode === 'write') await writeFile(target, content, 'utf8');
    else await appendFile(target, content, 'utf8');
    sizeBytes = (await stat(target)).size;
  } catch (error) {
    throw new FileDescriptorError(
      'write_error',
      `Error writing file descriptor to file: ${errorMessage(error)}`,
    );
  }
  return formatFdFileResult({
    fd,
    filePath,
    mode,
    charCount: content.length,
    sizeBytes,
    create,
    existOk,
  });
}
