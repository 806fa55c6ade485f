/**
 * The contract between the process loop and a model provider. The loop sees only these types; an
 * adapter (providers/<name>/) is the only code that imports its vendor SDK, and maps between the
 * plain conversation format (conversation/messages.ts) and the SDK's request and response objects.
 */
import type { AssistantBlock, Message } from '../conversation/messages.js';
import type { ToolSpec } from '../conversation/tool-spec.js';
import type { Usage } from '../conversation/usage.js';

// The contract speaks of these, so adapters may import them from here along with the rest of it.
export type { ToolSpec, Usage };

export const providerNames = [
  'anthropic',
  'anthropic_vertex',
  'openai',
  'gemini',
  'gemini_vertex',
  'mock',
] as const;
export type ProviderName = (typeof providerNames)[number];

/** Everything one model call needs, independent of any vendor format. */
export interface ModelRequest {
  model: string;
  systemPrompt: string;
  messages: readonly Message[];
  tools: readonly ToolSpec[];
  /** The program's `[parameters]` table, as validated at load (temperature, max_tokens, thinking, ...). */
  parameters: Readonly<Record<string, unknown>>;
  /** Anthropic prompt caching; false when the program sets `disable_automatic_caching`. */
  promptCaching: boolean;
  stream: boolean;
}

/** A model reply in the plain format. `stopReason` uses Anthropic's vocabulary where one maps. */
export interface ModelResponse {
  id: string | null;
  model: string;
  content: AssistantBlock[];
  stopReason: string | null;
  usage: Usage;
}

export interface GenerateOptions {
  signal?: AbortSignal;
  /** Called with each piece of text as it arrives, only when the request streams. */
  onTextDelta?: (delta: string) => void;
}

export interface GenerateResult {
  /** The SDK's response object (the final assembled message when streaming); sent as `api_response`. */
  raw: unknown;
  response: ModelResponse;
}

export interface TokenCount {
  inputTokens: number;
  contextWindow: number | null;
  percentage: number | null;
  remainingTokens: number | null;
  cachedTokens?: number;
}

/** One model provider, created for a process at `start()`. */
export interface Provider {
  readonly name: ProviderName;
  /**
   * The request object handed to the SDK. The loop emits this exact object as `api_request` and then
   * passes it to `doGenerate`, so what callbacks see is what is sent. It never holds credentials.
   */
  buildRequest(request: ModelRequest): Record<string, unknown>;
  /** Send a request built by `buildRequest`. Rejects with a ProviderError on API failure. */
  doGenerate(payload: Record<string, unknown>, options: GenerateOptions): Promise<GenerateResult>;
  /** Token count of a request through the provider's count endpoint, or null where it has none. */
  countTokens(request: ModelRequest, options: GenerateOptions): Promise<TokenCount | null>;
  /**
   * The provider a forked process uses. Stateless adapters leave this out and the child shares the
   * parent's provider (and its HTTP connections); the mock returns a copy of its script position.
   */
  fork?(): Provider;
  close?(): Promise<void>;
}

/** What a provider factory gets from the program at `start()`. */
export interface ProviderSettings {
  provider: ProviderName;
  model: string;
  projectId?: string;
  region?: string;
  /** Environment to read credentials from (defaults to process.env). */
  env: Readonly<Record<string, string | undefined>>;
  /** The program's `mock` script, for the mock provider. */
  mock?: unknown;
  /** Overrides the API base URL (tests point it at a local server). */
  baseUrl?: string;
}
