import { describe, expect, it } from 'vitest';
import { modulesResolvedBy } from '../support/resolved-modules.js';

/** The Restate modules `body` loads: the SDK or llmproc's own restate modules. */
function restateModulesResolvedBy(body: string): string[] {
  return modulesResolvedBy(body, /restate/i);
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
