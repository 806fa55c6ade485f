import { commonImageTypes, type MediaSupport } from '../../conversation/media.js';

const MB = 1000 * 1000;

/**
 * Shared by both APIs (docs/input.md has the table and sources): images of at most 20 MB, 50 MB of
 * image bytes per request (https://platform.openai.com/docs/guides/images-vision), PDFs within
 * 32 MB per request (https://platform.openai.com/docs/guides/pdf-files). Decimal megabytes: the
 * smaller reading of "MB", so a part llmproc lets through is not refused by the API.
 */
const shared = {
  imageTypes: commonImageTypes,
  maxImageBytes: 20 * MB,
  documentTypes: ['application/pdf'],
  maxDocumentBytes: 32 * MB,
  maxRequestBytes: 50 * MB,
  imageUrls: true,
} as const;

/**
 * Chat Completions: a `file` part takes inline `file_data` or an uploaded `file_id`, never a URL;
 * a `tool` message holds text only, so a tool's images become a placeholder.
 */
export const openAiChatMedia: MediaSupport = {
  ...shared,
  label: 'openai (Chat Completions)',
  documentUrls: false,
  toolResultImages: false,
};

/** The Responses API: `input_file` takes a `file_url`; `function_call_output` takes images. */
export const openAiResponsesMedia: MediaSupport = {
  ...shared,
  label: 'openai (Responses API)',
  documentUrls: true,
  toolResultImages: true,
};
