import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Run `body` in a fresh Node (ESM, from the repository root, after `npm run build`) and list every
 * module specifier it resolved that matches `pattern`: what a program that runs `body` loads.
 */
export function modulesResolvedBy(body: string, pattern: RegExp): string[] {
  const script = `
    import { registerHooks } from 'node:module';
    const seen = [];
    registerHooks({ resolve(specifier, context, next) { seen.push(specifier); return next(specifier, context); } });
    const pattern = new RegExp(${JSON.stringify(pattern.source)}, ${JSON.stringify(pattern.flags)});
    process.on('exit', () => process.stderr.write('\\nRESOLVED ' + JSON.stringify(seen.filter((s) => pattern.test(s))) + '\\n'));
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
