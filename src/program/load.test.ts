import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromDict, loadConfigFile, parseConfigText } from './load.js';
import { captureWarnings, configErrorOf, tempDir } from './__fixtures__/helpers.js';

const toml = `
[model]
name = "claude-3-5-haiku-20241022"
provider = "anthropic"

[prompt]
system_prompt = "You are terse."

[parameters]
max_tokens = 100
temperature = 0.5
`;

const yaml = `
model:
  name: claude-3-5-haiku-20241022
  provider: anthropic
prompt:
  system_prompt: You are terse.
parameters:
  max_tokens: 100
  temperature: 0.5
`;

describe('loadConfigFile', () => {
  it('gives equal configs for the same content in TOML and YAML', () => {
    const dir = tempDir({ 'a.toml': toml, 'a.yaml': yaml, 'a.yml': yaml });
    const fromToml = loadConfigFile(path.join(dir, 'a.toml'));
    const fromYaml = loadConfigFile(path.join(dir, 'a.yaml'));
    expect({ ...fromYaml, sourceFile: undefined }).toEqual({ ...fromToml, sourceFile: undefined });
    expect(fromToml.parameters).toEqual({ max_tokens: 100, temperature: 0.5 });
    expect(loadConfigFile(path.join(dir, 'a.yml')).systemPrompt).toBe('You are terse.');
  });

  it('records the absolute source file and its folder as baseDir', () => {
    const dir = tempDir({ 'sub/a.toml': toml });
    const config = loadConfigFile(path.join(dir, 'sub/a.toml'));
    expect(config.sourceFile).toBe(path.join(dir, 'sub/a.toml'));
    expect(config.baseDir).toBe(path.join(dir, 'sub'));
  });

  it('rejects a .json file as an unsupported format', () => {
    const error = configErrorOf(() => loadConfigFile('program.json'));
    expect(error.code).toBe('CONFIG_UNSUPPORTED_FORMAT');
    expect(error.message).toBe('Unsupported file format: .json (expected .toml, .yaml, or .yml)');
  });

  it('parses by the given format whatever the extension', () => {
    const dir = tempDir({ 'program.conf': toml });
    expect(loadConfigFile(path.join(dir, 'program.conf'), { format: 'toml' }).model).toBe(
      'claude-3-5-haiku-20241022',
    );
  });

  it('names the path as given and as resolved when the file is missing', () => {
    const error = configErrorOf(() => loadConfigFile('no/such/program.toml'));
    expect(error.code).toBe('CONFIG_NOT_FOUND');
    expect(error.message).toBe(
      `Program file not found - Specified: 'no/such/program.toml', Resolved: '${path.resolve('no/such/program.toml')}'`,
    );
  });

  it('says so when the path is a folder', () => {
    const dir = tempDir({ 'x.toml/inner': '' });
    expect(configErrorOf(() => loadConfigFile(path.join(dir, 'x.toml'))).message).toBe(
      `Program file is a directory - Specified: '${path.join(dir, 'x.toml')}', Resolved: '${path.join(dir, 'x.toml')}'`,
    );
  });

  it('reports a TOML syntax error with its line and column', () => {
    const dir = tempDir({ 'bad.toml': '[model]\nname = "x"\nprovider = \n' });
    const file = path.join(dir, 'bad.toml');
    const error = configErrorOf(() => loadConfigFile(file));
    expect(error.code).toBe('CONFIG_SYNTAX');
    expect(error.message.split('\n')[0]).toBe(
      `Error loading TOML file ${file}: line 3, column 12: invalid value`,
    );
    expect(error.details).toEqual({ line: 3, column: 12 });
    expect(error.file).toBe(file);
  });

  it('says a string left open at the end of its line is unfinished, not a control character', () => {
    const dir = tempDir({
      'open.toml': 'model = "x\n',
      'open-crlf.toml': "a = 'x\r\n",
      'control.toml': 'a = "x\u0001"\n',
    });
    const firstLine = (name: string): string | undefined =>
      configErrorOf(() => loadConfigFile(path.join(dir, name))).message.split('\n')[0];
    const unfinished = `unfinished string: a string must end on the line it starts (use """ or ''' for text over several lines)`;
    expect(firstLine('open.toml')).toBe(
      `Error loading TOML file ${path.join(dir, 'open.toml')}: line 1, column 11: ${unfinished}`,
    );
    expect(firstLine('open-crlf.toml')).toBe(
      `Error loading TOML file ${path.join(dir, 'open-crlf.toml')}: line 1, column 7: ${unfinished}`,
    );
    expect(firstLine('control.toml')).toBe(
      `Error loading TOML file ${path.join(dir, 'control.toml')}: line 1, column 7: control characters are not allowed in strings`,
    );
  });

  it('reports a YAML syntax error with its line and column', () => {
    const dir = tempDir({ 'bad.yaml': 'model:\n  name: x\n  name: y\n' });
    const file = path.join(dir, 'bad.yaml');
    const error = configErrorOf(() => loadConfigFile(file));
    expect(error.code).toBe('CONFIG_SYNTAX');
    expect(error.message.split('\n')[0]).toBe(
      `Error loading YAML file ${file}: line 3, column 3: Map keys must be unique`,
    );
  });

  it('names the file as given in schema errors', () => {
    const dir = tempDir({ 'p.toml': '[model]\nname = "x"\nprovider = "acme"\n' });
    const file = path.join(dir, 'p.toml');
    const error = configErrorOf(() => loadConfigFile(file));
    expect(error.message).toBe(
      `${file}: "model.provider" must be one of anthropic, anthropic_vertex, anthropic_bedrock, openai, azure_openai, gemini, gemini_vertex, mock; got "acme"`,
    );
    expect(error.file).toBe(file);
    expect(error.keyPath).toBe('model.provider');
  });

  it('treats an empty YAML file as a config without [model]', () => {
    const dir = tempDir({ 'empty.yaml': '# nothing\n' });
    const file = path.join(dir, 'empty.yaml');
    expect(configErrorOf(() => loadConfigFile(file)).message).toBe(
      `${file}: "model" is required (a table); got nothing`,
    );
  });

  it('reads [[mock.turns]] arrays of tables', () => {
    const dir = tempDir({
      'mock.toml': `
[model]
name = "mock"
provider = "mock"

[[mock.turns]]
text = "Let me compute that."
tool_calls = [{ name = "calculator", args = { expression = "2+2" } }]

[[mock.turns]]
text = "The answer is 4."
`,
    });
    expect(loadConfigFile(path.join(dir, 'mock.toml')).mock).toEqual({
      turns: [
        {
          text: 'Let me compute that.',
          toolCalls: [{ name: 'calculator', args: { expression: '2+2' } }],
        },
        { text: 'The answer is 4.', toolCalls: [] },
      ],
    });
  });
});

