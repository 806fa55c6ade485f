/**
 * The paths of a program configuration in a trace header. A loaded configuration holds absolute
 * paths (its folder, its file, file roots, an MCP config file, linked programs, preloaded files),
 * which would tie a trace to the machine and home folder it was recorded in. The header holds them
 * relative to the working directory of the recording (POSIX separators), and a replay resolves them
 * against its own working directory: a trace replays in any checkout of the same project, run from
 * the same folder. A path already relative (preload files with `relative_to = "cwd"`) is left as it
 * is, and an absolute path resolves to itself, so traces written with absolute paths still replay.
 */
import path from 'node:path';
import type { ProgramConfig } from '../program/config.js';

/** `config` with `change` applied to each of its file-system paths. */
function mapPaths(config: ProgramConfig, change: (file: string) => string): ProgramConfig {
  const { tools, mcp, preload } = config;
  return {
    ...config,
    baseDir: change(config.baseDir),
    ...(config.sourceFile === undefined ? {} : { sourceFile: change(config.sourceFile) }),
    preload:
      preload.relativeTo === 'program' ? { ...preload, files: preload.files.map(change) } : preload,
    tools: {
      ...tools,
      ...(tools.fileRoots === undefined ? {} : { fileRoots: tools.fileRoots.map(change) }),
    },
    ...(mcp?.configPath === undefined
      ? {}
      : { mcp: { ...mcp, configPath: change(mcp.configPath) } }),
    linkedPrograms: Object.fromEntries(
      Object.entries(config.linkedPrograms).map(([name, link]) => [
        name,
        { ...link, path: change(link.path) },
      ]),
    ),
  };
}

/** The configuration with its absolute paths made relative to `cwd`, as a header stores it. */
export function portablePaths(config: ProgramConfig, cwd = process.cwd()): ProgramConfig {
  return mapPaths(config, (file) =>
    path.isAbsolute(file) ? (path.relative(cwd, file) || '.').split(path.sep).join('/') : file,
  );
}

/** A header's configuration with its paths absolute again, resolved against `cwd`. */
export function resolvedPaths(config: ProgramConfig, cwd = process.cwd()): ProgramConfig {
  return mapPaths(config, (file) => path.resolve(cwd, file));
}
