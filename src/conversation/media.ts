/**
 * Images and documents in the conversation: what each provider takes (declared by its adapter), their
 * sizes, and the placeholder text sent where a provider cannot take one. Pure helpers over the plain
 * blocks of messages.ts, shared by the process (checks before any API call) and the adapters.
 */
import type {
  DocumentBlock,
  ImageBlock,
  MediaSource,
  Message,
  ToolResultBlock,
} from './messages.js';

/**
 * What one provider's API accepts as images and documents, declared by its adapter. Sizes are in
 * decoded bytes; llmproc checks them when `run()` is called, before any request, so a part the API
 * would refuse with a 400 never enters the conversation (where every later request would resend it).
 */
export interface MediaSupport {
  /** The provider's name in messages ("anthropic", "openai (Chat Completions)"). */
  readonly label: string;
  /** Image media types the API takes. */
  readonly imageTypes: readonly string[];
  /** Largest image, in bytes. */
  readonly maxImageBytes: number;
  /** How the provider states that limit, when it is not a plain byte count (shown in errors). */
  readonly imageLimitNote?: string;
  /** Document media types the API takes. */
  readonly documentTypes: readonly string[];
  /** Largest document, in bytes. */
  readonly maxDocumentBytes: number;
  /** All images and documents of one request together, in bytes (the whole conversation is sent). */
  readonly maxRequestBytes: number;
  /** Whether an image may be given as an https URL the provider fetches. */
  readonly imageUrls: boolean;
  /** Whether a document may be given as an https URL the provider fetches. */
  readonly documentUrls: boolean;
  /** Whether images a tool returns reach the model (else they are described in a placeholder). */
  readonly toolResultImages: boolean;
}

/** The image types every provider llmproc speaks to takes (Gemini has no GIF). */
export const commonImageTypes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

/**
 * For a provider that declares nothing: the limits every provider llmproc knows keeps (Anthropic's
 * image and request sizes), no URLs, tool-result images as placeholders. Safe rather than complete.
 */
export function strictestMediaSupport(label: string): MediaSupport {
  return {
    label,
    imageTypes: ['image/png', 'image/jpeg', 'image/webp'],
    maxImageBytes: (5 * 1024 * 1024 * 3) / 4,
    imageLimitNote: '5 MB once base64-encoded',
    documentTypes: ['application/pdf'],
    maxDocumentBytes: 32 * 1024 * 1024,
    maxRequestBytes: 32 * 1024 * 1024,
    imageUrls: false,
    documentUrls: false,
    toolResultImages: false,
  };
}

/** The decoded size of a base64 payload, without decoding it. */
export function base64ByteLength(data: string): number {
  const trimmed = data.replace(/\s+/g, '');
  const padding = trimmed.endsWith('==') ? 2 : trimmed.endsWith('=') ? 1 : 0;
  return Math.floor((trimmed.length * 3) / 4) - padding;
}

/** Bytes a source puts into a request: its data for base64, nothing for a URL the provider fetches. */
export function sourceBytes(source: MediaSource): number {
  return source.type === 'base64' ? base64ByteLength(source.data) : 0;
}

/** "31.1 KB", "4.2 MB": sizes for people, in binary units as the APIs count them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${String(bytes)} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The `data:` URL of a base64 source (OpenAI's form of inline bytes). */
export function dataUrl(source: MediaSource): string {
  return source.type === 'base64' ? `data:${source.media_type};base64,${source.data}` : source.url;
}

/**
 * The text standing for an image or document where it cannot be sent, e.g.
 * `[image: image/png, 1.2 KB, not sent: openai (Chat Completions) does not accept images in tool results]`.
 */
export function describeMedia(block: ImageBlock | DocumentBlock, notSentBecause?: string): string {
  const { source } = block;
  const facts = [
    block.type === 'document' && block.title !== undefined ? block.title : undefined,
    source.media_type,
    source.type === 'base64' ? formatBytes(base64ByteLength(source.data)) : source.url,
    notSentBecause === undefined ? undefined : `not sent: ${notSentBecause}`,
  ].filter((fact) => fact !== undefined);
  return `[${block.type}: ${facts.join(', ')}]`;
}

/** Every image and document a conversation carries: user parts and tool-result images. */
export function conversationMedia(messages: readonly Message[]): (ImageBlock | DocumentBlock)[] {
  const media: (ImageBlock | DocumentBlock)[] = [];
  for (const message of messages) {
    if (message.role !== 'user' || typeof message.content === 'string') continue;
    for (const block of message.content) {
      if (block.type === 'image' || block.type === 'document') media.push(block);
      else if (block.type === 'tool_result' && block.images) media.push(...block.images);
    }
  }
  return media;
}

/**
 * A tool result's text with a placeholder line for each image it carries, for a provider that takes
 * no images in tool results (`label` names it), so the model still learns there was one.
 */
export function toolResultTextFor(result: ToolResultBlock, label: string): string {
  const notes = (result.images ?? []).map((image) =>
    describeMedia(image, `${label} does not accept images in tool results`),
  );
  return [result.content, ...notes].filter((line) => line !== '').join('\n');
}

/**
 * Why an image a tool returned cannot be sent to a provider (a type it does not take, over its size
 * limit), or undefined when it can. Tool images are not checked at run() like user parts, so the
 * adapters send a placeholder instead of a request the API would refuse on every later call.
 */
export function toolImageProblem(image: ImageBlock, support: MediaSupport): string | undefined {
  const { source } = image;
  if (source.type === 'url')
    return support.imageUrls ? undefined : `${support.label} takes no image URLs`;
  if (!support.imageTypes.includes(source.media_type))
    return `${support.label} does not take ${source.media_type}`;
  const bytes = base64ByteLength(source.data);
  if (bytes > support.maxImageBytes)
    return `over ${support.label}'s limit of ${formatBytes(support.maxImageBytes)} per image`;
  return undefined;
}