describe('system_prompt_file', () => {
  const withFile = (file: string): string =>
    `[model]\nname = "m"\nprovider = "openai"\n[prompt]\nsystem_prompt = "inline"\nsystem_prompt_file = "${file}"\n`;

  it('is read relative to the config folder, not the working directory, and wins over system_prompt', () => {
    const dir = tempDir({
      'cfg/p.toml': withFile('prompts/system.md'),
      'cfg/prompts/system.md': 'From the file.',
    });
    expect(loadConfigFile(path.join(dir, 'cfg/p.toml')).systemPrompt).toBe('From the file.');
  });

  it('fails at load when missing, resolving against the config folder', () => {
    const dir = tempDir({ 'cfg/p.toml': withFile('missing.md') });
    const file = path.join(dir, 'cfg/p.toml');
    const error = configErrorOf(() => loadConfigFile(file));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.keyPath).toBe('prompt.system_prompt_file');
    expect(error.message).toBe(
      `System prompt file not found - Specified: 'missing.md', Resolved: '${path.join(dir, 'cfg/missing.md')}' ` +
        `(from "prompt.system_prompt_file" in ${file})`,
    );
  });

  it('resolves against baseDir for a dict', () => {
    const dir = tempDir({ 'system.md': 'Dict prompt.' });
    const config = configFromDict(
      { model: { name: 'm', provider: 'mock' }, prompt: { system_prompt_file: 'system.md' } },
      { baseDir: dir },
    );
    expect(config.systemPrompt).toBe('Dict prompt.');
    expect(
      configErrorOf(() =>
        configFromDict(
          { model: { name: 'm', provider: 'mock' }, prompt: { system_prompt_file: 'x.md' } },
          { baseDir: dir },
        ),
      ).message,
    ).toBe(
      `System prompt file not found - Specified: 'x.md', Resolved: '${path.join(dir, 'x.md')}' (from "prompt.system_prompt_file" in <dict>)`,
    );
  });
});

