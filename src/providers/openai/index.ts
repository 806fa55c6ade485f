/**
 * The OpenAI provider: a thin adapter over the `openai` SDK. Requests go to Chat Completions, or to the
 * Responses API for reasoning models that ask for reasoning (the rule is in models.ts); the pure mappers
 * are in chat.ts and responses.ts. The SDK is imported only when a program uses this provider.
 */
import type { OpenAI } from 'openai';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionStreamParams,
} from 'openai/resources/chat/completions';
import type { ResponseCreateParamsNonStreaming } from 'openai/resources/responses/responses';
import { LlmprocError } from '../../errors.js';
import type {
  GenerateOptions,
  GenerateResult,
  ModelRequest,
  Provider,
  ProviderSettings,
  TokenCount,
} from '../types.js';
import { buildChatRequest, fromChatCompletion } from './chat.js';
import { apiKeyVariable, createClient, toLlmprocError, type OpenAiSdk } from './client.js';
import { extraHeadersKey, toHeaders } from './mapping-helpers.js';
import { contextWindowFor, selectApi } from './models.js';
import { fromInputTokenCount, toInputTokenCountParams } from './input-tokens.js';
import { buildResponsesRequest, fromResponse } from './responses.js';

export { buildChatRequest, fromChatCompletion, toChatMessages } from './chat.js';
export { buildResponsesRequest, fromResponse, toResponsesInput } from './responses.js';
export { selectApi, isReasoningModel } from './models.js';

interface RequestOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/**
 * The SDK body and request options of a payload from `buildRequest`: `extra_headers` is taken out of
 * the body and sent as request headers; the signal cancels the call, retries and backoff waits included.
 */
function splitPayload(
  payload: Readonly<Record<string, unknown>>,
  signal: AbortSignal | undefined,
): { body: Record<string, unknown>; requestOptions: RequestOptions } {
  const { [extraHeadersKey]: extraHeaders, ...body } = payload;
  const requestOptions: RequestOptions = {};
  if (signal) requestOptions.signal = signal;
  const headers = toHeaders(extraHeaders);
  if (headers && Object.keys(headers).length > 0) requestOptions.headers = headers;
  return { body, requestOptions };
}

/**
 * Payloads from {@link buildResponsesRequest} carry `input` and never `messages`; Chat Completions
 * payloads carry `messages` and never `input` (both builders drop those names from `[parameters]`).
 */
function isResponsesPayload(payload: Readonly<Record<string, unknown>>): boolean {
  return Object.hasOwn(payload, 'input') && !Object.hasOwn(payload, 'messages');
}

/**
 * The OpenAI adapter. `buildRequest` returns the exact params given to the SDK call (plus
 * `extra_headers`, sent as headers); `doGenerate` picks the API from the payload's shape.
 */
export class OpenAiProvider implements Provider {
  readonly name = 'openai' as const;

  constructor(
    private readonly sdk: OpenAiSdk,
    private readonly client: OpenAI,
  ) {}

  buildRequest(request: ModelRequest): Record<string, unknown> {
    return selectApi(request.model, request.parameters) === 'responses'
      ? buildResponsesRequest(request)
      : buildChatRequest(request);
  }

  async doGenerate(
    payload: Record<string, unknown>,
    options: GenerateOptions,
  ): Promise<GenerateResult> {
    const { body, requestOptions } = splitPayload(payload, options.signal);
    const streaming = body['stream'] === true;
    try {
      return isResponsesPayload(body)
        ? await this.generateResponse(body, streaming, requestOptions, options.onTextDelta)
        : await this.generateChat(body, streaming, requestOptions, options.onTextDelta);
    } catch (error) {
      throw toLlmprocError(this.sdk, error, options.signal);
    }
  }

  private async generateChat(
    body: Record<string, unknown>,
    streaming: boolean,
    requestOptions: RequestOptions,
    onTextDelta: ((delta: string) => void) | undefined,
  ): Promise<GenerateResult> {
    let raw: unknown;
    if (streaming) {
      // The payload is built by buildChatRequest; the SDK types describe the same wire format.
      const stream = this.client.chat.completions.stream(
        body as unknown as ChatCompletionStreamParams,
        requestOptions,
      );
      if (onTextDelta) {
        stream.on('content', (delta) => {
          onTextDelta(delta);
        });
      }
      raw = await stream.finalChatCompletion();
    } else {
      raw = await this.client.chat.completions.create(
        body as unknown as ChatCompletionCreateParamsNonStreaming,
        requestOptions,
      );
    }
    return { raw, response: fromChatCompletion(raw) };
  }

  private async generateResponse(
    body: Record<string, unknown>,
    streaming: boolean,
    requestOptions: RequestOptions,
    onTextDelta: ((delta: string) => void) | undefined,
  ): Promise<GenerateResult> {
    let raw: unknown;
    if (streaming) {
      const stream = this.client.responses.stream(body, requestOptions);
      if (onTextDelta) {
        stream.on('response.output_text.delta', (event) => {
          onTextDelta(event.delta);
        });
      }
      raw = await stream.finalResponse();
    } else {
      raw = await this.client.responses.create(
        body as unknown as ResponseCreateParamsNonStreaming,
        requestOptions,
      );
    }
    return { raw, response: fromResponse(raw) };
  }

  /**
   * Input tokens of the request through `POST /v1/responses/input_tokens` when the request goes to the
   * Responses API; null for Chat Completions, which has no count endpoint (as in the original).
   */
  async countTokens(request: ModelRequest, options: GenerateOptions): Promise<TokenCount | null> {
    if (selectApi(request.model, request.parameters) !== 'responses') return null;
    const payload = buildResponsesRequest({ ...request, stream: false });
    const { requestOptions } = splitPayload(payload, options.signal);
    let inputTokens: number;
    try {
      const raw: unknown = await this.client.responses.inputTokens.count(
        toInputTokenCountParams(payload),
        requestOptions,
      );
      inputTokens = fromInputTokenCount(raw);
    } catch (error) {
      throw toLlmprocError(this.sdk, error, options.signal);
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
 * before loading the SDK, when `OPENAI_API_KEY` is missing or empty in `settings.env`.
 *
 * @example
 * const provider = await createProvider({ provider: 'openai', model: 'gpt-4o-mini', env: process.env });
 * const payload = provider.buildRequest(request); // emitted as api_request
 * const { raw, response } = await provider.doGenerate(payload, { signal });
 */
export async function createProvider(settings: ProviderSettings): Promise<Provider> {
  const apiKey = settings.env[apiKeyVariable];
  if (apiKey === undefined || apiKey.trim() === '') {
    throw new LlmprocError(
      'MISSING_CREDENTIALS',
      `OpenAI API key must be provided via ${apiKeyVariable} environment variable`,
      { details: { variable: apiKeyVariable, provider: 'openai' } },
    );
  }
  const sdk = await import('openai');
  return new OpenAiProvider(sdk, createClient(sdk, settings, apiKey));
}
