/**
 * The package as a new user gets it: what `npm pack` ships, and the README's "Use it" example run
 * against the built package (imported as `llmproc`, as in a user's project).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { extractBlocks } from './support/markdown.js';
import { cleanEnv, repoRoot, requireBuiltCli, runCli } from './support/run-cli.js';

const run = promisify(execFile);
const useIt = readFileSync(path.join(repoRoot, 'README.md'), 'utf8').split('## Use it')[1] ?? '';
const useItBlocks = extractBlocks('README.md', useIt);

const tmp = mkdtempSync(path.join(tmpdir(), 'llmproc-package-'));
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('the package', () => {
  it('ships no test code, no fixtures and no __fixtures__ (npm pack)', async () => {
    // --ignore-scripts: dist/ is already built by the test setup; prepack would build it again.
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: repoRoot,
      maxBuffer: 64 * 1024 * 1024,
    });
    const [pack] = JSON.parse(stdout) as [{ files: { path: string }[] }];
    const files = pack.files.map((file) => file.path);
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/cli-bundle/llmproc.js');
    expect(files).toContain('README.md');
    const testCode = files.filter((file) =>
      /(^|\/)(test|tests|__fixtures__|fixtures)\/|\.test\.|\.test-d\.|\.test-helper\./.test(file),
    );
    expect(testCode).toEqual([]);
    expect(files.filter((file) => !file.startsWith('dist/'))).toEqual([
      'CHANGELOG.md',
      'README.md',
      'package.json',
    ]);
  });
});

describe("the README's Use it section", () => {
  it('has one TypeScript example, and it runs as a user would run it', async () => {
    const examples = useItBlocks.filter((block) => block.lang === 'ts');
    expect(examples).toHaveLength(1);
    // Inside the repository, so `llmproc` resolves to this package's exports (dist/) by its name.
    const dir = path.join(repoRoot, 'test/.docs-build');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'readme-app.mts');
    writeFileSync(file, examples[0]?.code ?? '');
    const { stdout, stderr } = await run(process.execPath, [file], {
      cwd: tmp,
      env: cleanEnv(),
    });
    expect(stdout).toMatch(/^6 \* 7 = 42\. \{\n {2}inputTokens: \d+,/);
    expect(stderr).toBe('-> calculator {"expression":"6 * 7"}\n<- calculator: 42\n');
  });

  it('runs its config file with the CLI', async () => {
    requireBuiltCli();
    const script = useItBlocks.find((block) => block.lang === 'sh' && block.code.includes('TOML'));
    const toml = /<<'TOML'\n([\s\S]*?)\nTOML\n/.exec(script?.code ?? '')?.[1];
    expect(toml).toContain('provider = "mock"');
    const file = path.join(tmp, 'program.toml');
    writeFileSync(file, toml ?? '');
    const result = await runCli([file, '-p', 'Hi', '--quiet']);
    expect(result).toEqual({ code: 0, stdout: 'Hello from the mock model.\n', stderr: '' });
  });

  it('says the package is ESM-only and needs Node 22', () => {
    expect(useIt).toMatch(/ESM only/);
    expect(useIt).toMatch(/Node\.js 22 or newer/);
  });
});
