/**
 * The contract between the process loop and a model provider. The loop sees only these types; an
 * adapter (providers/<name>/) is the only code that imports its vendor SDK, and maps between the
 * plain conversation format (conversation/messages.ts) and the SDK's request and response objects.
 */
import type { AssistantBlock, Message } from '../conversation/messages.js';
import type { ToolSpec } from '../conversation/tool-spec.js';
import type { Usage } from '../conversation/usage.js';
import type { MediaSupport } from '../conversation/media.js';

// The contract speaks of these, so adapters may import them from here along with the rest of it.
export type { MediaSupport, ToolSpec, Usage };

/**
 * Why the model stopped, in Anthropic's vocabulary, which every adapter maps onto where one maps
 * (OpenAI's `stop` is `end_turn`, Gemini's `MAX_TOKENS` is `max_tokens`, ...). A reason with no
 * counterpart passes through in the provider's own spelling, lower-cased, so nothing is lost.
 */
export type StopReason =
  | 'end_turn'
  | 'tool_use'
  | 'max_tokens'
  | 'stop_sequence'
  | 'pause_turn'
  | 'refusal'
  // Any other reason, as the provider spells it; `string & {}` keeps editors completing the above.
  | (string & {});

/**
 * The JSON object the final answer must be (structured output). Each adapter asks for it its own
 * native way (docs/output.md); `strict` says whether OpenAI's strict mode can take the schema.
 */
export interface OutputFormat {
  /** A name for the schema (its `title`, else `final_result`): json_schema name, forced tool name. */
  name: string;
  schema: Record<string, unknown>;
  strict: boolean;
}

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
  /** Set when the run asks for a structured final answer. */
  output?: OutputFormat;
}

/** A model reply in the plain format. `stopReason` uses Anthropic's vocabulary where one maps. */
export interface ModelResponse {
  id: string | null;
  model: string;
  content: AssistantBlock[];
  stopReason: StopReason | null;
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

/**
 * One model provider, created for a process at `start()`. `Payload` is the adapter's own request
 * type: the loop only carries it from `buildRequest` to `doGenerate` (and shows it to callbacks as a
 * plain object), so an adapter never casts its payload back.
 */
export interface Provider<Payload extends object = object> {
  readonly name: string;
  /**
   * The request object handed to the SDK. The loop emits this exact object as `api_request` and then
   * passes it to `doGenerate`, so what callbacks see is what is sent. It never holds credentials.
   */
  buildRequest(request: ModelRequest): Payload;
  /** Send a request built by `buildRequest`. Rejects with a ProviderError on API failure. */
  doGenerate(payload: Payload, options: GenerateOptions): Promise<GenerateResult>;
  /**
   * The images and documents this provider's API takes for a model and its `[parameters]` (OpenAI's
   * two APIs differ), checked when `run()` gets parts. Absent: {@link strictestMediaSupport}.
   */
  mediaSupport?(model: string, parameters: Readonly<Record<string, unknown>>): MediaSupport;
  /** Token count of a request through the provider's count endpoint, or null where it has none. */
  countTokens(request: ModelRequest, options: GenerateOptions): Promise<TokenCount | null>;
  /**
   * The provider a forked process uses. Stateless adapters leave this out and the child shares the
   * parent's provider (and its HTTP connections); the mock returns a copy of its script position.
   */
  fork?(): Provider<Payload>;
  close?(): Promise<void>;
}

/**
 * Everything llmproc knows about one `[model] provider` value, declared by the adapter's folder
 * (`providers/<folder>/index.ts`) and listed with one line in `providers/registry.ts`. Loading a
 * program reads these (names, parameter rules, caching, titles) without loading any SDK; `create`
 * imports the adapter and its SDK only when a process starts.
 */
export interface ProviderDefinition<Name extends string = string> {
  /** The `[model] provider` value. */
  readonly name: Name;
  /** Shown in the default display name, `"<title> <model>"`. */
  readonly title: string;
  /**
   * Environment variables that may hold this provider's credentials. Their values are redacted from
   * every error message, and docs/providers.md lists them.
   */
  readonly credentials: readonly string[];
  /**
   * The provider-specific `[model]` keys this provider reads (`api_key_env`, `deployment`,
   * `api_version`); any other provider refuses them at load, naming who reads them.
   */
  readonly modelKeys?: readonly ProviderModelKey[];
  /** Whether the provider caches prompts automatically, so `disable_automatic_caching` applies. */
  readonly automaticCaching: boolean;
  /** `[parameters]` rules: `'any'` takes every parameter without a warning (the mock). */
  readonly parameters: 'any' | ParameterRules;
  /** Create the provider for a process (credentials are checked here, before any request). */
  create(settings: ProviderSettings): Promise<Provider>;
}

/** `[model]` keys only some providers read. */
export type ProviderModelKey = 'api_key_env' | 'deployment' | 'api_version';

/** What a provider declares about `[parameters]`, read at load with no SDK imported. */
export interface ParameterRules {
  /**
   * The provider-specific parameters this provider uses, each with who uses it (another provider's
   * warning lists them: "only used by Anthropic models and Gemini models").
   */
  readonly own: Readonly<Record<string, string>>;
  /**
   * What this provider refuses (`error`: the program does not load) or doubts (`warning`) in
   * `[parameters]` for a given model, such as a feature the model does not have.
   */
  readonly check?: (
    parameters: Readonly<Record<string, unknown>>,
    model: string,
  ) => readonly ParameterIssue[];
}

/** One finding of {@link ParameterRules.check}; `path` is under `parameters` (`['thinking', 'type']`). */
export interface ParameterIssue {
  readonly severity: 'error' | 'warning';
  readonly path: readonly string[];
  readonly message: string;
}

/** Declares a provider, keeping its name's literal type for the registry's `ProviderName`. */
export function defineProvider<const Name extends string>(
  definition: ProviderDefinition<Name>,
): ProviderDefinition<Name> {
  return definition;
}

/** What a provider factory gets from the program at `start()`. */
export interface ProviderSettings {
  /** The `[model] provider` value (one of the registry's names). */
  provider: string;
  model: string;
  projectId?: string;
  region?: string;
  /** Environment to read credentials from (defaults to process.env). */
  env: Readonly<Record<string, string | undefined>>;
  /** The program's `mock` script, for the mock provider. */
  mock?: unknown;
  /** Overrides the API base URL (tests point it at a local server). */
  baseUrl?: string;
  /** `[model].api_key_env`: the variable in `env` holding the API key, for providers that read it. */
  apiKeyEnv?: string;
  /** `[model].deployment` (Azure OpenAI). */
  deployment?: string;
  /** `[model].api_version` (Azure OpenAI). */
  apiVersion?: string;
}
