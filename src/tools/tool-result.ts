import type { ImageBlock } from '../conversation/messages.js';

/**
 * The text of an object that has its own `toString` (a class instance, an object literal with one),
 * as Python's `str()` would show it; undefined for plain objects and when `toString` fails.
 */
function ownText(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { toString } = value as { toString: unknown };
  if (typeof toString !== 'function' || toString === Object.prototype.toString) return undefined;
  try {
    const text: unknown = toString.call(value);
    return typeof text === 'string' ? text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a tool hands back to the loop. `content` is what the model sees (strings as they are, other
 * values as JSON); `isError` marks it as a failure the model may correct; `abortExecution` stops the
 * loop from processing the rest of the model's response; `images` go to the model beside the text
 * where the provider takes images in tool results, else as placeholder text (docs/input.md).
 */
export class ToolResult {
  readonly content: unknown;
  readonly isError: boolean;
  readonly abortExecution: boolean;
  readonly images: readonly ImageBlock[];

  constructor(
    content: unknown,
    isError = false,
    abortExecution = false,
    images: readonly ImageBlock[] = [],
  ) {
    this.content = content;
    this.isError = isError;
    this.abortExecution = abortExecution;
    this.images = images;
  }

  static fromSuccess(content: unknown): ToolResult {
    return new ToolResult(content, false, false);
  }

  static fromError(message: string): ToolResult {
    return new ToolResult(message, true, false);
  }

  static fromAbort(content: unknown): ToolResult {
    return new ToolResult(content, false, true);
  }

  /** The content as the text sent to the model. */
  contentText(): string {
    const { content } = this;
    if (content === null || content === undefined) return '';
    if (typeof content === 'string') return content;
    try {
      // undefined for functions and symbols, which have no JSON form.
      const json = JSON.stringify(content) as string | undefined;
      if (json !== undefined) return json;
    } catch {
      // a cycle or a BigInt: fall through to the plain string form
    }
    if (typeof content === 'bigint' || typeof content === 'symbol' || typeof content === 'function')
      return content.toString();
    return ownText(content) ?? '[unserializable value]';
  }

  toJSON(): { content: string; isError: boolean; abortExecution: boolean } {
    return {
      content: this.contentText(),
      isError: this.isError,
      abortExecution: this.abortExecution,
    };
  }

  toString(): string {
    return `ToolResult(content=${this.contentText()}, isError=${String(this.isError)}, abortExecution=${String(this.abortExecution)})`;
  }
}
