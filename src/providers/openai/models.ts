/**
 * Which OpenAI API a request goes to, and the per-model facts the request builders need. Pure; no SDK.
 *
 * The rule (chosen once per request from the program's model and `[parameters]`):
 * - **Chat Completions** by default, as the original does. Every config written for the Python
 *   original keeps its API and its parameter handling (spec 4.2 / B76), now with tools.
 * - **Responses API** for a reasoning model (see {@link isReasoningModel}) whose `[parameters]` set
 *   `reasoning_effort` or a Responses-style `reasoning` table. Those are the programs that ask for
 *   model reasoning, and only the Responses API hands reasoning back (as encrypted items) so that it can
 *   be sent again with the tool results of the next call; Chat Completions discards it between calls.
 *   It also has a token-count endpoint, so `countTokens()` works there.
 */

/** The two request paths. */
export type OpenAiApi = 'chat' | 'responses';

/**
 * Model-name prefixes of OpenAI's reasoning models. The original renamed `max_tokens` only for `o1`/`o3`;
 * `o4` and `gpt-5` behave the same way (they reject `max_tokens` on Chat Completions).
 */
export const reasoningModelPrefixes = ['o1', 'o3', 'o4', 'gpt-5'] as const;

/** True for reasoning models (names starting o1, o3, o4, gpt-5), which take `max_completion_tokens`. */
export function isReasoningModel(model: string): boolean {
  return reasoningModelPrefixes.some((prefix) => model.startsWith(prefix));
}

/** The API a request for `model` with these `[parameters]` goes to (see the module comment). */
export function selectApi(model: string, parameters: Readonly<Record<string, unknown>>): OpenAiApi {
  const asksForReasoning =
    parameters['reasoning_effort'] !== undefined || parameters['reasoning'] !== undefined;
  return isReasoningModel(model) && asksForReasoning ? 'responses' : 'chat';
}

/**
 * Context windows by model-name prefix, longest prefix first, for `countTokens()` percentages. Only
 * reasoning models reach the count endpoint (see the module comment), so only they are listed; an
 * unlisted model gets `null` rather than a guess.
 */
const contextWindows: readonly (readonly [prefix: string, tokens: number])[] = [
  ['o1-mini', 128_000],
  ['o1-preview', 128_000],
  ['gpt-5', 400_000],
  ['o1', 200_000],
  ['o3', 200_000],
  ['o4', 200_000],
];

/** The model's context window in tokens, or null when it is not known here. */
export function contextWindowFor(model: string): number | null {
  for (const [prefix, tokens] of contextWindows) if (model.startsWith(prefix)) return tokens;
  return null;
}
