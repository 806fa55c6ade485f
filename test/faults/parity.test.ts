import { describe, expect, it } from 'vitest';
import { ConfigError, LLMProgram } from '../../src/index.js';
import { expectValidConversation } from '../support/conversation-invariant.js';
import { failOnUnhandledRejections } from '../support/unhandled-rejections.js';

failOnUnhandledRejections();

describe('parity with llmproc 0.9.2', () => {
  it('returns a copy from proc.tools, so pushing onto it offers the model nothing new', async () => {
    const proc = await new LLMProgram({
      model: 'mock',
      provider: 'mock',
      tools: ['calculator'],
      mock: { turns: [{ text: 'ok' }], fallbackText: 'again' },
    }).start();
    proc.tools.push({ name: 'injected', description: 'x', inputSchema: {} });
    const first = proc.tools[0];
    if (first) first.description = 'changed';
    const result = await proc.run('hi');
    const request = result.apiCallInfos[0]?.request as {
      tools?: { name: string; description: string }[];
    };
    expect(request.tools?.map((tool) => tool.name)).toEqual(['calculator']);
    expect(proc.tools.map((tool) => [tool.name, tool.description.startsWith('A tool')])).toEqual([
      ['calculator', true],
    ]);
    await expectValidConversation(proc);
    await proc.close();
  });

  it('names tools.aliases.<name> for an alias to a tool that does not exist', async () => {
    const program = new LLMProgram({
      model: 'mock',
      provider: 'mock',
      tools: ['calculator'],
      toolAliases: { calc: 'calculator', reader: 'read_file' },
    });
    const error: unknown = await program.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).keyPath).toBe('tools.aliases.reader');
    expect((error as ConfigError).message).toBe(
      `<dict>: "tools.aliases.reader" points to 'read_file', which is not a registered tool (registered: calculator)`,
    );
  });
});
