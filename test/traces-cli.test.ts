/**
 * Traces from the command line, as users run it: the built CLI in a subprocess.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTrace } from '../src/traces/read.js';
import { repoRoot, requireBuiltCli, runCli } from './support/run-cli.js';

const demo = path.join(repoRoot, 'examples/mock-tools.toml');
let tmp = '';

beforeAll(async () => {
  requireBuiltCli();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'llmproc-traces-cli-'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('llmproc --record', () => {
  it('writes a trace of the run that reads back, with the answer it printed', async () => {
    const file = path.join(tmp, 'run.jsonl');
    const run = await runCli([demo, '-p', 'What is 6*7?', '--record', file, '--quiet']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const trace = readTrace(file);
    expect(trace.header.programs['main']).toMatchObject({ provider: 'mock' });
    const responses = trace.events.filter((event) => event.name === 'response');
    expect(responses.at(-1)?.args[0]).toBe(run.stdout.trimEnd());
    expect(trace.exchanges.length).toBeGreaterThan(0);
    expect(await readFile(file, 'utf8')).toMatch(/\n$/);
  });

  it('fails before running when the trace cannot be written', async () => {
    const run = await runCli([demo, '-p', 'hi', '--record', path.join(tmp, 'no/such/dir.jsonl')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Cannot record a trace to .*no\/such\/dir\.jsonl: ENOENT/);
    expect(run.stdout).toBe('');
  });
});
