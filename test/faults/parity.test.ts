import { describe, expect, it } from 'vitest';
import { ConfigError, defineTool, LLMProgram, type ToolResult } from '../../src/index.js';
import { recorder } from '../support/recorder.js';
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

  describe('a spawned child without its own [file_descriptor]', () => {
    const big = defineTool({
      name: 'big',
      description: 'long output',
      access: 'read',
      execute: () => 'x'.repeat(120),
    });
    const helper = (fileDescriptor?: Record<string, unknown>): LLMProgram =>
      new LLMProgram({
        model: 'mock',
        provider: 'mock',
        tools: fileDescriptor ? [big, 'read_fd'] : [big],
        ...(fileDescriptor ? { fileDescriptor } : {}),
        mock: { turns: [{ toolCalls: [{ name: 'big', args: {} }] }, { text: 'helper done' }] },
      });
    const parent = (child: LLMProgram, fileDescriptor?: Record<string, unknown>): LLMProgram =>
      new LLMProgram({
        model: 'mock',
        provider: 'mock',
        tools: fileDescriptor ? ['spawn', 'read_fd'] : ['spawn'],
        ...(fileDescriptor ? { fileDescriptor } : {}),
        linkedPrograms: { helper: child },
        mock: {
          turns: [
            { toolCalls: [{ name: 'spawn', args: { program_name: 'helper', prompt: 'go' } }] },
            { text: 'parent done' },
          ],
        },
      });
    /** The text of the child's `big` result as its model saw it, and the spawn result. */
    async function spawnAndWatch(program: LLMProgram): Promise<{ big: string; spawn: string }> {
      const rec = recorder();
      const proc = await program.start().addCallback(rec.callback);
      const result = await proc.run('start');
      expect(result.lastMessage).toBe('parent done');
      const ends = rec.events.filter((e) => e.event === 'tool_end');
      const text = (name: string): string =>
        (ends.find((e) => e.args[0] === name)?.args[1] as ToolResult).contentText();
      await expectValidConversation(proc);
      await proc.close();
      return { big: text('big'), spawn: text('spawn') };
    }

    it("inherits the parent's file descriptor settings, so its long tool output is paged", async () => {
      const seen = await spawnAndWatch(
        parent(helper(), { enabled: true, max_direct_output_chars: 40, default_page_size: 40 }),
      );
      expect(seen.big).toMatch(/^<fd_result fd="fd:1" pages="3" /);
      expect(seen.spawn).toBe('helper done');
    });

    it('keeps its own settings when its program has a [file_descriptor] section', async () => {
      const seen = await spawnAndWatch(
        parent(helper({ enabled: true, max_direct_output_chars: 100, default_page_size: 100 }), {
          enabled: true,
          max_direct_output_chars: 40,
          default_page_size: 40,
        }),
      );
      expect(seen.big).toMatch(/^<fd_result fd="fd:1" pages="2" /);
    });

    it('stays without file descriptors when its parent has none', async () => {
      const seen = await spawnAndWatch(parent(helper()));
      expect(seen.big).toBe('x'.repeat(120));
    });
  });
});
