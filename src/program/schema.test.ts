import { describe, expect, it } from 'vitest';
import { configFromDict } from './load.js';
import { captureWarnings, configErrorOf } from './__fixtures__/helpers.js';

const model = { name: 'claude-3-5-haiku-20241022', provider: 'anthropic' };

function messageOf(dict: unknown): string {
  return configErrorOf(() => configFromDict(dict)).message;
}

describe('[model]', () => {
  it('rejects a config without [model], naming model as required', () => {
    const error = configErrorOf(() => configFromDict({ prompt: { system_prompt: 'hi' } }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.keyPath).toBe('model');
    expect(error.message).toBe('<dict>: "model" is required (a table); got nothing');
  });

  it('rejects a model without a name', () => {
    expect(messageOf({ model: { provider: 'openai' } })).toBe(
      '<dict>: "model.name" is required (a string); got nothing',
    );
  });

  it('rejects an unknown provider at load, listing the supported ones', () => {
    expect(messageOf({ model: { name: 'x', provider: 'foo' } })).toBe(
      '<dict>: "model.provider" must be one of anthropic, anthropic_vertex, anthropic_bedrock, openai, azure_openai, gemini, gemini_vertex, mock; got "foo"',
    );
  });

  it('rejects max_iterations of zero and non-integers', () => {
    expect(messageOf({ model: { ...model, max_iterations: 0 } })).toBe(
      '<dict>: "model.max_iterations" must be a positive integer; got 0',
    );
    expect(messageOf({ model: { ...model, max_iterations: 2.5 } })).toBe(
      '<dict>: "model.max_iterations" must be a positive integer; got 2.5',
    );
  });

  it('fills the model defaults', () => {
    const config = configFromDict({ model });
    expect(config.maxIterations).toBe(10);
    expect(config.stream).toBe(false);
    expect(config.disableAutomaticCaching).toBe(false);
    expect(config.systemPrompt).toBe('');
    expect(config.parameters).toEqual({});
    expect(config.baseUrl).toBeUndefined();
  });

  it('accepts stream and an http(s) base_url and rejects other URLs', () => {
    const config = configFromDict({
      model: { ...model, stream: true, base_url: 'http://127.0.0.1:8080/v1' },
    });
    expect(config.stream).toBe(true);
    expect(config.baseUrl).toBe('http://127.0.0.1:8080/v1');
    expect(messageOf({ model: { ...model, base_url: 'ftp://x' } })).toBe(
      '<dict>: "model.base_url" must be an http(s) URL; got "ftp://x"',
    );
  });

  it('names the display name from [demo], then [model], then the provider and model', () => {
    const both = configFromDict({
      model: { ...model, display_name: 'Model Name' },
      demo: { display_name: 'Demo Name' },
    });
    expect(both.displayName).toBe('Demo Name');
    expect(configFromDict({ model: { ...model, display_name: 'Model Name' } }).displayName).toBe(
      'Model Name',
    );
    expect(configFromDict({ model }).displayName).toBe('Anthropic claude-3-5-haiku-20241022');
    expect(
      configFromDict({ model: { name: 'claude-x@1', provider: 'anthropic_vertex' } }).displayName,
    ).toBe('Anthropic Vertex claude-x@1');
    expect(configFromDict({ model: { name: 'gpt-4o', provider: 'openai' } }).displayName).toBe(
      'OpenAI gpt-4o',
    );
  });

  it('warns when disable_automatic_caching is set for a provider without caching', () => {
    const { warnings } = captureWarnings(() =>
      configFromDict({
        model: { name: 'gpt-4o', provider: 'openai', disable_automatic_caching: true },
      }),
    );
    expect(warnings).toEqual([
      `<dict>: "model.disable_automatic_caching" is true, but provider 'openai' has no automatic caching; the setting has no effect`,
    ]);
  });
});

describe('unknown keys', () => {
  it('rejects an unknown top-level section, naming it and the known ones', () => {
    const error = configErrorOf(() => configFromDict({ model, extras: { a: 1 } }));
    expect(error.keyPath).toBe('extras');
    expect(error.message).toBe(
      '<dict>: "extras" is not a known section (expected one of: model, budget, prompt, parameters, preload, mcp, tools, ' +
        'env_info, file_descriptor, linked_programs, demo, mock, output); got a table {"a":1}',
    );
  });

  it('rejects an unknown key inside [prompt], naming prompt.<key>', () => {
    expect(messageOf({ model, prompt: { system_prompt: 'x', temperature: 1 } })).toBe(
      '<dict>: "prompt.temperature" is not a known key (expected one of: system_prompt, system, system_prompt_file, user, user_prompt); got 1',
    );
  });

  it('rejects [model].display_name spelled wrong instead of ignoring it', () => {
    expect(messageOf({ model: { ...model, displayname: 'x' } })).toMatch(
      /^<dict>: "model.displayname" is not a known key/,
    );
  });

  it('lists every issue on its own line, keyPath naming the first', () => {
    const error = configErrorOf(() =>
      configFromDict({ model: { name: 'x', provider: 'foo' }, prompt: { foo: 1 } }),
    );
    expect(error.message.split('\n')).toEqual([
      '<dict>: "model.provider" must be one of anthropic, anthropic_vertex, anthropic_bedrock, openai, azure_openai, gemini, gemini_vertex, mock; got "foo"',
      '<dict>: "prompt.foo" is not a known key (expected one of: system_prompt, system, system_prompt_file, user, user_prompt); got 1',
    ]);
    expect(error.keyPath).toBe('model.provider');
  });

  it('reads an empty YAML-style section (null) as absent, but not a null model', () => {
    expect(configFromDict({ model, prompt: null, tools: null }).tools.builtin).toEqual([]);
    expect(messageOf({ model: null })).toBe('<dict>: "model" must be a table; got null');
  });

  it('rejects a config that is not a table', () => {
    expect(messageOf(['model'])).toBe(
      '<dict>: (top level) must be a table of sections; got a list ["model"]',
    );
  });
});

describe('[prompt]', () => {
  it('accepts system as an alias of system_prompt and user_prompt of user', () => {
    const config = configFromDict({
      model,
      prompt: { system: 'You are terse.', user_prompt: 'Say hi' },
    });
    expect(config.systemPrompt).toBe('You are terse.');
    expect(config.userPrompt).toBe('Say hi');
  });

  it('rejects a key and its alias set together', () => {
    expect(messageOf({ model, prompt: { system: 'a', system_prompt: 'b' } })).toBe(
      '<dict>: "prompt.system" is an alias of "system_prompt", which is also set; set only one of them',
    );
  });
});

describe('[file_descriptor]', () => {
  it('rejects enabled = true without an fd tool, with the original message', () => {
    expect(messageOf({ model, file_descriptor: { enabled: true } })).toBe(
      `<dict>: "file_descriptor.enabled" is set to true, but no file descriptor tools ('read_fd', 'fd_to_file') are ` +
        `enabled in the [tools] section. Add at least 'read_fd' to tools.builtin.`,
    );
  });

  it('turns the fd system on with defaults when read_fd is listed without the section', () => {
    expect(configFromDict({ model, tools: { builtin: ['read_fd'] } }).fileDescriptor).toEqual({
      enabled: true,
      maxDirectOutputChars: 8000,
      defaultPageSize: 4000,
      maxInputChars: 8000,
      pageUserInput: true,
      enableReferences: false,
    });
    expect(configFromDict({ model }).fileDescriptor).toBeUndefined();
  });

  it('keeps the section settings when enabled', () => {
    const config = configFromDict({
      model,
      tools: { builtin: ['fd_to_file'] },
      file_descriptor: { enabled: true, max_direct_output_chars: 100, enable_references: true },
    });
    expect(config.fileDescriptor).toEqual({
      enabled: true,
      maxDirectOutputChars: 100,
      defaultPageSize: 4000,
      maxInputChars: 8000,
      pageUserInput: true,
      enableReferences: true,
    });
  });

  it('rejects sizes that are not positive integers', () => {
    expect(
      messageOf({
        model,
        tools: { builtin: ['read_fd'] },
        file_descriptor: { default_page_size: 0 },
      }),
    ).toBe('<dict>: "file_descriptor.default_page_size" must be a positive integer; got 0');
  });

  it('warns about a disabled section without fd tools', () => {
    const { warnings } = captureWarnings(() =>
      configFromDict({ model, file_descriptor: { enabled: false } }),
    );
    expect(warnings).toEqual([
      `<dict>: [file_descriptor] is present but disabled and no file descriptor tools ('read_fd', 'fd_to_file') are ` +
        'enabled in the [tools] section; the configuration has no effect',
    ]);
  });
});

describe('[env_info]', () => {
  it('expands "all" to the six standard variables, without file_map', () => {
    expect(configFromDict({ model, env_info: { variables: 'all' } }).envInfo.variables).toEqual([
      'working_directory',
      'platform',
      'date',
      'node_version',
      'hostname',
      'username',
    ]);
  });

  it('reads python_version as node_version and a single name as a list', () => {
    expect(
      configFromDict({ model, env_info: { variables: ['date', 'python_version', 'node_version'] } })
        .envInfo.variables,
    ).toEqual(['date', 'node_version']);
    expect(
      configFromDict({ model, env_info: { variables: 'file_map' } }).envInfo.variables,
    ).toEqual(['file_map']);
  });

  it('rejects file_map_max_files = 0', () => {
    expect(messageOf({ model, env_info: { file_map_max_files: 0 } })).toBe(
      '<dict>: "env_info.file_map_max_files" must be a positive integer; got 0',
    );
  });

  it('rejects an unknown variable name', () => {
    expect(messageOf({ model, env_info: { variables: ['date', 'weather'] } })).toBe(
      '<dict>: "env_info.variables[1]" must be "all" or one of working_directory, platform, date, node_version, ' +
        'python_version, hostname, username, file_map; got "weather"',
    );
  });

  it('turns extra string keys into custom lines and rejects other extra values', () => {
    const config = configFromDict({
      model,
      env_info: { variables: ['date'], project: 'llmproc', env_vars: { region: 'MY_REGION' } },
    });
    expect(config.envInfo).toEqual({
      variables: ['date'],
      commands: [],
      envVars: { region: 'MY_REGION' },
      fileMapMaxFiles: 50,
      fileMapShowSize: true,
      custom: { project: 'llmproc' },
    });
    expect(messageOf({ model, env_info: { retries: 3 } })).toBe(
      '<dict>: "env_info.retries" must be a string: extra [env_info] keys become "key: value" lines (known keys: ' +
        'variables, commands, env_vars, file_map_root, file_map_max_files, file_map_show_size); got 3',
    );
  });
});

describe('[mock]', () => {
  it('normalizes snake_case turns to the MockScript', () => {
    const config = configFromDict({
      model: { name: 'mock', provider: 'mock' },
      mock: {
        turns: [
          {
            text: 'Let me compute.',
            tool_calls: [{ name: 'calculator', args: { expression: '2+2' } }],
            stop_reason: 'tool_use',
          },
          { text: 'Done', when: 'compute', usage: { input_tokens: 5, output_tokens: 2 } },
        ],
        fallback_text: 'No more turns.',
      },
    });
    expect(config.mock).toEqual({
      turns: [
        {
          text: 'Let me compute.',
          toolCalls: [{ name: 'calculator', args: { expression: '2+2' } }],
          stopReason: 'tool_use',
        },
        {
          text: 'Done',
          toolCalls: [],
          when: 'compute',
          usage: { inputTokens: 5, outputTokens: 2 },
        },
      ],
      fallbackText: 'No more turns.',
    });
  });

  it('accepts camelCase turns from code, with args defaulting to an empty table', () => {
    const config = configFromDict({
      model: { name: 'mock', provider: 'mock' },
      mock: {
        turns: [
          {
            toolCalls: [{ name: 'fork', id: 'call_1' }],
            stopReason: 'tool_use',
            usage: { outputTokens: 1 },
          },
        ],
        fallbackText: 'x',
      },
    });
    expect(config.mock).toEqual({
      turns: [
        {
          toolCalls: [{ name: 'fork', args: {}, id: 'call_1' }],
          stopReason: 'tool_use',
          usage: { outputTokens: 1 },
        },
      ],
      fallbackText: 'x',
    });
  });

  it('rejects an unknown key in a turn and a tool call without a name', () => {
    const error = configErrorOf(() =>
      configFromDict({
        model: { name: 'mock', provider: 'mock' },
        mock: { turns: [{ txt: 'x' }, { tool_calls: [{ args: {} }] }] },
      }),
    );
    expect(error.message.split('\n')).toEqual([
      '<dict>: "mock.turns[0].txt" is not a known key (did you mean "text"?); got "x"',
      '<dict>: "mock.turns[1].tool_calls[0].name" is required (a string); got nothing',
    ]);
  });
});

describe('[demo] and [linked_programs] from a dict', () => {
  it('fills demo defaults', () => {
    expect(configFromDict({ model }).demo).toEqual({ prompts: [], pauseBetweenPrompts: true });
  });

  it('resolves linked program paths against baseDir without requiring the files', () => {
    const config = configFromDict(
      {
        model,
        linked_programs: {
          helper: 'helper.toml',
          expert: { path: '/abs/expert.yaml', description: 'An expert' },
        },
      },
      { baseDir: '/base' },
    );
    expect(config.linkedPrograms).toEqual({
      helper: { path: '/base/helper.toml', description: '' },
      expert: { path: '/abs/expert.yaml', description: 'An expert' },
    });
  });
});
