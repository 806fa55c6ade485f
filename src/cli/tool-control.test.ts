/**
 * --deny-tool and --confirm-tools as users run them: the built CLI in a subprocess, and for the y/n
 * prompt a real pseudo-terminal made by util-linux `script`, with answers typed into it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/cli-bundle/llmproc.js');
// Calls calculator, then write_stderr, and answers "6 * 7 = 42.".
const calculator = path.join(root, 'examples/callbacks/calculator.toml');

function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: '1', TERM: 'dumb' };
  for (const key of ['PATH', 'HOME', 'TMPDIR']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

function runCli(
  args: string[],
  input = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, env: cleanEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

interface ToolCallJson {
  toolName: string;
  decision?: string;
  denyReason?: string;
}

beforeAll(() => {
  if (!existsSync(cli))
    throw new Error(`${cli} is missing: run "npm run build" first (npm test does)`);
});

describe.concurrent('--deny-tool', () => {
  it('denies the named tools, tells the model why, and lets the others run', async () => {
    const run = await runCli([
      calculator,
      '-p',
      'What is 6 * 7?',
      '--deny-tool',
      'calculator',
      '--json',
      '-q',
    ]);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { toolCalls: ToolCallJson[]; stderr: string[] };
    expect(json.toolCalls.map((c) => [c.toolName, c.decision, c.denyReason])).toEqual([
      ['calculator', 'denied', 'calculator is denied by --deny-tool'],
      ['write_stderr', undefined, undefined],
    ]);
    expect(json.stderr).toEqual(['computed 6 * 7']);
  });

  it('is repeatable, and warns about a name the program has no tool for', async () => {
    const run = await runCli([
      calculator,
      '-p',
      'What is 6 * 7?',
      '--deny-tool',
      'calculator',
      '--deny-tool',
      'write_stderr',
      '--deny-tool',
      'rm_rf',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { toolCalls: ToolCallJson[] };
    expect(json.toolCalls.map((c) => c.decision)).toEqual(['denied', 'denied']);
    expect(run.stderr).toContain('llmproc: --deny-tool rm_rf: the program has no such tool');
    expect(run.stderr).toMatch(
      /\n {2}fail: calculator \d+(\.\d)?m?s → Tool call denied: calculator is denied by --deny-tool\n/,
    );
  });
});

describe('budget flags', () => {
  it('--max-tokens stops the run at its budget: exit status 3, a line naming it, status budget', async () => {
    const run = await runCli([
      calculator,
      '-p',
      'What is 6 * 7?',
      '--max-tokens',
      '1',
      '--json',
      '-q',
    ]);
    expect(run.code).toBe(3);
    const json = JSON.parse(run.stdout) as { status: string; stopReason: string; apiCalls: number };
    expect([json.status, json.stopReason, json.apiCalls]).toEqual(['budget', 'budget:tokens', 1]);
    expect(run.stderr).toBe('llmproc: the run stopped at its budget (budget:tokens)\n');
  });

  it('rejects a timeout that is not a duration as a usage error', async () => {
    const run = await runCli([calculator, '-p', 'x', '--timeout', 'soon']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('must be a duration such as 30000, 30s or 2m');
  });
});

describe('--confirm-tools without a terminal', () => {
  it('denies every call and says why', async () => {
    const run = await runCli([calculator, '--confirm-tools', '--json', '-q'], 'What is 6 * 7?');
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { toolCalls: ToolCallJson[] };
    const reason =
      '--confirm-tools needs a terminal to ask for approval, and stdin is not a terminal';
    expect(json.toolCalls.map((c) => [c.toolName, c.denyReason])).toEqual([
      ['calculator', reason],
      ['write_stderr', reason],
    ]);
    expect(run.stderr).toBe(
      `llmproc: denied calculator {"expression":"6 * 7"}: ${reason}\n` +
        `llmproc: denied write_stderr {"message":"computed 6 * 7"}: ${reason}\n`,
    );
  });
});

const hasScript = spawnSync('script', ['--version']).status === 0;

/** Quote for the `sh -c` command line that `script -c` runs. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

// CI must run this (util-linux is in every Debian image); a developer machine without `script` skips.
describe.skipIf(!hasScript && process.env['CI'] !== 'true')('--confirm-tools on a terminal', () => {
  it('prints each call, asks y/n in a real pseudo-terminal, and runs only what was approved', async () => {
    const command = [
      process.execPath,
      cli,
      calculator,
      '-p',
      'What is 6 * 7?',
      '--confirm-tools',
      '--json',
    ]
      .map(shellQuote)
      .join(' ');
    // -q: no banner; -e: exit with the CLI's code; -f: flush output at once; /dev/null: no log file.
    const child = spawn('script', ['-qefc', command, '/dev/null'], { cwd: root, env: cleanEnv() });
    let output = '';
    const waiters: { text: string; resolve: () => void }[] = [];
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      for (const waiter of [...waiters]) {
        if (output.includes(waiter.text)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const waitFor = (text: string): Promise<void> =>
      new Promise((resolve, reject) => {
        if (output.includes(text)) {
          resolve();
          return;
        }
        // Generous: a loaded two-core machine can be slow to start Node in a pty.
        const timer = setTimeout(() => {
          reject(new Error(`no "${text}" on the terminal after 30 s; got:\n${output}`));
        }, 30_000);
        waiters.push({
          text,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    try {
      await waitFor('Allow tool call calculator {"expression":"6 * 7"}? [y/N] ');
      child.stdin.write('y\n');
      await waitFor('Allow tool call write_stderr {"message":"computed 6 * 7"}? [y/N] ');
      child.stdin.write('n\n');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid);
    }
    const json = JSON.parse(/\{"lastMessage".*\}/.exec(output)?.[0] ?? '{}') as {
      toolCalls: ToolCallJson[];
      stderr: string[];
    };
    expect(json.toolCalls.map((c) => [c.toolName, c.denyReason])).toEqual([
      ['calculator', undefined],
      ['write_stderr', 'the user declined this tool call'],
    ]);
    expect(json.stderr).toEqual([]);
    expect(output).toContain('done: calculator');
  }, 90_000);
});
