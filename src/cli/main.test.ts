/**
 * The CLI as users run it: the built `dist/cli-bundle/llmproc.js` in a subprocess (`npm test` builds first).
 * Each test checks stdout, stderr and the exit code.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { repoRoot as root, requireBuiltCli, runCli } from '../../test/support/run-cli.js';
const demo = path.join(root, 'examples/mock-tools.toml');
const calculator = path.join(root, 'examples/callbacks/calculator.toml');

let tmp = '';

async function tempConfig(name: string, text: string): Promise<string> {
  const file = path.join(tmp, name);
  await writeFile(file, text);
  return file;
}

const echoProgram = `
[model]
name = "mock"
provider = "mock"

[mock]
fallback_text = "scripted answer"
`;

beforeAll(async () => {
  requireBuiltCli();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'llmproc-cli-'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe.concurrent('llmproc CLI', () => {
  it('runs the demo program with its own user prompt: events on stderr, the answer on stdout', async () => {
    const run = await runCli([demo]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('6 * 7 = 42 (checked twice), and the folder listing is above.\n');
    const lines = run.stderr.split('\n');
    expect(lines).toContain('turn 1');
    expect(lines).toContain('  text: Let me compute that and look around first.');
    expect(lines).toContain('  tool: calculator {"expression":"6 * 7"}');
    expect(lines.some((line) => /^ {2}done: calculator \d+(\.\d)?(ms|s) → 42$/.test(line))).toBe(
      true,
    );
    expect(lines).toContain('  stderr: progress: computed 6 * 7 and listed the folder');
    expect(lines.some((line) => /^ {2}\[pid \d+\] turn 1$/.test(line))).toBe(true);
    expect(
      lines.some((line) => /^ {2}\[pid \d+\] {3}stderr: child: listed the folder again/.test(line)),
    ).toBe(true);
    expect(
      lines.some((line) =>
        /^completed: 3 turns, 4 tool calls, \d+ in \/ \d+ out tokens, .*, stop: end_turn$/.test(
          line,
        ),
      ),
    ).toBe(true);
    // Piped stderr and no FORCE_COLOR: no escape codes.
    expect(run.stderr).not.toContain('\u001b[');
  });

  it('takes the prompt from -p', async () => {
    const run = await runCli([calculator, '-p', 'What is 6 * 7?', '--quiet']);
    expect(run).toEqual({ code: 0, stdout: '6 * 7 = 42.\n', stderr: '' });
  });

  it('takes the prompt from stdin when -p is absent', async () => {
    const file = await tempConfig(
      'echo.toml',
      echoProgram.replace('fallback_text = "scripted answer"', ''),
    );
    const run = await runCli([file, '-q'], { input: 'hello from stdin\n' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      '(mock) The script has no turn left to play. You said: hello from stdin\n',
    );
  });

  it('takes the prompt from a file with -f and appends it to the user prompt with -a', async () => {
    const promptFile = path.join(tmp, 'prompt.txt');
    await writeFile(promptFile, 'from the file');
    const file = await tempConfig(
      'echo-user.toml',
      `[model]\nname = "mock"\nprovider = "mock"\n[prompt]\nuser = "from the config"\n`,
    );
    const run = await runCli([file, '-f', promptFile, '-a', '--json', '-q']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { lastMessage: string };
    expect(json.lastMessage).toBe(
      '(mock) The script has no turn left to play. You said: from the config\nfrom the file',
    );
  });

  it('prints the run result as one JSON object with --json', async () => {
    const run = await runCli([calculator, '-p', 'What is 6 * 7?', '--json']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      lastMessage: '6 * 7 = 42.',
      apiCalls: 2,
      toolCalls: [
        { toolName: 'calculator', args: { expression: '6 * 7' } },
        { toolName: 'write_stderr', args: { message: 'computed 6 * 7' } },
      ],
      stopReason: 'end_turn',
      status: 'completed',
      stderr: ['computed 6 * 7'],
    });
    expect(Object.keys(json).sort()).toEqual(
      [
        'apiCallInfos',
        'apiCalls',
        'durationMs',
        'endTime',
        'lastMessage',
        'runId',
        'startTime',
        'status',
        'stderr',
        'stopReason',
        'toolCalls',
        'usage',
      ].sort(),
    );
    expect(json['durationMs']).toEqual(expect.any(Number));
    // The event lines still go to stderr.
    expect(run.stderr).toContain('turn 1');
  });

  it('prints only the answer with --quiet', async () => {
    const run = await runCli([demo, '--quiet']);
    expect(run).toEqual({
      code: 0,
      stdout: '6 * 7 = 42 (checked twice), and the folder listing is above.\n',
      stderr: '',
    });
  });

  it('fails with one line and exit 1 on a config that does not validate', async () => {
    const file = await tempConfig(
      'bad.toml',
      `[model]\nname = "mock"\nprovider = "mock"\ncolour = "blue"\n`,
    );
    const run = await runCli([file, '-p', 'hi']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^Error loading program file: .*bad\.toml.*colour/),
    ]);
  });

  it('fails with one line and exit 1 on a config file that does not exist', async () => {
    const run = await runCli([path.join(tmp, 'missing.toml'), '-p', 'hi']);
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^Error loading program file: .*missing\.toml/),
    ]);
  });

  it('names a syntax error or a missing file once, on one line with the file, line and column', async () => {
    const toml = await tempConfig('open-string.toml', 'model = "x\n');
    const yaml = await tempConfig('indent.yaml', 'model:\n  name: mock\n provider: mock\n');
    const missing = path.join(tmp, 'no-such-program.toml');
    const runs = await Promise.all([toml, yaml, missing].map((file) => runCli([file, '-p', 'hi'])));
    expect(runs.map((run) => run.code)).toEqual([1, 1, 1]);
    expect(runs.map((run) => run.stdout)).toEqual(['', '', '']);
    expect(runs.map((run) => run.stderr)).toEqual([
      `Error loading program file: ${toml}: line 1, column 11: unfinished string: a string must end on the line it starts (use """ or ''' for text over several lines)\n`,
      `Error loading program file: ${yaml}: line 3, column 1: All mapping items must start at the same column\n`,
      `Error loading program file: Program file not found - Specified: '${missing}', Resolved: '${missing}'\n`,
    ]);
  });

  it('fails with one line and exit 1 on an empty prompt, before any API call', async () => {
    const run = await runCli([calculator, '-p', '   ']);
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'Error: Empty prompt\n' });
  });

  it('fails when there is no prompt anywhere', async () => {
    const file = await tempConfig('no-prompt.toml', echoProgram);
    const run = await runCli([file], { input: '' });
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error: No prompt provided via command line, stdin, or configuration\n',
    });
  });

  it('rejects -p together with -f as a usage error (exit 2)', async () => {
    const run = await runCli([calculator, '-p', 'a', '-f', 'b.txt']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      "error: option '-p, --prompt <text>' cannot be used with option '-f, --prompt-file <path>'\n(run llmproc --help for usage)\n",
    );
  });

  it('fails with one line naming the variable when the API key is missing', async () => {
    const run = await runCli([path.join(root, 'examples/anthropic.toml'), '-p', 'hi']);
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^Error initializing process: .*ANTHROPIC_API_KEY/),
    ]);
  });

  it('prints a stack trace only with --debug or DEBUG', async () => {
    const file = await tempConfig('no-prompt-2.toml', echoProgram);
    const withFlag = await runCli([file, '-p', ' ', '--debug']);
    expect(withFlag.code).toBe(1);
    expect(withFlag.stderr).toMatch(/^Error: Empty prompt\nPromptError: Empty prompt\n {4}at /);
    const withEnv = await runCli([file, '-p', ' '], { env: { DEBUG: '1' } });
    expect(withEnv.stderr).toMatch(/\n {4}at /);
  });

  it('colours stderr with FORCE_COLOR and never with NO_COLOR', async () => {
    const forced = await runCli([calculator, '-p', 'What is 6 * 7?'], {
      env: { FORCE_COLOR: '1' },
    });
    expect(forced.stderr).toContain('\u001b[1mturn 1\u001b[22m');
    const noColor = await runCli([calculator, '-p', 'What is 6 * 7?'], {
      env: { FORCE_COLOR: '1', NO_COLOR: '1' },
    });
    expect(noColor.code).toBe(0);
    expect(noColor.stderr).toContain('turn 1');
    expect(noColor.stderr).not.toContain('\u001b[');
    // stdout is the answer alone either way.
    expect(forced.stdout).toBe('6 * 7 = 42.\n');
  });

  it('prints its version and help', async () => {
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: llmproc [options] <program>');
  });

  it('prints config errors in the format docs/cli.md shows', async () => {
    const documented = readFileSync(path.join(root, 'docs/cli.md'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('Error loading program file: '));
    // A folder of its own: the tests run concurrently and another one writes a bad.toml too.
    const dir = path.join(tmp, 'documented-errors');
    await mkdir(dir, { recursive: true });
    await writeFile(
      path.join(dir, 'bad.toml'),
      '[model]\nname = "m"\nprovider = "antropic"\ncolour = 1\n',
    );
    await writeFile(path.join(dir, 'syntax.toml'), '[model\n');
    const runs = await Promise.all(
      ['bad.toml', 'syntax.toml'].map((file) => runCli([file, '-p', 'hi'], { cwd: dir })),
    );
    expect(runs.map((run) => run.code)).toEqual([1, 1]);
    expect(runs.map((run) => run.stderr.trimEnd())).toEqual(documented);
  });

  it('exits 2 on a usage error', async () => {
    const run = await runCli(['--no-such-option']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error: unknown option '--no-such-option'");
  });

  it('chats with -i: one answer per line of input, the conversation kept, until exit', async () => {
    const file = await tempConfig(
      'chat.toml',
      `[model]\nname = "mock"\nprovider = "mock"\n[[mock.turns]]\ntext = "first answer"\n[[mock.turns]]\ntext = "second answer"\n`,
    );
    const run = await runCli([file, '-i', '-q'], { input: 'hello\n\nagain\nexit\nnever asked\n' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('first answer\nsecond answer\n');
    expect(run.stderr).toContain('Type "exit" or press Ctrl-D to leave.');
  });

  it('numbers the turns of each prompt of a chat from 1', async () => {
    const file = await tempConfig(
      'chat-turns.toml',
      `[model]\nname = "mock"\nprovider = "mock"\n[tools]\nbuiltin = ["calculator"]\n` +
        `[[mock.turns]]\ntool_calls = [{ name = "calculator", args = { expression = "1+1" } }]\n` +
        `[[mock.turns]]\ntext = "two"\n` +
        `[[mock.turns]]\ntool_calls = [{ name = "calculator", args = { expression = "2+2" } }]\n` +
        `[[mock.turns]]\ntext = "four"\n`,
    );
    const run = await runCli([file, '-i'], { input: '1+1?\n2+2?\nexit\n' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('two\nfour\n');
    // A turn line may follow the chat's "> " prompt on the same line.
    const turns = run.stderr
      .split('\n')
      .flatMap((line) => /(?:^|> )(turn \d+)$/.exec(line)?.[1] ?? []);
    expect(turns).toEqual(['turn 1', 'turn 2', 'turn 1', 'turn 2']);
  });

  describe('against an API that fails', () => {
    let server: Server;
    let baseUrl = '';

    beforeAll(async () => {
      server = createServer((_request, response) => {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            type: 'error',
            error: { type: 'authentication_error', message: 'invalid x-api-key' },
          }),
        );
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      baseUrl = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
    });

    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('exits 1 with one line and never prints the API key', async () => {
      const file = await tempConfig(
        'anthropic-local.toml',
        `[model]\nname = "claude-haiku-4-5"\nprovider = "anthropic"\nbase_url = "${baseUrl}"\n[parameters]\nmax_tokens = 64\n`,
      );
      const run = await runCli([file, '-p', 'hi', '-q'], {
        env: { ANTHROPIC_API_KEY: 'sk-ant-secret-test-key' },
      });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.trimEnd().split('\n')).toEqual([
        expect.stringMatching(/^Error: .*(401|invalid x-api-key)/),
      ]);
      expect(run.stderr).not.toContain('sk-ant-secret-test-key');
    });
  });
});
