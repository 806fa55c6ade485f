/**
 * The Gemini provider (`gemini`, `gemini_vertex`). The registry imports this module lazily; only it
 * loads `@google/genai`. Decisions (payload shape, usage, stop reasons, thought signatures, retries)
 * are documented in README.md next to this file.
 */
export {
  createProvider,
  GeminiProvider,
  buildCountTokensParams,
  toSdkParams,
} from './gemini-provider.js';
export {
  buildGeminiRequest,
  toExtraHeaders,
  toGeminiConfigParameters,
  toGeminiContents,
  toGeminiTools,
  toolNamesById,
  type GeminiRequestPayload,
} from './to-gemini.js';
export {
  assembleStream,
  chunkTextDeltas,
  contextWindowFor,
  fromGeminiResponse,
  functionCallId,
  toStopReason,
  toTokenCount,
  toUsage,
} from './from-gemini.js';
export { retryOptionsFromEnv, resolveClientOptions, retryableStatuses } from './client-options.js';
export { parseApiErrorBody, toLlmprocError } from './errors.js';
