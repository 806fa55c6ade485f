import { describe, expect, it } from 'vitest';
import { configFromDict } from './load.js';
import { configErrorOf } from './__fixtures__/helpers.js';

const model = { name: 'claude-3-5-haiku-20241022', provider: 'anthropic' };

function messageOf(dict: unknown): string {
  return configErrorOf(() => configFromDict(dict)).message;
}

describe('[tools]', () => {
  it('accepts enabled as an alias of builtin', () => {
    expect(configFromDict({ model, tools: { enabled: ['calculator'] } }).tools.builtin).toEqual([
      { name: 'calculator' },
    ]);
  });

  it('rejects an unknown builtin tool name', () => {
    const error = configErrorOf(() =>
      configFromDict({ model, tools: { builtin: ['calculator', 'x'] } }),
    );
    expect(error.keyPath).toBe('tools.builtin[1]');
    expect(error.message).toBe(
      `<dict>: "tools.builtin[1]" Unknown tool name: 'x' (expected one of calculator, read_file, list_dir, ` +
        'write_stderr, fork, spawn, goto, read_fd, fd_to_file)',
    );
  });

  it('normalizes builtin tables, with access case-insensitive', () => {
    const config = configFromDict({
      model,
      tools: {
        builtin: [
          'calculator',
          {
            name: 'read_file',
            alias: 'read',
            description: 'Read it',
            param_descriptions: { file_path: 'Where' },
            access: 'READ',
          },
        ],
      },
    });
    expect(config.tools.builtin).toEqual([
      { name: 'calculator' },
      {
        name: 'read_file',
        alias: 'read',
        description: 'Read it',
        paramDescriptions: { file_path: 'Where' },
        access: 'read',
      },
    ]);
  });

  it('reports an error inside a builtin table rather than "must be a name or a table"', () => {
    expect(messageOf({ model, tools: { builtin: [{ name: 'calculator', aliass: 'c' }] } })).toBe(
      '<dict>: "tools.builtin[0].aliass" is not a known key (did you mean "alias"?); got "c"',
    );
    expect(messageOf({ model, tools: { builtin: [7] } })).toBe(
      '<dict>: "tools.builtin[0]" must be a builtin tool name or a table { name, alias, description, param_descriptions, access }; got 7',
    );
  });

  it('rejects a builtin tool listed twice', () => {
    expect(messageOf({ model, tools: { builtin: ['calculator', { name: 'calculator' }] } })).toBe(
      `<dict>: "tools.builtin[1]" lists 'calculator' again (already at "tools.builtin[0]"); list each tool once`,
    );
  });

  it('rejects two aliases for the same tool with the one-to-one message', () => {
    const error = configErrorOf(() =>
      configFromDict({
        model,
        tools: {
          builtin: [{ name: 'calculator', alias: 'calc' }],
          aliases: { math: 'calculator' },
        },
      }),
    );
    expect(error.keyPath).toBe('tools.aliases.math');
    expect(error.message).toBe(
      `<dict>: "tools.aliases.math" Multiple aliases point to the same target tool 'calculator': 'calc' and 'math'. ` +
        'One-to-one mapping is required.',
    );
  });

  it('rejects one alias naming two tools', () => {
    expect(
      messageOf({
        model,
        tools: {
          builtin: [
            { name: 'calculator', alias: 'x' },
            { name: 'list_dir', alias: 'x' },
          ],
        },
      }),
    ).toBe(
      `<dict>: "tools.builtin[1].alias" Alias 'x' is already used for tool 'calculator'; an alias must name one tool (here 'list_dir')`,
    );
  });

  it('keeps the [tools].aliases table separate from entry aliases', () => {
    const config = configFromDict({
      model,
      tools: { builtin: [{ name: 'calculator', alias: 'calc' }], aliases: { ls: 'list_dir' } },
    });
    expect(config.tools.aliases).toEqual({ ls: 'list_dir' });
    expect(config.tools.builtin).toEqual([{ name: 'calculator', alias: 'calc' }]);
  });
});

describe('[tools.mcp] and [mcp]', () => {
  const servers = {
    everything: { command: 'npx', args: ['-y', 'server-everything'] },
    web: { type: 'sse', url: 'https://example.com/sse' },
  };

  it('normalizes every selection form', () => {
    const config = configFromDict({
      model,
      mcp: { servers },
      tools: {
        mcp: {
          everything: ['add', { name: 'echo', access: 'read', alias: 'say' }],
          web: { fetch: 'read', search: { access: 'admin', description: 'Search the web' } },
        },
      },
    });
    expect(config.tools.mcp).toEqual({
      everything: {
        all: false,
        tools: [{ name: 'add' }, { name: 'echo', access: 'read', alias: 'say' }],
      },
      web: {
        all: false,
        tools: [
          { name: 'fetch', access: 'read' },
          { name: 'search', access: 'admin', description: 'Search the web' },
        ],
      },
    });
    expect(
      configFromDict({ model, mcp: { servers }, tools: { mcp: { web: 'all' } } }).tools.mcp,
    ).toEqual({
      web: { all: true, access: 'write' },
    });
    expect(config.mcp).toEqual({
      servers: {
        everything: { type: 'stdio', command: 'npx', args: ['-y', 'server-everything'], env: {} },
        web: { type: 'sse', url: 'https://example.com/sse', args: [], env: {} },
      },
    });
  });

  it('rejects a selection that is neither "all", a list nor a table', () => {
    expect(messageOf({ model, mcp: { servers }, tools: { mcp: { web: 'some' } } })).toBe(
      '<dict>: "tools.mcp.web" must be "all", a list of tool names or tables, or a table of tool name = access level or settings; got "some"',
    );
  });

  it('reports a bad access level deep inside a selection table', () => {
    expect(
      messageOf({
        model,
        mcp: { servers },
        tools: { mcp: { web: { fetch: { access: 'root' } } } },
      }),
    ).toBe('<dict>: "tools.mcp.web.fetch.access" must be one of read, write, admin; got "root"');
  });

  it('rejects [tools.mcp] without an [mcp] section', () => {
    expect(messageOf({ model, tools: { mcp: { web: 'all' } } })).toBe(
      '<dict>: "tools.mcp" selects MCP tools, but there is no [mcp] section with config_path or servers to start the servers',
    );
  });

  it('rejects a selection naming a server missing from [mcp.servers]', () => {
    expect(messageOf({ model, mcp: { servers }, tools: { mcp: { other: 'all' } } })).toBe(
      `<dict>: "tools.mcp.other" names MCP server 'other', which is not defined in [mcp.servers] (defined: everything, web)`,
    );
  });

  it('requires a command for stdio servers and a url for sse ones', () => {
    const error = configErrorOf(() =>
      configFromDict({
        model,
        mcp: { servers: { a: { args: [] }, b: { type: 'streamable_http' } } },
      }),
    );
    expect(error.message.split('\n')).toEqual([
      '<dict>: "mcp.servers.a.command" is required for a stdio server (a string); got nothing',
      '<dict>: "mcp.servers.b.url" is required for a streamable_http server (an http(s) URL); got nothing',
    ]);
  });
});
