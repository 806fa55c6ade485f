/**
 * Programs on the mock provider that exercise what a trace must hold: text, tools, a tool error,
 * streaming and fork children with their own tool calls.
 */
import { LLMProgram } from '../../src/index.js';

/** A parent that answers, calls a tool that fails, forks two children (one calls a tool) and sums up. */
export function forkingProgram(options: { stream?: boolean } = {}): LLMProgram {
  return new LLMProgram({
    model: 'mock',
    provider: 'mock',
    systemPrompt: 'You split work.',
    tools: ['fork', 'calculator', 'write_stderr'],
    stream: options.stream ?? false,
    mock: {
      turns: [
        {
          text: 'Checking first.',
          toolCalls: [{ name: 'calculator', args: { expression: '1/' } }],
        },
        {
          text: 'Forking.',
          toolCalls: [{ name: 'fork', args: { prompts: ['add numbers', 'write a note'] } }],
        },
        {
          when: 'add numbers',
          toolCalls: [{ name: 'calculator', args: { expression: '6*7' } }],
        },
        { when: 'add numbers', text: 'The sum is 42.' },
        {
          when: 'write a note',
          toolCalls: [{ name: 'write_stderr', args: { message: 'child note' } }],
        },
        { when: 'write a note', text: 'Note written.' },
        { text: 'Both children finished: 42 and a note.' },
      ],
    },
  });
}
