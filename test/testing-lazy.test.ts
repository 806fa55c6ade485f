import { describe, expect, it } from 'vitest';
import { modulesResolvedBy } from './support/resolved-modules.js';

/** llmproc's own testing modules (dist/testing.js, dist/testing/*) that `body` loads. */
function testingModulesResolvedBy(body: string): string[] {
  return modulesResolvedBy(body, /(^|\/)testing(\.js|\/|$)/);
}

describe('llmproc/testing is loaded only by those who ask for it', () => {
  it('loads no testing module for a program run through the main entry point', () => {
    const resolved = testingModulesResolvedBy(`
      const { LLMProgram } = await import('./dist/index.js');
      const proc = await new LLMProgram({ model: 'mock', provider: 'mock', tools: ['calculator'] }).start();
      await proc.run('hi');
    `);
    expect(resolved).toEqual([]);
  });

  it('loads no testing module when the CLI runs a program', () => {
    const resolved = testingModulesResolvedBy(`
      process.argv = [process.argv[0], 'llmproc', 'examples/mock-tools.toml', '-p', 'hi', '--quiet'];
      await import('./dist/cli-bundle/llmproc.js');
    `);
    expect(resolved).toEqual([]);
  });

  it('resolves llmproc/testing through the package exports, to the built module', async () => {
    const resolved = testingModulesResolvedBy(`
      const { scriptedModel, recordEvents } = await import('llmproc/testing');
      const model = scriptedModel(['Hello.']);
      const proc = await model.program().start();
      const rec = recordEvents();
      proc.addCallback(rec);
      await proc.run('hi');
      if (model.requests.length !== 1 || rec.of('response')[0].args[0] !== 'Hello.') process.exit(3);
    `);
    expect(resolved).toContain('llmproc/testing');
    expect(resolved).toContain('./testing/scripted-model.js');
  });
});
