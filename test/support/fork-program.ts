import { LLMProgram } from '../../src/index.js';

/**
 * A mock program whose first reply calls `fork` with one prompt: the child answers `childAnswer`,
 * then the parent `parentAnswer`. For tests of what a fork child's callbacks do to its parent's run.
 */
export function forkingProgram(
  childPrompt: string,
  childAnswer: string,
  parentAnswer: string,
): LLMProgram {
  return new LLMProgram({
    model: 'mock',
    provider: 'mock',
    tools: ['fork'],
    mock: {
      turns: [
        { toolCalls: [{ name: 'fork', args: { prompts: [childPrompt] } }] },
        { when: childPrompt, text: childAnswer },
        { text: parentAnswer },
      ],
    },
  });
}
