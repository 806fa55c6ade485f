import { commonImageTypes, type MediaSupport } from '../../conversation/media.js';

const MB = 1024 * 1024;

/**
 * What the Messages API takes (docs/input.md has the table and sources): images of at most 5 MB
 * once base64-encoded (the API measures the encoded string: "image exceeds 5 MB maximum: N bytes >
 * 5242880 bytes"), so 3.75 MB of bytes; PDFs and requests of at most 32 MB
 * (https://platform.claude.com/docs/en/build-with-claude/vision, .../pdf-support). URLs are fetched
 * by the API for both; tool results take image blocks.
 */
export const anthropicMedia: MediaSupport = {
  label: 'anthropic',
  imageTypes: commonImageTypes,
  maxImageBytes: (5 * MB * 3) / 4,
  imageLimitNote: '5 MB once base64-encoded',
  documentTypes: ['application/pdf'],
  maxDocumentBytes: 32 * MB,
  maxRequestBytes: 32 * MB,
  imageUrls: true,
  documentUrls: true,
  toolResultImages: true,
};
