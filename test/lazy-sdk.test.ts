import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modulesResolvedBy } from './support/resolved-modules.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Run a mock or provider program in a fresh Node and list which vendor SDK modules it resolved. */
function sdkModulesLoadedBy(provider: string): string[] {
  const script = `
    import { registerHooks } from 'node:module';
    const seen = [];
    registerHooks({ resolve(specifier, context, next) { seen.push(specifier); return next(specifier, context); } });
    const { LLMProgram } = await import('./dist/index.js');
    const program = new LLMProgram({ model: 'm', provider: ${JSON.stringify(provider)}, parameters: { max_tokens: 10 } });
    const proc = await program.start();
    if (${JSON.stringify(provider)} === 'mock') await proc.run('hi');
    await proc.close();
    const sdk = /^(@anthropic-ai\\/(sdk|vertex-sdk|bedrock-sdk)|openai|@google\\/genai|@modelcontextprotocol\\/sdk)(\\/|$)/;
    console.log(JSON.stringify([...new Set(seen.filter((s) => sdk.test(s)).map((s) => s.split('/').slice(0, s.startsWith('@') ? 2 : 1).join('/')))]));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    env: {
      ...process.env,
      ANTHROPIC_API_KEY: 'test-key',
      OPENAI_API_KEY: 'test-key',
      GEMINI_API_KEY: 'test-key',
    },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '[]') as string[];
}

describe('lazy provider loading', () => {
  it('loads no provider SDK for a mock program', () => {
    expect(sdkModulesLoadedBy('mock')).toEqual([]);
  });

  it('loads only the Anthropic SDK for an Anthropic program, not the Vertex or Bedrock clients', () => {
    expect(sdkModulesLoadedBy('anthropic')).toEqual(['@anthropic-ai/sdk']);
  });

  it('loads only the OpenAI SDK for an OpenAI program', () => {
    expect(sdkModulesLoadedBy('openai')).toEqual(['openai']);
  });

  it('loads only the Gemini SDK for a Gemini program', () => {
    expect(sdkModulesLoadedBy('gemini')).toEqual(['@google/genai']);
  });
});

describe('the CLI', () => {
  it('loads no package but its own to run a mock program (no SDK, no MCP, no ajv)', () => {
    const packages = modulesResolvedBy(
      `
      process.argv = [process.argv[0], 'llmproc', 'examples/callbacks/calculator.toml', '-p', 'hi', '--quiet'];
      await import('./dist/cli-bundle/llmproc.js');
    `,
      /^(?!node:|\.|\/|file:)/,
    );
    expect(packages).toEqual([]);
  });
});