describe('[preload]', () => {
  it('resolves program-relative files at load and only warns about a missing one', () => {
    const dir = tempDir({ 'cfg/notes.md': 'notes' });
    const text =
      '[model]\nname = "m"\nprovider = "mock"\n[preload]\nfiles = ["notes.md", "../gone.md"]\n';
    const file = path.join(dir, 'cfg/p.toml');
    const { value, warnings } = captureWarnings(() => parseConfigText(text, 'toml', file));
    expect(value.preload).toEqual({
      files: [path.join(dir, 'cfg/notes.md'), path.join(dir, 'gone.md')],
      relativeTo: 'program',
    });
    expect(warnings).toEqual([
      `Preload file not found: ${path.join(dir, 'gone.md')} (from "preload.files[1]" in ${file})`,
    ]);
  });

  it('keeps cwd-relative files as written, for start() to resolve', () => {
    const { value, warnings } = captureWarnings(() =>
      configFromDict(
        {
          model: { name: 'm', provider: 'mock' },
          preload: { files: ['README.md'], relative_to: 'cwd' },
        },
        { baseDir: '/elsewhere' },
      ),
    );
    expect(value.preload).toEqual({ files: ['README.md'], relativeTo: 'cwd' });
    expect(warnings).toEqual([]);
  });

  it('rejects another relative_to value', () => {
    expect(
      configErrorOf(() =>
        configFromDict({
          model: { name: 'm', provider: 'mock' },
          preload: { relative_to: 'home' },
        }),
      ).message,
    ).toBe('<dict>: "preload.relative_to" must be one of program, cwd; got "home"');
  });
});

describe('[mcp].config_path', () => {
  it('is resolved against the config folder when it exists', () => {
    const dir = tempDir({ 'cfg/servers.json': '{"mcpServers": {}}' });
    const text =
      '[model]\nname = "m"\nprovider = "anthropic"\n[mcp]\nconfig_path = "servers.json"\n';
    expect(parseConfigText(text, 'toml', path.join(dir, 'cfg/p.toml')).mcp).toEqual({
      configPath: path.join(dir, 'cfg/servers.json'),
    });
  });

  it('fails at load when the file is missing', () => {
    const dir = tempDir();
    const file = path.join(dir, 'p.toml');
    const text =
      '[model]\nname = "m"\nprovider = "anthropic"\n[mcp]\nconfig_path = "config/none.json"\n';
    const error = configErrorOf(() => parseConfigText(text, 'toml', file));
    expect(error.keyPath).toBe('mcp.config_path');
    expect(error.message).toBe(
      `MCP config file not found - Specified: 'config/none.json', Resolved: '${path.join(dir, 'config/none.json')}' ` +
        `(from "mcp.config_path" in ${file})`,
    );
  });
});

describe('[linked_programs] in a file', () => {
  it('resolves paths against the parent config folder', () => {
    const dir = tempDir({ 'cfg/main.toml': '', 'cfg/helpers/child.yaml': '' });
    const text =
      '[model]\nname = "m"\nprovider = "mock"\n[linked_programs]\nchild = { path = "helpers/child.yaml", description = "Helps" }\n';
    expect(parseConfigText(text, 'toml', path.join(dir, 'cfg/main.toml')).linkedPrograms).toEqual({
      child: { path: path.join(dir, 'cfg/helpers/child.yaml'), description: 'Helps' },
    });
  });

  it('fails naming the parent file when a linked file is missing', () => {
    const dir = tempDir();
    const parent = path.join(dir, 'main.toml');
    const text =
      '[model]\nname = "m"\nprovider = "mock"\n[linked_programs]\nchild = "child.toml"\n';
    const error = configErrorOf(() => parseConfigText(text, 'toml', parent));
    expect(error.code).toBe('CONFIG_NOT_FOUND');
    expect(error.message).toBe(
      `Linked program file (from '${parent}') not found - Specified: 'child.toml', Resolved: '${path.join(dir, 'child.toml')}' ` +
        '(at "linked_programs.child")',
    );
  });
});
