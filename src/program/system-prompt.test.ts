import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EnvInfoConfig } from './config.js';
import { buildCommandLines, buildEnvBlock, buildFileMapLines } from './env-info.js';
import { configFromDict } from './load.js';
import { buildEnrichedSystemPrompt, buildPreloadBlock } from './system-prompt.js';
import { captureWarningsAsync, tempDir } from './__fixtures__/helpers.js';

const model = { name: 'mock', provider: 'mock' };
const now = new Date(2025, 2, 9, 23, 30); // local time: the date line is the local date

function envInfo(overrides: Partial<EnvInfoConfig>): EnvInfoConfig {
  return {
    variables: [],
    commands: [],
    envVars: {},
    fileMapMaxFiles: 50,
    fileMapShowSize: true,
    custom: {},
    ...overrides,
  };
}

describe('buildEnrichedSystemPrompt', () => {
  it('joins base prompt, env block, fd instructions and preload block with blank lines, in that order', async () => {
    const dir = tempDir({ 'notes.md': 'Remember this.' });
    const config = configFromDict(
      {
        model,
        prompt: { system_prompt: 'You are terse.' },
        env_info: { variables: ['date'] },
        preload: { files: ['notes.md'] },
      },
      { baseDir: dir },
    );
    const prompt = await buildEnrichedSystemPrompt(config, {
      now,
      fileDescriptorInstructions: '<file_descriptor_instructions>fd</file_descriptor_instructions>',
    });
    expect(prompt).toBe(
      'You are terse.\n\n<env>\ndate: 2025-03-09\n</env>\n\n<file_descriptor_instructions>fd</file_descriptor_instructions>\n\n' +
        '<preload>\n<file path="notes.md">\nRemember this.\n</file>\n</preload>',
    );
  });

  it('is the base prompt alone when nothing else is configured, and keeps an empty base prompt', async () => {
    expect(
      await buildEnrichedSystemPrompt(configFromDict({ model, prompt: { system_prompt: 'Hi.' } })),
    ).toBe('Hi.');
    const config = configFromDict({ model, env_info: { variables: ['date'] } });
    expect(await buildEnrichedSystemPrompt(config, { now })).toBe(
      '\n\n<env>\ndate: 2025-03-09\n</env>',
    );
  });

  it('resolves cwd-relative preload files against the working directory at start', async () => {
    const dir = tempDir({ 'docs/guide.md': 'Guide text' });
    const config = configFromDict(
      { model, preload: { files: ['docs/guide.md'], relative_to: 'cwd' } },
      { baseDir: '/nowhere' },
    );
    expect(await buildEnrichedSystemPrompt(config, { cwd: dir })).toBe(
      '\n\n<preload>\n<file path="guide.md">\nGuide text\n</file>\n</preload>',
    );
  });
});

describe('buildEnvBlock', () => {
  it('lists variables in configured order as "name: value" inside <env>', async () => {
    const block = await buildEnvBlock(
      envInfo({ variables: ['date', 'working_directory', 'platform'] }),
      { cwd: '/work/here', now },
    );
    const platform = process.platform === 'win32' ? 'windows' : process.platform;
    expect(block).toBe(
      `<env>\ndate: 2025-03-09\nworking_directory: /work/here\nplatform: ${platform}\n</env>`,
    );
  });

  it('reports node_version, hostname and username from the running system', async () => {
    const block = await buildEnvBlock(
      envInfo({ variables: ['node_version', 'hostname', 'username'] }),
    );
    expect(block).toBe(
      `<env>\nnode_version: ${process.versions.node}\nhostname: ${os.hostname()}\nusername: ${os.userInfo().username}\n</env>`,
    );
  });

  it('puts custom lines after variables and env_vars after them, only for set, non-empty variables', async () => {
    const block = await buildEnvBlock(
      envInfo({
        variables: ['date'],
        custom: { project: 'llmproc' },
        envVars: { region: 'MY_REGION', zone: 'UNSET', empty: 'EMPTY' },
      }),
      { now, env: { MY_REGION: 'eu-west  \n', EMPTY: '' } },
    );
    expect(block).toBe('<env>\ndate: 2025-03-09\nproject: llmproc\nregion: eu-west\n</env>');
  });

  it('produces nothing from custom keys and env_vars alone', async () => {
    expect(await buildEnvBlock(envInfo({ custom: { a: 'b' }, envVars: { home: 'HOME' } }))).toBe(
      '',
    );
  });

  it('runs commands through the shell, with output, error(<code>) and a blank line between commands', async () => {
    const block = await buildEnvBlock(
      envInfo({ commands: ['echo one; echo two >&2', 'echo partial; exit 3'] }),
    );
    expect(block).toBe(
      '<env>\n> echo one; echo two >&2\none\ntwo\n\n> echo partial; exit 3\npartial\nerror(3)\n</env>',
    );
  });

  it('runs commands in the given working directory', async () => {
    const dir = tempDir();
    expect(await buildCommandLines(['pwd'], dir)).toEqual(['> pwd', dir]);
  });
});

