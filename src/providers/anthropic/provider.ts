/**
 * The Anthropic adapter: a thin class over the SDK client. Request and response mapping live in
 * request.ts and response.ts; this file only sends, streams, counts and maps errors.
 */
import { anthropicMedia } from './media.js';
import type { MediaSupport } from '../../conversation/media.js';
import type Anthropic from '@anthropic-ai/sdk';
import type {
  Message,
  MessageCountTokensParams,
  MessageCreateParamsNonStreaming,
} from '@anthropic-ai/sdk/resources';
import type {
  GenerateOptions,
  GenerateResult,
  ModelRequest,
  ModelResponse,
  Provider,
  TokenCount,
} from '../types.js';
import { isStreamingRequiredError, toProviderError, type SdkErrorClasses } from './errors.js';
import {
  EXTRA_HEADERS_KEY,
  toAnthropicCountTokensRequest,
  toAnthropicRequest,
  toExtraHeaders,
  type AnthropicRequest,
  type AnthropicConversions,
} from './request.js';
import { fromAnthropicMessage, fromAnthropicTokenCount } from './response.js';
import { ConversionCache } from '../conversion-cache.js';
import { hasNativeStructuredOutput } from './models.js';
import { applyOutputFormat, outputToolCallsAsText, usesOutputTool } from './output.js';

/**
 * The part of an SDK client the adapter uses: `Anthropic`, `AnthropicVertex` and `AnthropicBedrock`
 * all have it; Bedrock has no token count endpoint.
 */
export interface AnthropicClient {
  readonly messages: Pick<Anthropic['messages'], 'create' | 'stream'> &
    Partial<Pick<Anthropic['messages'], 'countTokens'>>;
}

/** The providers this adapter serves. */
export type AnthropicProviderName = 'anthropic' | 'anthropic_vertex' | 'anthropic_bedrock';

/** The `anthropic_version` each cloud platform documents for the Messages body. */
const platformApiVersions = {
  anthropic_vertex: 'vertex-2023-10-16',
  anthropic_bedrock: 'bedrock-2023-05-31',
} as const satisfies Record<Exclude<AnthropicProviderName, 'anthropic'>, string>;

interface SdkRequestOptions {
  signal: AbortSignal | null;
  headers?: Record<string, string>;
}

function requestOptions(
  headers: Record<string, string> | undefined,
  signal: AbortSignal | undefined,
): SdkRequestOptions {
  return headers ? { signal: signal ?? null, headers } : { signal: signal ?? null };
}

/** A payload with neither headers nor the stream flag: the body as it is. */
function isBodyAlready(
  payload: AnthropicRequest,
): payload is AnthropicRequest & { stream?: never; [EXTRA_HEADERS_KEY]?: never } {
  return !(EXTRA_HEADERS_KEY in payload) && !('stream' in payload);
}

/**
 * Splits an `api_request` payload (built by {@link toAnthropicRequest}; callbacks see it before it
 * is sent) into the body the SDK sends and the extra HTTP headers.
 */
export function splitPayload(payload: AnthropicRequest): {
  body: MessageCreateParamsNonStreaming;
  isStream: boolean;
  headers: Record<string, string> | undefined;
} {
  // Sent as it is when there is nothing to take out (the usual case): a rest copy of every payload
  // is a runtime call per model call (bench: `npm run bench http`).
  if (isBodyAlready(payload)) return { body: payload, isStream: false, headers: undefined };
  const { [EXTRA_HEADERS_KEY]: extraHeaders, stream, ...body } = payload;
  return {
    body,
    isStream: stream === true,
    headers: toExtraHeaders(extraHeaders),
  };
}

/**
 * The payload `buildRequest` sends on platform `name`: pure (no client, no credentials), so a replay
 * of a trace builds the same one.
 */
export function anthropicPayload(
  name: AnthropicProviderName,
  request: ModelRequest,
  cache?: AnthropicConversions,
): AnthropicRequest {
  const payload = toAnthropicRequest(request, cache);
  if (request.output) {
    // Native structured output is used on the Anthropic API itself; Vertex and Bedrock get the
    // tool route, which every Claude model on every platform accepts.
    const native = name === 'anthropic' && hasNativeStructuredOutput(request.model);
    applyOutputFormat(payload, request.output, native);
  }
  // The cloud platforms take the API version in the body, and document their own: sent as
  // documented (and shown in api_request) rather than the SDK's header version, unless
  // `[parameters].anthropic_version` sets one.
  if (name !== 'anthropic' && payload['anthropic_version'] === undefined)
    payload['anthropic_version'] = platformApiVersions[name];
  return payload;
}

