/**
 * `--image PATH` and `--file PATH` through the built CLI in a subprocess (`npm test` builds first):
 * the parts follow the -p text in the order given, and a bad part fails with exit status 1 before
 * any model call.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, requireBuiltCli, runCli } from './support/run-cli.js';

const potato = path.join(repoRoot, 'test/fixtures/parts/potato.jpg');
const pdf = path.join(repoRoot, 'test/fixtures/parts/dummy.pdf');
let tmp = '';
let program = '';

beforeAll(async () => {
  requireBuiltCli();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'llmproc-cli-parts-'));
  program = path.join(tmp, 'echo.toml');
  // No turns: the mock answers by echoing the latest user text, parts written as placeholders.
  await writeFile(program, '[model]\nname = "mock"\nprovider = "mock"\n');
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('--image and --file', () => {
  it('send the files after the prompt text, in the order given', async () => {
    const run = await runCli([
      program,
      '-q',
      '-p',
      'What are these?',
      '--image',
      potato,
      '--file',
      pdf,
      '--image',
      potato,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'What are these? [image: image/jpeg, 31.1 KB] [document: dummy.pdf, application/pdf, 13.0 KB] [image: image/jpeg, 31.1 KB]',
    );
  });

  it('fail with status 1 and the part named when a file is missing', async () => {
    const missing = path.join(tmp, 'missing.png');
    const run = await runCli([program, '-q', '-p', 'Look', '--image', missing, '--json']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      `run(): parts[1] (image from ${JSON.stringify(missing)}) names no file`,
    );
  });

  it('need a prompt to go with', async () => {
    const run = await runCli([program, '-q', '-i', '--image', potato], { input: 'exit\n' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--image and --file go with a prompt (-p, -f or piped stdin)');
  });
});
