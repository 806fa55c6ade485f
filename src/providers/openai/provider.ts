/**
 * The OpenAI provider: a thin adapter over the `openai` SDK. Requests go to Chat Completions, or to the
 * Responses API for reasoning models that ask for reasoning (the rule is in models.ts); the pure mappers
 * are in chat/ and responses/ (request.ts, response.ts each). The SDK is imported only when a program uses this provider.
 */
import { openAiChatMedia, openAiResponsesMedia } from './media.js';
import type { MediaSupport } from '../../conversation/media.js';
import type { OpenAI } from 'openai';
import type {
  GenerateOptions,
  GenerateResult,
  ModelRequest,
  Provider,
  ProviderSettings,
  TokenCount,
} from '../types.js';
import { buildChatRequest, type ChatConversions, type ChatRequest } from './chat/request.js';
import { ConversionCache } from '../conversion-cache.js';
import { fromChatCompletion } from './chat/response.js';
import {
  apiKeyVariable,
  compatibleServer,
  createClient,
  requireApiKey,
  type OpenAiSdk,
} from './client.js';
import { toLlmprocError, type ErrorSource } from './errors.js';
import { extraHeadersKey, toHeaders } from './mapping-helpers.js';
import { contextWindowFor, selectApi, type OpenAiApi } from './models.js';
import { fromInputTokenCount, toInputTokenCountParams } from './input-tokens.js';
import {
  buildResponsesRequest,
  type ResponsesConversions,
  type ResponsesRequest,
} from './responses/request.js';
import { fromResponse } from './responses/response.js';

interface RequestOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** The payload of either API; {@link isResponsesPayload} tells them apart. */
export type OpenAiRequest = ChatRequest | ResponsesRequest;

/**
 * The request options of a payload from `buildRequest`: `extra_headers` is sent as request headers;
 * the signal cancels the call, retries and backoff waits included.
 */
function requestOptionsOf(extraHeaders: unknown, signal: AbortSignal | undefined): RequestOptions {
  const requestOptions: RequestOptions = {};
  if (signal) requestOptions.signal = signal;
  const headers = toHeaders(extraHeaders);
  if (headers && Object.keys(headers).length > 0) requestOptions.headers = headers;
  return requestOptions;
}

/**
 * Payloads from {@link buildResponsesRequest} carry `input` and never `messages`; Chat Completions
 * payloads carry `messages` and never `input` (both builders drop those names from `[parameters]`).
 */
function isResponsesPayload(payload: OpenAiRequest): payload is ResponsesRequest {
  return Object.hasOwn(payload, 'input') && !Object.hasOwn(payload, 'messages');
}

/**
 * The OpenAI adapter. `buildRequest` returns the exact params given to the SDK call (plus
 * `extra_headers`, sent as headers); `doGenerate` picks the API from the payload's shape.
 */
export class OpenAiProvider implements Provider<OpenAiRequest> {
  readonly name: string;
  /** The last call's conversions, reused by the next call of the same conversation. */
  private readonly chatConversions: ChatConversions = new ConversionCache();
  private readonly responsesConversions: ResponsesConversions = new ConversionCache();

  /**
   * @param options.source who errors name (`openai`, an OpenAI-compatible server, Azure);
   * @param options.chatOnly send everything to Chat Completions (servers without a Responses API).
   */
  constructor(
    private readonly sdk: OpenAiSdk,
    private readonly client: OpenAI,
    private readonly options: { source: ErrorSource; chatOnly: boolean } = {
      source: { provider: 'openai', label: 'openai' },
      chatOnly: false,
    },
  ) {
    this.name = options.source.provider;
  }

  private apiFor(request: ModelRequest): OpenAiApi {
    return this.options.chatOnly ? 'chat' : selectApi(request.model, request.parameters);
  }

  buildRequest(request: ModelRequest): OpenAiRequest {
    return this.apiFor(request) === 'responses'
      ? buildResponsesRequest(request, this.responsesConversions)
      : buildChatRequest(request, this.chatConversions);
  }

  async doGenerate(payload: OpenAiRequest, options: GenerateOptions): Promise<GenerateResult> {
    const requestOptions = requestOptionsOf(payload[extraHeadersKey], options.signal);
    try {
      return isResponsesPayload(payload)
        ? await this.generateResponse(payload, requestOptions, options.onTextDelta)
        : await this.generateChat(payload, requestOptions, options.onTextDelta);
    } catch (error) {
      throw toLlmprocError(this.sdk, error, options.signal, this.options.source);
    }
  }

