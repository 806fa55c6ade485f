/**
 * The root entry never loads OpenTelemetry: a program that does not import `llmproc/otel` pays
 * nothing for it, and works without `@opentelemetry/api` installed. Checked on the built package
 * (dist/, built by the global setup): the import graph of each entry (every static and dynamic
 * import, followed with dependency-cruiser), and what a fresh Node actually resolves when a program
 * runs through the library and through the CLI without --otel.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { cruise } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

/** Every module reachable from `entry` (static and dynamic imports), as resolved paths. */
async function reachable(entry: string): Promise<string[]> {
  const result = await cruise([entry], {
    baseDir: root,
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: false,
  });
  if (typeof result.output === 'string') throw new Error('expected a cruise result object');
  const edges = new Map(
    result.output.modules.map((m) => [m.source, m.dependencies.map((d) => d.resolved)]),
  );
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const next = queue.pop() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...(edges.get(next) ?? []));
  }
  return [...seen];
}

/** Run `body` in a fresh Node from the repository root; the specifiers it resolved that name otel. */
function otelModulesResolvedBy(body: string): string[] {
  const script = `
    import { registerHooks } from 'node:module';
    const seen = [];
    registerHooks({ resolve(specifier, context, next) { seen.push(specifier); return next(specifier, context); } });
    process.on('exit', () => process.stderr.write('\\nRESOLVED ' + JSON.stringify(seen.filter((s) => /otel|opentelemetry/i.test(s))) + '\\n'));
    ${body}
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' },
  });
  const line = child.stderr.split('\n').find((l) => l.startsWith('RESOLVED '));
  if (child.status !== 0 || line === undefined)
    throw new Error(`the script failed (${String(child.status)}):\n${child.stderr}`);
  return JSON.parse(line.slice('RESOLVED '.length)) as string[];
}

describe('the OpenTelemetry integration stays behind llmproc/otel', () => {
  it('the root entry and llmproc/callbacks reach no @opentelemetry package', async () => {
    for (const entry of ['dist/index.js', 'dist/callbacks.js']) {
      const modules = await reachable(entry);
      expect(modules.length, entry).toBeGreaterThan(entry === 'dist/index.js' ? 50 : 1);
      expect(
        modules.filter((m) => m.includes('@opentelemetry')),
        entry,
      ).toEqual([]);
    }
  }, 60_000);

  it('llmproc/otel does reach @opentelemetry/api (so the check above can fail)', async () => {
    const modules = await reachable('dist/otel.js');
    expect(modules.some((m) => m.includes('node_modules/@opentelemetry/api'))).toBe(true);
  }, 60_000);

  it('a program run through the root entry resolves no OpenTelemetry module', () => {
    const resolved = otelModulesResolvedBy(`
      const { LLMProgram } = await import('./dist/index.js');
      const proc = await new LLMProgram({ model: 'mock', provider: 'mock', tools: ['calculator'] }).start();
      await proc.run('hi');
      await proc.close();
    `);
    expect(resolved).toEqual([]);
  }, 60_000);

  it('the CLI without --otel resolves no OpenTelemetry module', () => {
    // (src/cli/main.test.ts shows the same CLI with --otel loading the exporters and sending.)
    const resolved = otelModulesResolvedBy(`
      process.argv = [process.argv[0], 'llmproc', 'examples/mock-tools.toml', '-p', 'hi', '--quiet'];
      await import('./dist/cli-bundle/llmproc.js');
    `);
    expect(resolved).toEqual([]);
  }, 60_000);
});
