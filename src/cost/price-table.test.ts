import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { captureWarnings } from '../../test/support/warnings.js';
import table from './prices.json' with { type: 'json' };
import {
  findModelPrice,
  hasModelPrice,
  priceKey,
  priceTableDate,
  priceUsage,
  usageCostUsd,
} from './price-table.js';

const { warnings, restore } = captureWarnings();
afterAll(restore);
afterEach(() => {
  warnings.length = 0;
});

const usage = {
  inputTokens: 1000,
  outputTokens: 500,
  cacheReadTokens: 2000,
  cacheWriteTokens: 400,
};

describe('the price table', () => {
  it('is dated and names the source of every price', () => {
    expect(priceTableDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const entries = Object.entries(table.models);
    expect(entries.length).toBeGreaterThan(40);
    for (const [model, price] of entries) {
      expect(price.source, model).toMatch(
        /^https:\/\/(platform\.claude\.com|developers\.openai\.com|ai\.google\.dev)\//,
      );
      expect(price.input, model).toBeGreaterThan(0);
      expect(price.output, model).toBeGreaterThanOrEqual(price.input);
    }
    const providers = new Set(entries.map(([, price]) => price.provider));
    expect([...providers].sort()).toEqual(['anthropic', 'gemini', 'openai']);
  });

  it('prices snapshot, Vertex, Bedrock and Gemini ids as their base model', () => {
    expect(priceKey('claude-sonnet-4-5-20250929')).toBe('claude-sonnet-4-5');
    expect(priceKey('claude-sonnet-4-5@20250929')).toBe('claude-sonnet-4-5');
    expect(priceKey('us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toBe('claude-sonnet-4-5');
    expect(priceKey('claude-sonnet-4-20250514')).toBe('claude-sonnet-4');
    expect(priceKey('claude-sonnet-4-0')).toBe('claude-sonnet-4');
    expect(priceKey('claude-3-opus-latest')).toBe('claude-3-opus');
    expect(priceKey('gpt-4o-2024-08-06')).toBe('gpt-4o');
    expect(priceKey('gpt-4o-mini-2024-07-18')).toBe('gpt-4o-mini');
    expect(priceKey('models/gemini-2.5-flash')).toBe('gemini-2.5-flash');
    expect(priceKey('gemini-2.0-flash-001')).toBe('gemini-2.0-flash');
    expect(priceKey('gemini-3-pro-preview')).toBe('gemini-3-pro');
  });

  it('never prices an unlisted variant as its neighbour', () => {
    expect(priceKey('gpt-5-codex')).toBeUndefined();
    expect(priceKey('claude-sonet-4-5')).toBeUndefined();
    expect(priceKey('my-local-llama')).toBeUndefined();
    expect(hasModelPrice('gpt-5-codex')).toBe(false);
  });

  it('prices input, output, cache reads and cache writes per million tokens', () => {
    // claude-sonnet-4-5: $3 input, $15 output, $0.30 cache read, $3.75 cache write.
    const cost = usageCostUsd('claude-sonnet-4-5-20250929', usage);
    expect(cost).toBeCloseTo((1000 * 3 + 500 * 15 + 2000 * 0.3 + 400 * 3.75) / 1e6, 10);
    expect(cost).toBe(0.0126);
  });

  it('uses a given price over the table, with cache prices defaulting to the input price', () => {
    const price = { input: 1, output: 2 };
    expect(findModelPrice('claude-sonnet-4-5', { price })).toBe(price);
    expect(priceUsage(usage, price)).toBe((1000 + 1000 + 2000 + 400) / 1e6);
    expect(usageCostUsd('anything-at-all', usage, { price })).toBe(0.0044);
    expect(warnings).toEqual([]);
  });

  it('costs nothing on the mock provider', () => {
    expect(usageCostUsd('claude-sonnet-4-5', usage, { provider: 'mock' })).toBe(0);
  });

  it('gives null, never 0, for a model without a price, and warns once per model', () => {
    expect(usageCostUsd('unpriced-model-a', usage)).toBeNull();
    expect(usageCostUsd('unpriced-model-a', usage)).toBeNull();
    expect(usageCostUsd('unpriced-model-b', usage)).toBeNull();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('No price for model "unpriced-model-a"');
    expect(warnings[0]).toContain('[model]');
  });
});
