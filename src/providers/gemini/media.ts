import type { MediaSupport } from '../../conversation/media.js';

const MB = 1000 * 1000;

/**
 * What `generateContent` takes (docs/input.md has the table and sources): inline data up to 100 MB
 * per request and PDFs up to 50 MB (https://ai.google.dev/gemini-api/docs/file-input-methods);
 * https URLs as `fileData` (fetched by the API; Gemini 2.0 models take only Files API URIs). Image
 * types are PNG, JPEG, WebP, HEIC and HEIF: no GIF. Function responses are sent as text here, so a
 * tool's images become a placeholder.
 */
export const geminiMedia: MediaSupport = {
  label: 'gemini',
  imageTypes: ['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif'],
  maxImageBytes: 100 * MB,
  documentTypes: ['application/pdf'],
  maxDocumentBytes: 50 * MB,
  maxRequestBytes: 100 * MB,
  imageUrls: true,
  documentUrls: true,
  toolResultImages: false,
};
