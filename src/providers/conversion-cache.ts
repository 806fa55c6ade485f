/**
 * What an adapter converted for a conversation's last model call, kept for its next call. The process
 * replaces messages and never changes one (process/conversation.ts), so a message still in the
 * conversation converts the same way: a run of n turns converts n messages instead of n(n+1)/2, and
 * the payloads that RunResult keeps share their conversions instead of holding n copies of the
 * conversation (docs/architecture.md, "Speed"). Messages are matched by identity, place by place, so
 * a conversation that was cut or replaced (goto, a fork on the same adapter) converts what differs.
 *
 * What it hands out is shared between payloads, which are read-only for callbacks
 * (docs/callbacks.md); an adapter that changes a conversion for one call (a cache breakpoint) copies
 * it first.
 */
import type { Message } from '../conversation/messages.js';
import type { ToolSpec } from '../conversation/tool-spec.js';

export class ConversionCache<Converted, ConvertedTool> {
  #messages: readonly Message[] = [];
  #converted: readonly Converted[] = [];
  #specs: readonly ToolSpec[] | undefined;
  #tools: readonly ConvertedTool[] | undefined;

  /** `convert` of each message, in a new array; a message converted by the last call is reused. */
  messages(messages: readonly Message[], convert: (message: Message) => Converted): Converted[] {
    const previous = this.#messages;
    const previousConverted = this.#converted;
    const converted = messages.map((message, index) => {
      const cached = previousConverted[index];
      return previous[index] === message && cached !== undefined ? cached : convert(message);
    });
    this.#messages = [...messages];
    this.#converted = [...converted];
    return converted;
  }

  /**
   * `convert` of the tool specs, in a new array; reused while they are the same list (a started
   * program's are).
   */
  tools(
    specs: readonly ToolSpec[],
    convert: (specs: readonly ToolSpec[]) => readonly ConvertedTool[],
  ): ConvertedTool[] {
    if (this.#specs !== specs || this.#tools === undefined) {
      this.#tools = convert(specs);
      this.#specs = specs;
    }
    return [...this.#tools];
  }
}

/** Each message converted, through `cache` when the adapter keeps one (token counts, replays do not). */
export function convertMessages<Converted>(
  messages: readonly Message[],
  convert: (message: Message) => Converted,
  cache: ConversionCache<Converted, unknown> | undefined,
): Converted[] {
  return cache ? cache.messages(messages, convert) : messages.map(convert);
}

/** The tool specs converted, through `cache` when the adapter keeps one. */
export function convertToolSpecs<ConvertedTool>(
  specs: readonly ToolSpec[],
  convert: (specs: readonly ToolSpec[]) => ConvertedTool[],
  cache: ConversionCache<unknown, ConvertedTool> | undefined,
): ConvertedTool[] {
  return cache ? cache.tools(specs, convert) : convert(specs);
}