  // Each API is one SDK call: a stream forwards its text deltas and resolves with the final object the
  // SDK assembles, so both paths hand the same shape to the response mapper.
  private async generateChat(
    payload: ChatRequest,
    requestOptions: RequestOptions,
    onTextDelta: ((delta: string) => void) | undefined,
  ): Promise<GenerateResult> {
    const { [extraHeadersKey]: _headers, stream: streaming, ...body } = payload;
    const completions = this.client.chat.completions;
    const raw: unknown = streaming
      ? await completions
          .stream(body, requestOptions)
          .on('content', (delta) => onTextDelta?.(delta))
          .finalChatCompletion()
      : await completions.create(body, requestOptions);
    return { raw, response: fromChatCompletion(raw) };
  }

  private async generateResponse(
    payload: ResponsesRequest,
    requestOptions: RequestOptions,
    onTextDelta: ((delta: string) => void) | undefined,
  ): Promise<GenerateResult> {
    const { [extraHeadersKey]: _headers, stream: streaming, ...body } = payload;
    const responses = this.client.responses;
    const raw: unknown = streaming
      ? await responses
          .stream(body, requestOptions)
          .on('response.output_text.delta', (event) => onTextDelta?.(event.delta))
          .finalResponse()
      : await responses.create(body, requestOptions);
    return { raw, response: fromResponse(raw) };
  }

  /**
   * Input tokens of the request through `POST /v1/responses/input_tokens` when the request goes to the
   * Responses API; null for Chat Completions, which has no count endpoint (as in the original).
   */
  /** What the API this model's requests go to takes (media.ts): the two APIs differ. */
  mediaSupport(model: string, parameters: Readonly<Record<string, unknown>>): MediaSupport {
    return selectApi(model, parameters) === 'responses' ? openAiResponsesMedia : openAiChatMedia;
  }

  async countTokens(request: ModelRequest, options: GenerateOptions): Promise<TokenCount | null> {
    if (this.apiFor(request) !== 'responses') return null;
    const payload = buildResponsesRequest({ ...request, stream: false });
    const requestOptions = requestOptionsOf(payload[extraHeadersKey], options.signal);
    let inputTokens: number;
    try {
      const raw: unknown = await this.client.responses.inputTokens.count(
        toInputTokenCountParams(payload),
        requestOptions,
      );
      inputTokens = fromInputTokenCount(raw);
    } catch (error) {
      throw toLlmprocError(this.sdk, error, options.signal, this.options.source);
    }
    const contextWindow = contextWindowFor(request.model);
    return {
      inputTokens,
      contextWindow,
      percentage: contextWindow === null ? null : (inputTokens / contextWindow) * 100,
      remainingTokens: contextWindow === null ? null : Math.max(0, contextWindow - inputTokens),
    };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Creates the OpenAI provider for a process (called at `start()`). Fails before any request, and
 * before loading the SDK, when the key's variable (`OPENAI_API_KEY`, or the one `[model].api_key_env`
 * names) is missing or empty in `settings.env`. With `api_key_env` and `base_url` it speaks to an
 * OpenAI-compatible server: Chat Completions only, the base URL used as given, errors naming the server.
 *
 * @example
 * const provider = await createProvider({ provider: 'openai', model: 'gpt-4o-mini', env: process.env });
 * const payload = provider.buildRequest(request); // emitted as api_request
 * const { raw, response } = await provider.doGenerate(payload, { signal });
 */
export async function createProvider(settings: ProviderSettings): Promise<Provider> {
  const server = compatibleServer(settings);
  const variable = settings.apiKeyEnv ?? apiKeyVariable;
  const apiKey = requireApiKey(settings.env, variable, {
    provider: 'openai',
    what: server === undefined ? 'OpenAI API key' : `API key of ${server}`,
    ...(settings.apiKeyEnv === undefined ? {} : { chosenBy: 'model.api_key_env' }),
  });
  const sdk = await import('openai');
  if (server === undefined) return new OpenAiProvider(sdk, createClient(sdk, settings, apiKey));
  return new OpenAiProvider(sdk, createClient(sdk, settings, apiKey, { exactBaseUrl: true }), {
    source: { provider: 'openai', label: `openai-compatible server ${server}` },
    chatOnly: true,
  });
}
