/**
 * The docs cannot rot: every ```ts block of docs/*.md is written to test/.docs-build/ and type-checked
 * as its own module, importing `llmproc` the way users do (the package's exports, i.e. dist/*.d.ts,
 * built by `npm test` first). Blocks opened with ```ts run are also run with Node, from the
 * repository's root; a ```text output block right after one holds its expected stdout. Blocks opened
 * with ```ts vitest are test files a user would write: they run under vitest, in a vitest of their own.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseToml } from 'smol-toml';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractBlocks, type MarkdownBlock } from './support/markdown.js';

const root = path.resolve(import.meta.dirname, '..');
const docsDir = path.join(root, 'docs');
const buildDir = path.join(root, 'test/.docs-build');
const run = promisify(execFile);

type CodeBlock = MarkdownBlock & { file: string };

function collectBlocks(): CodeBlock[] {
  const docs = readdirSync(docsDir)
    .filter((name) => name.endsWith('.md'))
    .sort();
  return docs.flatMap((name) =>
    extractBlocks(name, readFileSync(path.join(docsDir, name), 'utf8'))
      .filter((block) => block.lang === 'ts' || block.lang === 'typescript')
      .map((block) => ({
        ...block,
        file: path.join(buildDir, `${name.replace(/\.md$/, '')}-L${String(block.line)}.ts`),
      })),
  );
}

/** Type-check the written blocks with the repository's compiler options; one message per error. */
function typeCheck(files: string[]): string[] {
  const configFile = ts.readConfigFile(path.join(root, 'tsconfig.json'), (file) =>
    ts.sys.readFile(file),
  );
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
  // Without tsconfig's `paths`, `llmproc` resolves through package.json exports to dist/*.d.ts, as in
  // a user's project.
  const { paths: _paths, ...base } = parsed.options;
  const options: ts.CompilerOptions = {
    ...base,
    noEmit: true,
    // The blocks run with Node's type stripping: no enums, namespaces or parameter properties.
    erasableSyntaxOnly: true,
  };
  const program = ts.createProgram(files, options);
  const wanted = new Set(files.map((file) => path.resolve(file)));
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || wanted.has(path.resolve(d.file.fileName)))
    .map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (!d.file || d.start === undefined) return message;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${path.relative(root, d.file.fileName)}(${String(line + 1)},${String(character + 1)}): ${message}`;
    });
}

const blocks = collectBlocks();

function tomlBlocks(): CodeBlock[] {
  return readdirSync(docsDir)
    .filter((name) => name.endsWith('.md'))
    .flatMap((name) => extractBlocks(name, readFileSync(path.join(docsDir, name), 'utf8')))
    .filter((block) => block.lang === 'toml')
    .map((block) => ({ ...block, file: '' }));
}

beforeAll(() => {
  if (!existsSync(path.join(root, 'dist/index.d.ts'))) {
    throw new Error('dist/ is missing: run "npm run build" first (npm test does)');
  }
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(buildDir, { recursive: true });
  for (const block of blocks) {
    writeFileSync(
      block.file,
      `// From docs/${block.doc}, line ${String(block.line)}.\n${block.code}`,
    );
  }
});

describe('docs', () => {
  it('has TypeScript blocks in the callback guide and in every area page', () => {
    const docs = new Set(blocks.map((block) => block.doc));
    for (const doc of [
      'callbacks.md',
      'programs.md',
      'tools.md',
      'fork.md',
      'providers.md',
      'cli.md',
      'testing.md',
    ]) {
      expect(docs, doc).toContain(doc);
    }
    expect(blocks.filter((block) => block.doc === 'callbacks.md').length).toBeGreaterThanOrEqual(
      10,
    );
  });

  it('reads fences, run flags and expected output', () => {
    const markdown = [
      '```ts run',
      'a',
      '```',
      '',
      '```text output',
      'b',
      '```',
      '```sh',
      'c',
      '```',
    ].join('\n');
    expect(extractBlocks('x.md', markdown)).toEqual([
      { doc: 'x.md', line: 1, lang: 'ts', flags: ['run'], code: 'a\n', expectedOutput: 'b\n' },
      { doc: 'x.md', line: 8, lang: 'sh', flags: [], code: 'c\n' },
    ]);
  });

  it('has valid TOML in every TOML block', () => {
    const failures = tomlBlocks().flatMap((block) => {
      try {
        parseToml(block.code);
        return [];
      } catch (error) {
        return [
          `docs/${block.doc} line ${String(block.line)}: ${error instanceof Error ? error.message : String(error)}`,
        ];
      }
    });
    expect(failures).toEqual([]);
  });

  it('type-checks every TypeScript block', () => {
    // One program for all blocks: a few seconds, where a tsc per block would take minutes.
    expect(typeCheck(blocks.map((block) => block.file))).toEqual([]);
  }, 60_000);

  const vitestBlocks = blocks.filter((b) => b.flags.includes('vitest'));
  it.runIf(vitestBlocks.length > 0)(
    'passes the vitest blocks under vitest',
    async () => {
      // A config of their own: only these files, none of this repository's setup.
      const config = path.join(buildDir, 'vitest.docs.config.mjs');
      const files = vitestBlocks.map((block) => path.basename(block.file));
      writeFileSync(config, `export default { test: { include: ${JSON.stringify(files)} } };\n`);
      const vitest = path.join(root, 'node_modules/vitest/vitest.mjs');
      const reportFile = path.join(buildDir, 'vitest-report.json');
      await run(
        process.execPath,
        [
          vitest,
          'run',
          '--root',
          buildDir,
          '--config',
          config,
          '--reporter',
          'json',
          '--outputFile',
          reportFile,
        ],
        { cwd: root, env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' } },
      ).catch((error: unknown) => {
        const { stdout: out = '', stderr = '' } = error as { stdout?: string; stderr?: string };
        throw new Error(`the vitest blocks failed:\n${out}\n${stderr}`);
      });
      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
        numPassedTests: number;
        numFailedTests: number;
      };
      expect(report.numFailedTests).toBe(0);
      expect(report.numPassedTests).toBeGreaterThan(0);
    },
    60_000,
  );

  describe.concurrent('runnable blocks', () => {
    for (const block of blocks.filter((b) => b.flags.includes('run'))) {
      it(`runs docs/${block.doc} line ${String(block.line)}`, async () => {
        const { stdout, stderr } = await run(process.execPath, [block.file], {
          cwd: root,
          env: { PATH: process.env['PATH'] ?? '' },
        });
        expect(stderr).toBe('');
        if (block.expectedOutput !== undefined) expect(stdout).toBe(block.expectedOutput);
      });
    }
  });
});
