/**
 * Prices per model, from the data file `prices.json` (its `date`, and each price's `source`), and
 * what a model call's usage costs at them. The loop prices every call with it; a program's own
 * `price` (code or `[model] price`) wins over the table.
 */
import { getLogger } from '../internal/logger.js';
import type { Usage } from '../conversation/usage.js';
import table from './prices.json' with { type: 'json' };

/** A model's price in USD per million tokens. */
export interface ModelPrice {
  /** Input tokens not read from a cache. */
  input: number;
  /** Output tokens, reasoning included. */
  output: number;
  /** Input tokens read from a cache; default: the input price. */
  cacheRead?: number;
  /** Input tokens written to a cache; default: the input price. */
  cacheWrite?: number;
}

/** The day the price table was last checked against the providers' pricing pages. */
export const priceTableDate: string = table.date;

const listed = new Map<string, ModelPrice>(Object.entries(table.models));

/** Snapshot and version suffixes that price as their base model: dates, `-001`, `-latest`, ... */
const snapshotSuffix = /-(?:\d{8}|\d{4}-\d{2}-\d{2}|\d{2}-\d{2}|\d{3}|v\d+|latest|preview|exp)$/;

/**
 * The table's key for a provider's model id: without Bedrock's region and vendor prefixes, Vertex's
 * `@version`, Gemini's `models/`, or snapshot suffixes (`claude-sonnet-4-5-20250929`,
 * `gpt-4o-2024-08-06`, `gemini-2.0-flash-001`). Only suffixes are dropped, never a part of the name,
 * so an unlisted variant (`gpt-5-codex`) has no price rather than a neighbour's.
 */
export function priceKey(model: string): string | undefined {
  // Every model call is priced: remember the answer for the few names a program uses.
  if (keyCache.has(model)) return keyCache.get(model);
  const key = lookUpPriceKey(model);
  if (keyCache.size >= keyCacheLimit) keyCache.clear();
  keyCache.set(model, key);
  return key;
}

const keyCache = new Map<string, string | undefined>();
const keyCacheLimit = 1000;

function lookUpPriceKey(model: string): string | undefined {
  let key = model
    .toLowerCase()
    .replace(/^models\//, '')
    .replace(/^(?:[a-z]{2,6}\.)?anthropic\./, '')
    .replace(/[@:].*$/, '');
  for (;;) {
    if (listed.has(key)) return key;
    // Anthropic's `claude-sonnet-4-0` alias names `claude-sonnet-4`.
    const alias = /^(claude-[a-z]+-\d+)-0$/.exec(key);
    if (alias?.[1] !== undefined && listed.has(alias[1])) return alias[1];
    const shorter = key.replace(snapshotSuffix, '');
    if (shorter === key) return undefined;
    key = shorter;
  }
}

/** Where to look up a price: the program's own price wins, and the mock provider costs nothing. */
export interface PriceOptions {
  provider?: string;
  price?: ModelPrice;
}

const free: ModelPrice = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };

/** A model's price: the given one, else the table's, else undefined. */
export function findModelPrice(model: string, options: PriceOptions = {}): ModelPrice | undefined {
  if (options.price) return options.price;
  if (options.provider === 'mock') return free;
  const key = priceKey(model);
  return key === undefined ? undefined : listed.get(key);
}

/** Whether costs of this model can be known (it has a price). */
export function hasModelPrice(model: string, options: PriceOptions = {}): boolean {
  return findModelPrice(model, options) !== undefined;
}

/** The token counts a cost is made of. */
export type PricedUsage = Pick<
  Usage,
  'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWriteTokens'
>;

/** What `usage` costs at `price`, in USD. */
export function priceUsage(usage: PricedUsage, price: ModelPrice): number {
  const microUsd =
    usage.inputTokens * price.input +
    usage.outputTokens * price.output +
    usage.cacheReadTokens * (price.cacheRead ?? price.input) +
    usage.cacheWriteTokens * (price.cacheWrite ?? price.input);
  // Whole millionths of a cent: sums of many calls stay free of floating-point dust.
  return Math.round(microUsd * 100) / 1e8;
}

const warned = new Set<string>();

/**
 * What `usage` of `model` costs in USD, or null when the model has no price (never 0: an unknown
 * cost is not a free one). The first null for each model is reported once through the logger.
 */
export function usageCostUsd(
  model: string,
  usage: PricedUsage,
  options: PriceOptions = {},
): number | null {
  const price = findModelPrice(model, options);
  if (price) return priceUsage(usage, price);
  if (!warned.has(model)) {
    warned.add(model);
    getLogger().warn(
      `No price for model "${model}": costUsd is null. Give it one with price = { input = ..., output = ... } in [model] (USD per million tokens), or price in new LLMProgram().`,
    );
  }
  return null;
}

/**
 * What one model call cost: priced by the program's own price, else by the model the provider
 * answered with (a dated snapshot), else by the model the program asked for.
 */
export function callCostUsd(
  config: { model: string; provider: string; price?: ModelPrice },
  responseModel: string,
  usage: PricedUsage,
): number | null {
  const options: PriceOptions = {
    provider: config.provider,
    ...(config.price ? { price: config.price } : {}),
  };
  const model = hasModelPrice(responseModel, options) ? responseModel : config.model;
  return usageCostUsd(model, usage, options);
}
