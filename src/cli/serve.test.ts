import { describe, expect, it } from 'vitest';
import { parseServeArgs, serviceName } from './serve.js';

function parse(argv: string[]): { result: ReturnType<typeof parseServeArgs>; err: string } {
  let err = '';
  const result = parseServeArgs(argv, {
    writeOut: () => undefined,
    writeErr: (text) => {
      err += text;
    },
  });
  return { result, err };
}

describe('llmproc serve arguments', () => {
  it('defaults to port 9080 on 127.0.0.1, no registration', () => {
    expect(parse(['agent.toml']).result).toEqual({
      type: 'serve',
      options: {
        programPath: 'agent.toml',
        port: 9080,
        host: '127.0.0.1',
        name: undefined,
        register: undefined,
        quiet: false,
        debug: false,
      },
    });
  });

  it('takes a port, a name and the admin URL to register with', () => {
    const { result } = parse([
      'agent.toml',
      '--port',
      '0',
      '--name',
      'helper',
      '--register',
      'http://127.0.0.1:9070',
    ]);
    expect(result).toMatchObject({
      options: { port: 0, name: 'helper', register: 'http://127.0.0.1:9070/' },
    });
  });

  it('rejects a port that is not a port number, as a usage error', () => {
    const { result, err } = parse(['agent.toml', '--port', '99999']);
    expect(result).toEqual({ type: 'exit', code: 2 });
    expect(err).toContain('must be a port number');
  });

  it('names the service after the program file unless --name is given', () => {
    expect(serviceName({ programPath: 'examples/mock-tools.toml', name: undefined })).toBe(
      'mock-tools',
    );
    expect(serviceName({ programPath: 'a/b/agent.yaml', name: undefined })).toBe('agent');
    expect(serviceName({ programPath: 'agent.toml', name: 'other' })).toBe('other');
  });
});
