/**
 * What a replay needs of the recorded provider: its request mapper (so the replayed run builds, and
 * emits as `api_request`, the request that provider would send) and its response mapper (so the
 * recorded response becomes the plain reply the loop works with). Both are the adapters' own pure
 * mappers; no SDK client, no credentials and no network are involved. Each is imported only when a
 * trace of that provider is replayed.
 */
import { LlmprocError } from '../../errors.js';
import type { ModelRequest, ModelResponse, ProviderSettings } from '../../providers/types.js';

export interface ReplayCodec {
  buildRequest(request: ModelRequest): Record<string, unknown>;
  /** The recorded response (`api_response`) as a plain reply; `payload` is the request it answered. */
  fromRaw(raw: unknown, payload: Readonly<Record<string, unknown>>): ModelResponse;
}

function modelOf(payload: Readonly<Record<string, unknown>>): string {
  return typeof payload['model'] === 'string' ? payload['model'] : '';
}

/**
 * The settings of a recorded program that decide how its provider builds requests. `apiKeyEnv` is
 * the *name* of the key's variable (never its value): with `baseUrl` it makes `openai` an
 * OpenAI-compatible server, which takes Chat Completions only. A replay reads no key at all.
 */
export type CodecSettings = Pick<ProviderSettings, 'apiKeyEnv' | 'baseUrl'>;

/** The codec of a recorded provider name (the `provider` of a trace's process line). */
export async function codecFor(
  provider: string,
  model: string,
  settings: CodecSettings = {},
): Promise<ReplayCodec> {
  switch (provider) {
    case 'mock': {
      // The mock answers in the Messages API's shape, so Anthropic's response mapper reads it.
      const [{ MockProvider }, { fromAnthropicMessage }] = await Promise.all([
        import('../../providers/mock/provider.js'),
        import('../../providers/anthropic/response.js'),
      ]);
      const mock = new MockProvider({ turns: [] }, model);
      return {
        buildRequest: (request) => mock.buildRequest(request),
        fromRaw: (raw) => fromAnthropicMessage(raw, 'mock'),
      };
    }
    case 'anthropic':
    case 'anthropic_vertex':
    case 'anthropic_bedrock': {
      // The adapter's own pure builders: structured output and the platforms' API version included.
      const { anthropicPayload, anthropicReply } =
        await import('../../providers/anthropic/provider.js');
      return {
        buildRequest: (request) => ({ ...anthropicPayload(provider, request) }),
        fromRaw: (raw, payload) => anthropicReply(raw, provider, payload),
      };
    }
    case 'openai':
    case 'azure_openai': {
      const [
        chatRequest,
        chatResponse,
        responsesRequest,
        responsesResponse,
        { selectApi },
        { compatibleServer },
      ] = await Promise.all([
        import('../../providers/openai/chat/request.js'),
        import('../../providers/openai/chat/response.js'),
        import('../../providers/openai/responses/request.js'),
        import('../../providers/openai/responses/response.js'),
        import('../../providers/openai/models.js'),
        import('../../providers/openai/client.js'),
      ]);
      // Azure and OpenAI-compatible servers (`api_key_env` with `base_url`) are Chat Completions
      // only (providers/azure-openai/provider.ts, providers/openai/provider.ts createProvider).
      const chatOnly = provider === 'azure_openai' || compatibleServer(settings) !== undefined;
      return {
        buildRequest: (request) =>
          !chatOnly && selectApi(request.model, request.parameters) === 'responses'
            ? responsesRequest.buildResponsesRequest(request)
            : chatRequest.buildChatRequest(request),
        // Payloads for the Responses API carry `input`, Chat Completions payloads `messages`.
        fromRaw: (raw, payload) =>
          Object.hasOwn(payload, 'input') && !Object.hasOwn(payload, 'messages')
            ? responsesResponse.fromResponse(raw)
            : chatResponse.fromChatCompletion(raw),
      };
    }
    case 'gemini':
    case 'gemini_vertex': {
      const [{ buildGeminiRequest }, { fromGeminiResponse }] = await Promise.all([
        import('../../providers/gemini/request.js'),
        import('../../providers/gemini/response.js'),
      ]);
      return {
        buildRequest: (request) => ({ ...buildGeminiRequest(request) }),
        fromRaw: (raw, payload) => fromGeminiResponse(raw, modelOf(payload)),
      };
    }
    default:
      throw new LlmprocError(
        'TRACE_NOT_REPLAYABLE',
        `The trace was recorded with provider "${provider}", which this llmproc cannot replay`,
        { details: { provider } },
      );
  }
}
