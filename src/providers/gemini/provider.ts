/**
 * The Gemini adapter (`gemini` and `gemini_vertex`) on `@google/genai`: a thin class over the pure
 * mappers in request.ts / response.ts. The SDK is imported only by {@link createProvider}.
 */
import { geminiMedia } from './media.js';
import type { MediaSupport } from '../../conversation/media.js';
import type {
  Content,
  CountTokensParameters,
  GenerateContentParameters,
  GoogleGenAI,
} from '@google/genai';
import { LlmprocError } from '../../errors.js';
import { untilAborted } from '../../internal/abort.js';
import type {
  GenerateOptions,
  GenerateResult,
  ModelRequest,
  Provider,
  ProviderSettings,
  TokenCount,
} from '../types.js';
import { resolveClientOptions } from './client.js';
import { toLlmprocError } from './errors.js';
import { assembleStream, chunkTextDeltas, fromGeminiResponse, toTokenCount } from './response.js';
import { ConversionCache } from '../conversion-cache.js';
import {
  buildGeminiRequest,
  toGeminiContents,
  type GeminiConversions,
  toExtraHeaders,
  toGeminiTools,
  type GeminiRequestPayload,
} from './request.js';

type GenAiModule = typeof import('@google/genai');

/**
 * The SDK params of a payload made by `buildRequest`: a deep copy (the SDK must not alter what
 * `api_request` showed), `stream` removed, and the call's AbortSignal added as `config.abortSignal`.
 */
export function toSdkParams(
  payload: GeminiRequestPayload,
  signal: AbortSignal | undefined,
): { stream: boolean; params: GenerateContentParameters } {
  const { stream, ...params } = structuredClone(payload);
  if (signal !== undefined) params.config.abortSignal = signal;
  return { stream: stream === true, params };
}

/**
 * The countTokens params of a request. Vertex AI counts the system instruction and tools with the
 * contents. The Gemini Developer API's count endpoint, as the SDK exposes it, takes contents only
 * (the SDK rejects `systemInstruction` and `tools` there), so the system prompt is counted as a
 * leading user turn and tool declarations are not counted: an approximation, a little low.
 */
export function buildCountTokensParams(
  request: ModelRequest,
  vertexai: boolean,
): CountTokensParameters & { contents: Content[] } {
  if (vertexai) {
    const config: CountTokensParameters['config'] = {};
    if (request.systemPrompt !== '') config.systemInstruction = request.systemPrompt;
    const tools = toGeminiTools(request.tools);
    if (tools.length > 0) config.tools = tools;
    return { model: request.model, contents: toGeminiContents(request.messages), config };
  }
  const messages =
    request.systemPrompt === ''
      ? request.messages
      : [{ role: 'user' as const, content: request.systemPrompt }, ...request.messages];
  return { model: request.model, contents: toGeminiContents(messages) };
}

export class GeminiProvider implements Provider<GeminiRequestPayload> {
  readonly name: 'gemini' | 'gemini_vertex';
  /** The last call's conversions, reused by the next call of the same conversation. */
  private readonly conversions: GeminiConversions = new ConversionCache();

  constructor(
    private readonly sdk: GenAiModule,
    private readonly client: GoogleGenAI,
    name: 'gemini' | 'gemini_vertex',
  ) {
    this.name = name;
  }

  /** `{ model, contents, config, stream? }`: see {@link buildGeminiRequest}. */
  buildRequest(request: ModelRequest): GeminiRequestPayload {
    return buildGeminiRequest(request, this.conversions);
  }

  async doGenerate(
    payload: GeminiRequestPayload,
    options: GenerateOptions,
  ): Promise<GenerateResult> {
    const { signal } = options;
    try {
      signal?.throwIfAborted();
      const { stream, params } = toSdkParams(payload, signal);
      const call = stream
        ? this.generateStream(params, options.onTextDelta)
        : this.client.models.generateContent(params);
      const raw = await untilAborted<unknown>(call, signal);
      return { raw, response: fromGeminiResponse(raw, params.model) };
    } catch (error) {
      throw toLlmprocError(error, this.name, signal);
    }
  }

  /**
   * Stream, passing visible text to `onTextDelta` as it arrives, and assemble the chunks into one
   * GenerateContentResponse (see {@link assembleStream}), which becomes `api_response`.
   */
  private async generateStream(
    params: GenerateContentParameters,
    onTextDelta: ((delta: string) => void) | undefined,
  ): Promise<unknown> {
    const stream = await this.client.models.generateContentStream(params);
    const chunks: unknown[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      if (onTextDelta !== undefined) for (const delta of chunkTextDeltas(chunk)) onTextDelta(delta);
    }
    return Object.assign(new this.sdk.GenerateContentResponse(), assembleStream(chunks));
  }

  /** Through `models.countTokens` (see {@link buildCountTokensParams}); an empty request is 0 tokens. */
  /** What `generateContent` takes (media.ts). */
  mediaSupport(): MediaSupport {
    return geminiMedia;
  }

  async countTokens(request: ModelRequest, options: GenerateOptions): Promise<TokenCount> {
    const params = buildCountTokensParams(request, this.name === 'gemini_vertex');
    if (params.contents.length === 0) {
      return toTokenCount({ totalTokens: 0 }, request.model);
    }
    const { signal } = options;
    const config: CountTokensParameters['config'] = { ...params.config };
    const headers = toExtraHeaders(request.parameters);
    if (headers !== undefined) config.httpOptions = { headers };
    if (signal !== undefined) config.abortSignal = signal;
    try {
      signal?.throwIfAborted();
      const raw = await untilAborted<unknown>(
        this.client.models.countTokens({ ...params, config }),
        signal,
      );
      return toTokenCount(raw, request.model);
    } catch (error) {
      throw toLlmprocError(error, this.name, signal);
    }
  }
}

/**
 * Creates the `gemini` or `gemini_vertex` provider. Fails with LlmprocError MISSING_CREDENTIALS when
 * the API key (gemini) or the Google Cloud project (gemini_vertex) is missing; loads `@google/genai`
 * only then.
 */
export async function createProvider(settings: ProviderSettings): Promise<GeminiProvider> {
  if (settings.provider !== 'gemini' && settings.provider !== 'gemini_vertex') {
    throw new LlmprocError(
      'INVALID_OPTION',
      `gemini adapter cannot serve provider "${settings.provider}"`,
    );
  }
  const options = resolveClientOptions(settings);
  let sdk: GenAiModule;
  try {
    sdk = await import('@google/genai');
  } catch (error) {
    throw new LlmprocError(
      'PROVIDER_UNAVAILABLE',
      `${settings.provider}: the @google/genai package could not be loaded (npm install @google/genai)`,
      { cause: error },
    );
  }
  return new GeminiProvider(sdk, new sdk.GoogleGenAI(options), settings.provider);
}
