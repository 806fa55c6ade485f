/**
 * Cost: every model call priced from the price table (or the program's own price), summed on the
 * run with its children, null (never 0) for a model without a price. Real providers run through
 * their SDKs over HTTP against recorded exchanges.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  defineTool,
  findModelPrice,
  LLMProgram,
  priceUsage,
  type ModelPrice,
} from '../src/index.js';
import { captureWarnings } from './support/warnings.js';
import { loadFixture, withReplayServer } from './support/replay-server.js';
import { useProviderKeys } from './support/provider-keys.js';

useProviderKeys('sk-test');
const { warnings, restore } = captureWarnings();
afterAll(() => {
  restore();
});
afterEach(() => {
  warnings.length = 0;
});

const weather = defineTool({
  name: 'get_weather',
  description: 'Get the current weather for a city.',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => `Sunny, 22C in ${city}`,
});

describe('costUsd', () => {
  it('prices each Anthropic call from the table and sums them on the run', async () => {
    const fixtures = [
      loadFixture('anthropic', 'tool-loop.1'),
      loadFixture('anthropic', 'tool-loop.2'),
    ];
    await withReplayServer(fixtures, async (server) => {
      const proc = await new LLMProgram({
        model: 'claude-sonnet-4-5',
        provider: 'anthropic',
        tools: [weather],
        parameters: { max_tokens: 1024 },
        baseUrl: server.url,
      }).start();
      const result = await proc.run("What's the weather in Paris?");
      // claude-sonnet-4-5-20250929 at $3 / $15 per million: 572 in + 53 out, then 646 in + 31 out.
      expect(result.apiCallInfos.map((info) => info.costUsd)).toEqual([0.002511, 0.002403]);
      expect(result.usage.costUsd).toBe(0.004914);
      const json = result.toJSON();
      expect(json.usage.costUsd).toBe(0.004914);
      expect(json.apiCallInfos.map((info) => info.costUsd)).toEqual([0.002511, 0.002403]);
      expect(warnings).toEqual([]);
      await proc.close();
    });
  });

  it.each([
    ['openai', 'openai-chat'],
    ['gemini', 'gemini'],
  ] as const)('prices %s calls by the model the API answered with', async (provider, dir) => {
    const fixtures = [loadFixture(dir, 'tool-loop.1'), loadFixture(dir, 'tool-loop.2')];
    const model = provider === 'openai' ? 'gpt-5-mini' : 'gemini-2.5-flash';
    await withReplayServer(fixtures, async (server) => {
      const proc = await new LLMProgram({
        model,
        provider,
        tools: [weather],
        baseUrl: server.url,
      }).start();
      const result = await proc.run("What's the weather in Paris?");
      const price = findModelPrice(model) as ModelPrice;
      for (const info of result.apiCallInfos) {
        expect(info.costUsd).toBe(priceUsage(info.usage, price));
        expect(info.costUsd).toBeGreaterThan(0);
      }
      expect(result.usage.costUsd).toBeCloseTo(
        result.apiCallInfos.reduce((sum, info) => sum + (info.costUsd ?? 0), 0),
        10,
      );
      await proc.close();
    });
  });

  it('is null, never 0, for a model without a price, with one warning', async () => {
    const fixture = loadFixture('openai-compatible', 'together-text');
    await withReplayServer([fixture, fixture], async (server) => {
      const proc = await new LLMProgram({
        model: 'mistralai/Mixtral-8x7B-Instruct-v0.1',
        provider: 'openai',
        baseUrl: `${server.url}/v1`,
      }).start();
      const first = await proc.run('Tell me a joke');
      const second = await proc.run('Another one');
      for (const result of [first, second]) {
        expect(result.apiCallInfos[0]?.costUsd).toBeNull();
        expect(result.usage.costUsd).toBeNull();
        expect(result.usage.inputTokens).toBe(18);
        expect(result.toJSON().usage.costUsd).toBeNull();
      }
      expect(warnings).toEqual([
        expect.stringContaining('No price for model "mistralai/Mixtral-8x7B-Instruct-v0.1"'),
      ]);
      await proc.close();
    });
  });

  it('uses the [model] price of a config over the table', async () => {
    const fixture = loadFixture('openai-compatible', 'together-text');
    await withReplayServer([fixture], async (server) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'llmproc-price-'));
      const file = path.join(dir, 'priced.toml');
      writeFileSync(
        file,
        `[model]\nname = "mistralai/Mixtral-8x7B-Instruct-v0.1"\nprovider = "openai"\nbase_url = "${server.url}/v1"\n` +
          'price = { input = 0.6, output = 0.6, cache_read = 0.1 }\n',
      );
      const proc = await LLMProgram.fromToml(file).start();
      const result = await proc.run('Tell me a joke');
      expect(result.usage.costUsd).toBe(((18 + 35) * 0.6) / 1e6);
      expect(warnings).toEqual([]);
      await proc.close();
    });
  });

  it('rejects a [model] price that is not a non-negative number, naming the key', () => {
    expect(() =>
      LLMProgram.fromDict({
        model: { name: 'x', provider: 'openai', price: { input: -1, output: 2 } },
      }),
    ).toThrow(/model\.price\.input.*non-negative number/);
    expect(() =>
      LLMProgram.fromDict({ model: { name: 'x', provider: 'openai', price: { input: 1 } } }),
    ).toThrow(/model\.price\.output/);
  });

  it("counts a fork tool's children in the run's cost, and a program price set in code", async () => {
    const price = { input: 2, output: 4 };
    const proc = await new LLMProgram({
      model: 'mock',
      provider: 'mock',
      price,
      tools: ['fork'],
      mock: {
        turns: [
          {
            toolCalls: [{ name: 'fork', args: { prompts: ['child'] } }],
            usage: { inputTokens: 100, outputTokens: 10 },
          },
          { when: 'child', text: 'child done', usage: { inputTokens: 1000, outputTokens: 100 } },
          { text: 'done', usage: { inputTokens: 200, outputTokens: 20 } },
        ],
      },
    }).start();
    const result = await proc.run('go');
    expect(result.apiCallInfos.map((info) => info.costUsd)).toEqual([0.00024, 0.00048]);
    // Own calls 0.00072 plus the child's 1000 * 2 + 100 * 4 = 0.0024.
    expect(result.usage.costUsd).toBe(0.00312);
  });
});
