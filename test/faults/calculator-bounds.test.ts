import { describe, expect, it } from 'vitest';
import { LLMProgram, type ToolResult } from '../../src/index.js';
import { expectValidConversation } from '../support/conversation-invariant.js';
import { recorder } from '../support/recorder.js';
import { failOnUnhandledRejections } from '../support/unhandled-rejections.js';

failOnUnhandledRejections();

/** Run the calculator on each expression in one model turn; what the model got back, and how long. */
async function calculate(expressions: string[]): Promise<{ result: ToolResult; ms: number }[]> {
  const rec = recorder();
  const proc = await new LLMProgram({
    model: 'mock',
    provider: 'mock',
    tools: ['calculator'],
    mock: {
      turns: [
        {
          toolCalls: expressions.map((expression) => ({
            name: 'calculator',
            args: { expression },
          })),
        },
        { text: 'done' },
      ],
      fallbackText: 'again',
    },
  })
    .start()
    .addCallback(rec.callback);
  const started = new Map<number, number>();
  const out: { result: ToolResult; ms: number }[] = [];
  proc.addCallback({
    tool_start: () => {
      started.set(out.length, performance.now());
    },
    tool_end: (_name, result) => {
      out.push({ result, ms: performance.now() - (started.get(out.length) ?? 0) });
    },
  });
  const run = await proc.run('calculate');
  expect(run.lastMessage).toBe('done');
  await expectValidConversation(proc);
  await proc.close();
  return out;
}

// Well above the 50 ms budget, for a loaded CI machine; before the bound these took 3 to 9 seconds.
const generousMs = 2_000;

describe('the calculator cannot hold the event loop', () => {
  it('stops a gcd of two huge integers (seconds of Euclid before) with an error result', async () => {
    const [gcd] = await calculate(['gcd(3**60000 + 7, 2**95000 + 1)']);
    expect(gcd?.result.isError).toBe(true);
    expect(gcd?.result.contentText()).toMatch(
      /^Calculation error: (Error in function gcd|Error evaluating expression): calculation stopped: it takes more than 50 ms$/,
    );
    expect(gcd?.ms).toBeLessThan(generousMs);
  });

  it('stops an expression of many costly steps, each cheap alone', async () => {
    const sum = Array.from({ length: 400 }, () => 'factorial(3000)').join(' + ');
    const [many] = await calculate([sum]);
    expect(many?.result.contentText()).toMatch(/calculation stopped: it takes more than 50 ms$/);
    expect(many?.ms).toBeLessThan(generousMs);
  });

  it('refuses a product over the size bound before computing it', async () => {
    const [product] = await calculate(['(2**60000) * (2**60000)']);
    expect(product?.result.contentText()).toBe(
      'Calculation error: Error evaluating expression: integer result too large (more than 100000 bits)',
    );
  });

  it('refuses an expression over 10,000 characters, and still answers small ones', async () => {
    const [long, small] = await calculate(['1'.repeat(10_001), 'gcd(12, 18) + factorial(20)']);
    expect(long?.result.contentText()).toBe(
      'Calculation error: Expression too long: 10001 characters (at most 10000)',
    );
    expect(small?.result.isError).toBe(false);
    expect(small?.result.contentText()).toBe('2432902008176640006');
  });
});
