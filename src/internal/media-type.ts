/**
 * The media type of bytes from their first bytes ("magic numbers"), for the kinds llmproc sends:
 * PNG, JPEG, GIF, WebP and PDF. Used when a part gives no `mimeType`, and to catch a `mimeType` that
 * does not match the bytes (which the APIs refuse with a 400 after the upload).
 */

const signatures: readonly { type: string; test: (head: Uint8Array) => boolean }[] = [
  {
    type: 'image/png',
    test: (h) => startsWith(h, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  },
  { type: 'image/jpeg', test: (h) => startsWith(h, [0xff, 0xd8, 0xff]) },
  { type: 'image/gif', test: (h) => ascii(h, 0, 'GIF87a') || ascii(h, 0, 'GIF89a') },
  { type: 'image/webp', test: (h) => ascii(h, 0, 'RIFF') && ascii(h, 8, 'WEBP') },
  { type: 'application/pdf', test: (h) => ascii(h, 0, '%PDF-') },
];

function startsWith(head: Uint8Array, bytes: readonly number[]): boolean {
  return bytes.every((byte, i) => head[i] === byte);
}

function ascii(head: Uint8Array, offset: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (head[offset + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** How many leading bytes {@link sniffMediaType} looks at. */
export const sniffBytes = 16;

/** The media type the bytes start like, or undefined when they match none of the known kinds. */
export function sniffMediaType(head: Uint8Array): string | undefined {
  return signatures.find((signature) => signature.test(head))?.type;
}

/** Media types by file extension, for an https URL whose bytes llmproc never sees. */
const byExtension: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
};

/** The media type a URL's path extension names ("…/cat.PNG?x=1" is image/png), if known. */
export function mediaTypeFromUrl(url: URL): string | undefined {
  const match = /\.([a-z0-9]+)$/i.exec(url.pathname);
  return match?.[1] === undefined ? undefined : byExtension[match[1].toLowerCase()];
}

/** "image/jpg" is a common misspelling the APIs refuse; media types compare in lower case. */
export function normalizeMediaType(type: string): string {
  const lower = type.trim().toLowerCase();
  return lower === 'image/jpg' ? 'image/jpeg' : lower;
}
