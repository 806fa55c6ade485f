/**
 * Every example under examples/ run as users run it: `node examples/<file>.ts`, on the mock configs
 * beside them (no API key), importing `llmproc` through the package's own exports (dist/, built by
 * `npm test` first). Node strips the TypeScript types itself (Node >= 22.18).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { LLMProgram } from '../src/index.js';

const root = path.resolve(import.meta.dirname, '..');
const run = promisify(execFile);

async function runExample(file: string, args: string[] = []): Promise<string> {
  const { stdout, stderr } = await run(process.execPath, [path.join(root, file), ...args], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', LLMPROC_LOG_LEVEL: 'warn' },
  });
  expect(stderr).toBe('');
  return stdout;
}

function lines(text: string): string[] {
  return text.trimEnd().split('\n');
}

beforeAll(() => {
  if (!existsSync(path.join(root, 'dist/index.js'))) {
    throw new Error('dist/ is missing: run "npm run build" first (npm test does)');
  }
});

describe('examples', () => {
  it('loads every example config, the real-provider ones included', () => {
    const configs = [
      ...readdirSync(path.join(root, 'examples')).map((f) => `examples/${f}`),
      ...readdirSync(path.join(root, 'examples/callbacks')).map((f) => `examples/callbacks/${f}`),
      ...readdirSync(path.join(root, 'examples/scripts')).map((f) => `examples/scripts/${f}`),
    ].filter((f) => f.endsWith('.toml') || f.endsWith('.yaml'));
    expect(configs.sort()).toEqual([
      'examples/anthropic.toml',
      'examples/callbacks/calculator.toml',
      'examples/gemini.toml',
      'examples/mock-tools.toml',
      'examples/openai.toml',
      'examples/scripts/callback_demo.toml',
    ]);
    const providers = configs.map((f) => LLMProgram.fromFile(path.join(root, f)).provider);
    expect(new Set(providers)).toEqual(new Set(['mock', 'anthropic', 'openai', 'gemini']));
  });
});

describe.concurrent('callback examples', () => {
  it('function-callback.ts narrows the arguments by event', async () => {
    expect(lines(await runExample('examples/callbacks/function-callback.ts'))).toEqual([
      'Response: Let me compute that for you, s...',
      'Tool started: calculator {"expression":"6 * 7"}',
      'Tool completed: calculator -> 42',
      'Tool started: write_stderr {"message":"computed 6 * 7"}',
      'Tool completed: write_stderr -> written',
      'Response: 6 * 7 = 42....',
      'Answer: 6 * 7 = 42.',
    ]);
  });

  it('class-callback.ts calls the methods named after the events', async () => {
    expect(lines(await runExample('examples/callbacks/class-callback.ts'))).toEqual([
      'Response: Let me compute that for you, s...',
      'Tool started: calculator {"expression":"6 * 7"}',
      'Tool completed: calculator -> 42',
      'Tool started: write_stderr {"message":"computed 6 * 7"}',
      'Tool completed: write_stderr -> written',
      'Response: 6 * 7 = 42....',
      'Answer: 6 * 7 = 42.',
    ]);
  });

  it('async-callback.ts has logged every event when run() resolves', async () => {
    expect(lines(await runExample('examples/callbacks/async-callback.ts'))).toEqual([
      'Logged 16 events: turn_start, api_request, api_response, response, tool_start, tool_end, tool_start, stderr_write, tool_end, turn_end, turn_start, api_request, api_response, response, turn_end, run_end',
      'Answer: 6 * 7 = 42.',
    ]);
  });

  it('mixed-callbacks.ts runs sync methods at once and awaits the async ones', async () => {
    expect(lines(await runExample('examples/callbacks/mixed-callbacks.ts'))).toEqual([
      'sync start: calculator',
      'sync start: write_stderr',
      'async response saved: Let me compute that for you, s',
      'async response saved: 6 * 7 = 42.',
      'Saved 2 responses before run() resolved',
      'Answer: 6 * 7 = 42.',
    ]);
  });

  it('timing-callback.ts counts and times each tool', async () => {
    const out = lines(await runExample('examples/callbacks/timing-callback.ts'));
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^calculator: 1 call\(s\), total \d+\.\d\d ms, average \d+\.\d\d ms$/);
    expect(out[1]).toMatch(/^write_stderr: 1 call\(s\), total \d+\.\d\d ms, average \d+\.\d\d ms$/);
  });

  it('api-logger.ts keeps the raw request and response of each API call', async () => {
    expect(lines(await runExample('examples/callbacks/api-logger.ts'))).toEqual([
      '2 API calls (RunResult.apiCalls = 2)',
      'call 1 request: model, max_tokens, messages, system, tools',
      'call 1 response: id, type, role, model, content, stop_reason, stop_sequence, usage',
      'call 2 request: model, max_tokens, messages, system, tools',
      'call 2 response: id, type, role, model, content, stop_reason, stop_sequence, usage',
    ]);
  });

  it('chaining.ts registers callbacks on start() and on the process, and removes one', async () => {
    expect(lines(await runExample('examples/callbacks/chaining.ts'))).toEqual([
      '2 callbacks registered',
      'Response: Let me compute that for you, step by step.',
      'Response: 6 * 7 = 42.',
      'Events seen: turn_start=2 api_request=2 api_response=2 response=2 tool_start=2 tool_end=2 stderr_write=1 turn_end=2 run_end=1',
    ]);
  });

  it("fork-inheritance.ts shows the parent's callback receiving the child's events", async () => {
    expect(lines(await runExample('examples/callbacks/fork-inheritance.ts'))).toEqual([
      'pid 1: turn_start',
      'pid 1: response Let me compute that for you, step by step.',
      'pid 1: tool_start calculator',
      'pid 1: tool_start write_stderr',
      'pid 1: turn_start',
      'pid 1: response 6 * 7 = 42.',
      'forked pid 2 from pid 1, with 1 inherited callback(s)',
      'pid 2 (child of 1): turn_start',
      'pid 2 (child of 1): tool_start calculator',
      'pid 2 (child of 1): turn_start',
      'pid 2 (child of 1): response 7 * 8 = 56.',
      'child answered: 7 * 8 = 56.',
      'messages: parent 4, child 8',
    ]);
  });
});

describe.concurrent('scripts/callback_demo.ts', () => {
  it('shows all eight events on a run with tool calls and a fork', async () => {
    const out = lines(await runExample('examples/scripts/callback_demo.ts'));
    expect(out.slice(0, 10)).toEqual([
      'turn_start   1 messages so far',
      'api_request  model mock, 1 messages',
      'api_response id msg_mock_1',
      'response     First the product.',
      'tool_start   calculator {"expression":"6 * 7"}',
      'tool_end     calculator ok: 42',
      'tool_start   write_stderr {"message":"6 * 7 computed"}',
      'stderr_write 6 * 7 computed',
      'tool_end     write_stderr ok: written',
      'turn_end     2 tool result(s)',
    ]);
    // The fork children's events, tagged with their pids, fall between the fork's start and end.
    const forkStart = out.indexOf(
      'tool_start   fork {"prompts":["Check by division","Check by addition"]}',
    );
    const forkEnd = out.findIndex((line) =>
      line.startsWith('tool_end     fork ok: [{"id":0,"message":"42 / 7 = 6: correct."}'),
    );
    expect(forkStart).toBeGreaterThan(0);
    const childLines = out.slice(forkStart + 1, forkEnd);
    expect(childLines.length).toBeGreaterThan(10);
    expect(childLines.every((line) => /^ {4}\[pid \d+\] /.test(line))).toBe(true);
    expect(
      childLines.some((line) => line.endsWith('response     Seven sixes add up to 42: correct.')),
    ).toBe(true);
    // Each fork child's run ends (run_end) before the fork's tool_end; the parent's run ends last.
    expect(childLines.filter((line) => line.includes('run_end      completed'))).toHaveLength(2);
    expect(out.at(-18)).toBe('run_end      completed after 3 turn(s)');
    expect(out.slice(-16)).toEqual([
      'answer: 6 * 7 = 42, checked two ways.',
      'stderr log: ["6 * 7 computed"]',
      '',
      'event counts (parent and children):',
      '  tool_start   4',
      '  tool_end     4',
      '  response     5',
      '  api_request  6',
      '  api_response 6',
      '  turn_start   6',
      '  turn_end     6',
      '  stderr_write 1',
      '  text_delta   0',
      '  run_end      3',
      '  callback_error 0',
      'all eight events seen',
    ]);
  });

  it('adds text_delta events with --stream', async () => {
    const out = lines(await runExample('examples/scripts/callback_demo.ts', ['--stream']));
    expect(out.at(-4)).toMatch(/^ {2}text_delta {3}[1-9]\d*$/);
    expect(out.at(-1)).toBe('all eight events seen');
  });
});
