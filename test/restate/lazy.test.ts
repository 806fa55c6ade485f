import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Run `body` in a fresh Node (ESM, from the repository root, after `npm run build`) and list every
 * module specifier it resolved that names Restate: the SDK or llmproc's own restate modules.
 */
function restateModulesResolvedBy(body: string): string[] {
  const script = `
    import { registerHooks } from 'node:module';
    const seen = [];
    registerHooks({ resolve(specifier, context, next) { seen.push(specifier); return next(specifier, context); } });
    process.on('exit', () => process.stderr.write('\\nRESOLVED ' + JSON.stringify(seen.filter((s) => /restate/i.test(s))) + '\\n'));
    ${body}
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const line = child.stderr.split('\n').find((l) => l.startsWith('RESOLVED '));
  if (child.status !== 0 || line === undefined)
    throw new Error(`the script failed (${String(child.status)}):\n${child.stderr}`);
  return JSON.parse(line.slice('RESOLVED '.length)) as string[];
}

describe('llmproc/restate is loaded only by those who ask for it', () => {
  it('loads no Restate code for a program run through the main entry point', () => {
    const resolved = restateModulesResolvedBy(`
      const { LLMProgram } = await import('./dist/index.js');
      const proc = await new LLMProgram({ model: 'mock', provider: 'mock', tools: ['calculator'] }).start();
      await proc.run('hi');
    `);
    expect(resolved).toEqual([]);
  });

  it('loads no Restate code when the CLI runs a program', () => {
    const resolved = restateModulesResolvedBy(`
      process.argv = [process.argv[0], 'llmproc', 'examples/mock-tools.toml', '-p', 'hi', '--quiet'];
      await import('./dist/cli-bundle/llmproc.js');
    `);
    expect(resolved).toEqual([]);
  });

  it('loads the Restate SDK through llmproc/restate', () => {
    const resolved = restateModulesResolvedBy(`await import('./dist/restate.js');`);
    expect(resolved).toContain('@restatedev/restate-sdk');
  });
});