/** A Messages API reply to `payload` as the loop reads it (the output tool's call as the answer). */
export function anthropicReply(
  raw: unknown,
  name: AnthropicProviderName,
  payload: Readonly<Record<string, unknown>>,
): ModelResponse {
  const response = fromAnthropicMessage(raw, name);
  if (usesOutputTool(payload)) {
    response.content = outputToolCallsAsText(response.content);
    if (response.stopReason === 'tool_use' && !response.content.some((b) => b.type === 'tool_use'))
      response.stopReason = 'end_turn';
  }
  return response;
}

export class AnthropicProvider implements Provider<AnthropicRequest> {
  readonly name: AnthropicProviderName;
  readonly #client: AnthropicClient;
  readonly #sdk: SdkErrorClasses;
  /** The last call's conversions, reused by the next call of the same conversation. */
  readonly #conversions: AnthropicConversions = new ConversionCache();

  constructor(name: AnthropicProviderName, client: AnthropicClient, sdk: SdkErrorClasses) {
    this.name = name;
    this.#client = client;
    this.#sdk = sdk;
  }

  /** See {@link toAnthropicRequest} for the shape; it holds no credentials. */
  buildRequest(request: ModelRequest): AnthropicRequest {
    return anthropicPayload(this.name, request, this.#conversions);
  }

  /**
   * Sends the request. When the payload streams, text deltas reach `options.onTextDelta` as they
   * arrive and `raw` is the SDK's assembled final message. A non-streaming request whose
   * `max_tokens` the SDK deems too long to wait for is streamed instead (without deltas), rather
   * than failing before it is sent.
   */
  async doGenerate(payload: AnthropicRequest, options: GenerateOptions): Promise<GenerateResult> {
    const { body, isStream, headers } = splitPayload(payload);
    const sdkOptions = requestOptions(headers, options.signal);
    let raw: Message;
    try {
      // One async layer between the loop and the SDK per call, not three: each layer is a promise
      // and a resumption on every model call.
      raw = isStream
        ? await this.#stream(body, sdkOptions, options.onTextDelta)
        : await this.#client.messages.create(body, sdkOptions);
    } catch (error) {
      raw = await this.#retryAsStream(error, isStream, body, sdkOptions, options);
    }
    return { raw, response: anthropicReply(raw, this.name, payload) };
  }

  /**
   * A non-streaming request whose `max_tokens` the SDK deems too long to wait for is streamed instead
   * (without deltas); any other failure becomes a ProviderError.
   */
  async #retryAsStream(
    error: unknown,
    isStream: boolean,
    body: MessageCreateParamsNonStreaming,
    sdkOptions: SdkRequestOptions,
    options: GenerateOptions,
  ): Promise<Message> {
    const mapping = { provider: this.name, sdk: this.#sdk, signal: options.signal };
    if (isStream || !isStreamingRequiredError(error, this.#sdk))
      throw toProviderError(error, mapping);
    try {
      return await this.#stream(body, sdkOptions, undefined);
    } catch (streamError) {
      throw toProviderError(streamError, mapping);
    }
  }

  /**
   * Token count of the request's system prompt, messages and tools through
   * `POST /v1/messages/count_tokens`. A 404 (an endpoint or model the count API does not serve,
   * e.g. some gateways) gives null, as for providers without a count endpoint; any other failure
   * rejects with a ProviderError (0.9.2 returned `{ error }` instead).
   */
  /** What the Messages API takes (media.ts); Vertex serves the same API. */
  mediaSupport(): MediaSupport {
    return anthropicMedia;
  }

  async countTokens(request: ModelRequest, options: GenerateOptions): Promise<TokenCount | null> {
    // Bedrock's SDK drops the count endpoint (its InvokeModel API has none): no count, as for an API
    // without one.
    const messages = this.#client.messages;
    if (this.name === 'anthropic_bedrock' || messages.countTokens === undefined) return null;
    const body: MessageCountTokensParams = toAnthropicCountTokensRequest(request);
    const headers = toExtraHeaders(request.parameters[EXTRA_HEADERS_KEY]);
    try {
      const counted = await messages.countTokens(body, requestOptions(headers, options.signal));
      return fromAnthropicTokenCount(counted, request.model, this.name);
    } catch (error) {
      const mapped = toProviderError(error, {
        provider: this.name,
        sdk: this.#sdk,
        signal: options.signal,
      });
      if (error instanceof this.#sdk.APIError && error.status === 404) return null;
      throw mapped;
    }
  }

  /** The SDK client holds nothing that needs closing (fetch manages its own connections). */
  close(): Promise<void> {
    return Promise.resolve();
  }

  async #stream(
    body: MessageCreateParamsNonStreaming,
    options: SdkRequestOptions,
    onTextDelta: ((delta: string) => void) | undefined,
  ): Promise<Message> {
    const stream = this.#client.messages.stream(body, options);
    if (onTextDelta) {
      stream.on('text', (delta) => {
        onTextDelta(delta);
      });
    }
    return stream.finalMessage();
  }
}
