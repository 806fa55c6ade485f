import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from './load.js';
import { captureWarnings } from './__fixtures__/helpers.js';

// Configs from the Python llmproc 0.9.2 examples, copied unchanged (see SOURCE.md there).
const examples = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '__fixtures__',
  'examples-llmproc',
);
const configFiles = fs
  .readdirSync(examples)
  .filter((name) => /\.(toml|ya?ml)$/.test(name))
  .sort();

describe('the 0.9.2 example configs', () => {
  it('are all present', () => {
    expect(configFiles).toEqual([
      'anthropic.toml',
      'anthropic.yaml',
      'basic-features.toml',
      'builtin-tools.toml',
      'fork.toml',
      'gemini.toml',
      'mcp.toml',
      'openai.toml',
    ]);
  });

  it.each(configFiles.filter((name) => name !== 'basic-features.toml'))(
    'load %s without error or warning',
    (name) => {
      const { value, warnings } = captureWarnings(() => loadConfigFile(path.join(examples, name)));
      expect(value.sourceFile).toBe(path.join(examples, name));
      expect(warnings).toEqual([]);
    },
  );

  it('load basic-features.toml with two preload-missing warnings', () => {
    const file = path.join(examples, 'basic-features.toml');
    const { value, warnings } = captureWarnings(() => loadConfigFile(file));
    const parent = path.dirname(examples);
    expect(warnings).toEqual([
      `Preload file not found: ${path.join(parent, 'README.md')} (from "preload.files[0]" in ${file})`,
      `Preload file not found: ${path.join(parent, 'pyproject.toml')} (from "preload.files[1]" in ${file})`,
    ]);
    expect(value.displayName).toBe('Basic Features Demo');
    expect(value.tools.builtin).toEqual([
      { name: 'read_file', alias: 'read' },
      { name: 'calculator', alias: 'calc' },
      { name: 'list_dir', alias: 'dir' },
    ]);
    expect(value.envInfo).toEqual({
      variables: ['working_directory', 'platform', 'date'],
      commands: ['echo example'],
      envVars: { region: 'MY_ENV_INFO' },
      fileMapMaxFiles: 50,
      fileMapShowSize: true,
      custom: {},
    });
    expect(value.userPrompt).toMatch(/^Demonstrate the basic features available to you:/);
  });

  it('load the same program from anthropic.toml and anthropic.yaml', () => {
    const fromToml = loadConfigFile(path.join(examples, 'anthropic.toml'));
    const fromYaml = loadConfigFile(path.join(examples, 'anthropic.yaml'));
    expect({ ...fromYaml, sourceFile: undefined }).toEqual({ ...fromToml, sourceFile: undefined });
    expect(fromToml.provider).toBe('anthropic_vertex');
    expect(fromToml.displayName).toBe('Claude');
    expect(fromToml.parameters).toEqual({ max_tokens: 4096 });
  });

  it('load mcp.toml with its config file resolved and the everything server selected', () => {
    const config = loadConfigFile(path.join(examples, 'mcp.toml'));
    expect(config.mcp).toEqual({ configPath: path.join(examples, 'config', 'mcp_servers.json') });
    expect(config.tools.mcp).toEqual({ everything: { all: false, tools: [{ name: 'add' }] } });
  });

  it('name openai.toml by provider and model, having no [demo]', () => {
    expect(loadConfigFile(path.join(examples, 'openai.toml')).displayName).toBe(
      'OpenAI gpt-4o-mini',
    );
  });
});
