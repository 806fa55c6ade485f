import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LLMProgram } from '../index.js';
import type { ProgramConfig } from '../program/config.js';
import { portablePaths, resolvedPaths } from './config-paths.js';

const recordedIn = path.resolve('/home/alice/project');
const replayedIn = path.resolve('/ci/checkout');

/** A loaded program's configuration: its paths absolute, as loading makes them. */
function config(): ProgramConfig {
  const base = LLMProgram.fromDict({ model: { name: 'mock', provider: 'mock' } }).config;
  const prog = path.join(recordedIn, 'prog');
  return {
    ...base,
    baseDir: prog,
    sourceFile: path.join(prog, 'agent.toml'),
    preload: { files: [path.join(prog, 'notes/a.md')], relativeTo: 'program' },
    mcp: { configPath: path.join(prog, 'mcp.json') },
    tools: { ...base.tools, fileRoots: [path.join(prog, 'data'), path.resolve('/srv/shared')] },
    linkedPrograms: { helper: { path: path.join(prog, 'helper.toml'), description: 'helps' } },
  };
}

describe('the paths of a program in a trace header', () => {
  it('are written relative to the working directory and resolved against the replay one', () => {
    const portable = portablePaths(config(), recordedIn);
    expect(portable).toMatchObject({
      baseDir: 'prog',
      sourceFile: 'prog/agent.toml',
      preload: { files: ['prog/notes/a.md'] },
      mcp: { configPath: 'prog/mcp.json' },
      tools: { fileRoots: ['prog/data', path.relative(recordedIn, '/srv/shared')] },
      linkedPrograms: { helper: { path: 'prog/helper.toml' } },
    });
    expect(JSON.stringify(portable)).not.toContain('alice');

    const resolved = resolvedPaths(portable, replayedIn);
    expect(resolved).toMatchObject({
      baseDir: path.join(replayedIn, 'prog'),
      preload: { files: [path.join(replayedIn, 'prog/notes/a.md')] },
      mcp: { configPath: path.join(replayedIn, 'prog/mcp.json') },
      linkedPrograms: { helper: { path: path.join(replayedIn, 'prog/helper.toml') } },
    });
    expect(resolved.tools.fileRoots?.[0]).toBe(path.join(replayedIn, 'prog/data'));
  });

  it('keeps the absolute paths of older traces, and preload files relative to the cwd as written', () => {
    const old = config();
    expect(resolvedPaths(old, replayedIn)).toEqual(old);
    const cwdPreload = { ...old, preload: { files: ['a.md'], relativeTo: 'cwd' as const } };
    expect(portablePaths(cwdPreload, recordedIn).preload).toEqual(cwdPreload.preload);
  });
});