describe('file_map', () => {
  const files = {
    'b.txt': 'bb',
    'a/one.md': '1',
    'a/two.md': '22',
    'node_modules/x/index.js': 'x',
    '.git/HEAD': 'ref',
  };

  it('lists files under the root, sorted, with sizes, skipping node_modules and .git', async () => {
    const dir = tempDir(files);
    expect(await buildFileMapLines(envInfo({}), dir)).toEqual([
      'file_map:',
      '  a/one.md (1 bytes)',
      '  a/two.md (2 bytes)',
      '  b.txt (2 bytes)',
    ]);
  });

  it('caps the list at file_map_max_files and counts the rest', async () => {
    const dir = tempDir(files);
    expect(
      await buildFileMapLines(envInfo({ fileMapMaxFiles: 1, fileMapShowSize: false }), dir),
    ).toEqual(['file_map:', '  a/one.md', '  ... (2 more files)']);
  });

  it('resolves file_map_root against the working directory', async () => {
    const dir = tempDir(files);
    const block = await buildEnvBlock(envInfo({ variables: ['file_map'], fileMapRoot: 'a' }), {
      cwd: dir,
    });
    expect(block).toBe('<env>\nfile_map:\n  one.md (1 bytes)\n  two.md (2 bytes)\n</env>');
  });

  it('warns and lists nothing when the root is not a folder', async () => {
    const dir = tempDir();
    const { value, warnings } = await captureWarningsAsync(() =>
      buildEnvBlock(envInfo({ variables: ['file_map'], fileMapRoot: 'nope' }), { cwd: dir }),
    );
    expect(value).toBe('');
    expect(warnings).toEqual([
      `file_map_root does not exist or is not a directory: ${path.join(dir, 'nope')}`,
    ]);
  });
});

describe('buildPreloadBlock', () => {
  it('wraps each file in <file path="<base name>"> inside <preload>', async () => {
    const dir = tempDir({ 'a/first.txt': 'First', 'second.md': 'Second\n' });
    expect(
      await buildPreloadBlock([path.join(dir, 'a/first.txt'), 'second.md'], { cwd: dir }),
    ).toBe(
      '<preload>\n<file path="first.txt">\nFirst\n</file>\n<file path="second.md">\nSecond\n\n</file>\n</preload>',
    );
  });

  it('warns about and skips missing files and folders', async () => {
    const dir = tempDir({ 'ok.txt': 'ok', 'folder/x': '' });
    const { value, warnings } = await captureWarningsAsync(() =>
      buildPreloadBlock(['gone.txt', 'folder', 'ok.txt'], { cwd: dir }),
    );
    expect(value).toBe('<preload>\n<file path="ok.txt">\nok\n</file>\n</preload>');
    expect(warnings).toEqual([
      `Preload file not found - Specified: 'gone.txt', Resolved: '${path.join(dir, 'gone.txt')}'`,
      `Preload path is not a file - Specified: 'folder', Resolved: '${path.join(dir, 'folder')}'`,
    ]);
  });

  it('is empty when no file could be read', async () => {
    const { value } = await captureWarningsAsync(() => buildPreloadBlock(['/no/such/file']));
    expect(value).toBe('');
  });
});
