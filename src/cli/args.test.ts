import { describe, expect, it } from 'vitest';
import { parseArgs, usageErrorExitCode, type ParsedArgs } from './args.js';

function parse(argv: string[]): { parsed: ParsedArgs; out: string; err: string } {
  let out = '';
  let err = '';
  const parsed = parseArgs(argv, '9.9.9', {
    writeOut: (text) => {
      out += text;
    },
    writeErr: (text) => {
      err += text;
    },
  });
  return { parsed, out, err };
}

describe('parseArgs', () => {
  it('reads the program path and every option', () => {
    const { parsed } = parse([
      'prog.toml',
      '-p',
      'hi',
      '-a',
      '--json',
      '-q',
      '--debug',
      '--otel',
      '-i',
      '--max-iterations',
      '3',
      '--deny-tool',
      'spawn',
      '--deny-tool',
      'fork',
      '--confirm-tools',
      '--max-tokens',
      '500',
      '--max-cost',
      '0.25',
      '--timeout',
      '2m',
      '--image',
      'a.png',
      '--file',
      'b.pdf',
      '--image',
      'c.png',
    ]);
    expect(parsed).toEqual({
      type: 'run',
      options: {
        programPath: 'prog.toml',
        prompt: 'hi',
        promptFile: undefined,
        append: true,
        interactive: true,
        json: true,
        quiet: true,
        debug: true,
        otel: true,
        maxIterations: 3,
        denyTools: ['spawn', 'fork'],
        confirmTools: true,
        maxTokens: 500,
        maxCostUsd: 0.25,
        timeoutMs: 120_000,
        // One list for both flags, in the order given.
        attachments: [
          { kind: 'image', path: 'a.png' },
          { kind: 'document', path: 'b.pdf' },
          { kind: 'image', path: 'c.png' },
        ],
      },
    });
  });

  it('defaults every flag to off', () => {
    const { parsed } = parse(['prog.yaml', '--prompt-file', 'p.txt']);
    expect(parsed).toEqual({
      type: 'run',
      options: {
        programPath: 'prog.yaml',
        prompt: undefined,
        promptFile: 'p.txt',
        append: false,
        interactive: false,
        json: false,
        quiet: false,
        debug: false,
        otel: false,
        maxIterations: undefined,
        denyTools: [],
        confirmTools: false,
        maxTokens: undefined,
        maxCostUsd: undefined,
        timeoutMs: undefined,
        attachments: [],
      },
    });
  });

  it('prints the version and help and exits 0', () => {
    const version = parse(['--version']);
    expect(version.parsed).toEqual({ type: 'exit', code: 0 });
    expect(version.out).toBe('9.9.9\n');
    const help = parse(['--help']);
    expect(help.parsed).toEqual({ type: 'exit', code: 0 });
    expect(help.out).toContain('Usage: llmproc [options] <program>');
    expect(help.out).toContain('-p, --prompt <text>');
    expect(help.out).toContain('NO_COLOR');
  });

  it('exits with the usage code on a missing program or an unknown option', () => {
    const missing = parse([]);
    expect(missing.parsed).toEqual({ type: 'exit', code: usageErrorExitCode });
    expect(missing.err).toContain("error: missing required argument 'program'");
    const unknown = parse(['prog.toml', '--nope']);
    expect(unknown.parsed).toEqual({ type: 'exit', code: usageErrorExitCode });
    expect(unknown.err).toContain("error: unknown option '--nope'");
  });

  it('rejects a max-iterations that is not a positive integer', () => {
    const { parsed, err } = parse(['prog.toml', '--max-iterations', '0']);
    expect(parsed).toEqual({ type: 'exit', code: usageErrorExitCode });
    expect(err).toContain('must be a positive integer');
  });
});
