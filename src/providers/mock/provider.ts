/**
 * The mock provider: a deterministic, in-process model for demos, for users' tests of their callbacks,
 * and for running llmproc with no API key. It plays a script of turns and shapes its requests and
 * responses like the Anthropic Messages API's, so callbacks see realistic objects.
 *
 * Which turn plays: the first turn of the script not yet played by this process whose `when` (if any)
 * is contained in the latest user text of the conversation. A forked process copies the parent's
 * record of played turns, so children continue the script where the parent was; a child whose prompt
 * contains a `when` text plays that turn. With the script used up it answers `fallbackText`, or says
 * that the script is finished and echoes the latest user text.
 *
 * A turn may wait before answering (`delayMs`, ended at once by an abort) and may fail instead of
 * answering (`error`: a `ProviderError` as a real provider's call rejects once its retries are spent;
 * the failed turn is used up). The script's observer, when it has one (llmproc/testing), is told of
 * every call as it arrives.
 */
import { commonImageTypes, describeMedia, type MediaSupport } from '../../conversation/media.js';
import { ProviderError } from '../../errors.js';
import { abortReason, abortableDelay } from '../../internal/abort.js';
import { latestUserText, type AssistantBlock, type Message } from '../../conversation/messages.js';
import { mockObserver, type MockError, type MockScript, type MockTurn } from './script.js';
import type {
  GenerateOptions,
  GenerateResult,
  ModelRequest,
  ModelResponse,
  Provider,
  ProviderSettings,
  TokenCount,
} from '../types.js';

/** The mock's response object, shaped like an Anthropic `Message`. */
export interface MockMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AssistantBlock[];
  stop_reason: string;
  stop_sequence: null;
  usage: {
    input_tokens: number;
    output_tokens: number;
    cache_creation_input_tokens: number;
    cache_read_input_tokens: number;
  };
}

const defaultMaxTokens = 4096;

const mockMedia: MediaSupport = {
  label: 'mock',
  imageTypes: [...commonImageTypes, 'image/heic', 'image/heif'],
  maxImageBytes: 100 * 1024 * 1024,
  documentTypes: ['application/pdf'],
  maxDocumentBytes: 100 * 1024 * 1024,
  maxRequestBytes: 100 * 1024 * 1024,
  imageUrls: true,
  documentUrls: true,
  toolResultImages: true,
};

/** A rough token estimate (4 characters a token) so usage figures move with the conversation. */
function estimateTokens(value: unknown): number {
  const text =
    typeof value === 'string' ? value : ((JSON.stringify(value) as string | undefined) ?? '');
  return Math.max(1, Math.ceil(text.length / 4));
}

/**
 * What a script's `when` is matched against for a user message: its text, with each image or
 * document as its placeholder (`[image: image/png, 1.2 KB]`), in order, so a script can react to them.
 */
function userTextWithMedia(message: Message): string {
  if (typeof message.content === 'string') return message.content;
  const pieces: string[] = [];
  for (const block of message.content) {
    if (block.type === 'text') pieces.push(block.text);
    else if (block.type === 'image' || block.type === 'document') pieces.push(describeMedia(block));
  }
  return pieces.length === 0 ? latestUserText([message]) : pieces.join(' ');
}

/** A message's token estimate, an image or document counted by its placeholder, not its base64. */
function estimateMessageTokens(message: Message): number {
  if (typeof message.content === 'string') return estimateTokens(message.content);
  return estimateTokens(
    message.content.map((block) =>
      block.type === 'image' || block.type === 'document' ? describeMedia(block) : block,
    ),
  );
}

// Facts about a conversation up to and including a message, cached on the message object. Messages
// are replaced, never mutated, and each object sits at one place in one conversation (forks and
// saved states are deep copies), so a prefix's facts never change. Without this, every call would
// walk the whole conversation and a long run would be quadratic in its turns.
interface PrefixFacts {
  tokens: number;
  latestUserText: string;
}
const prefixFacts = new WeakMap<object, PrefixFacts>();

function conversationFacts(messages: readonly Message[]): PrefixFacts {
  let start = messages.length;
  let known: PrefixFacts = { tokens: 0, latestUserText: '' };
  while (start > 0) {
    const cached = prefixFacts.get(messages[start - 1] as Message);
    if (cached) {
      known = cached;
      break;
    }
    start--;
  }
  for (let i = start; i < messages.length; i++) {
    const message = messages[i] as Message;
    const text = message.role === 'user' ? userTextWithMedia(message) : '';
    known = {
      tokens: known.tokens + estimateMessageTokens(message),
      latestUserText: text === '' ? known.latestUserText : text,
    };
    prefixFacts.set(message, known);
  }
  return known;
}

function estimateConversationTokens(system: unknown, messages: readonly Message[]): number {
  return (
    (typeof system === 'string' ? estimateTokens(system) : 0) + conversationFacts(messages).tokens
  );
}

// A function, not an inline check: the flag changes across awaits, which narrowing does not see.
function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw abortReason(signal);
}

/** A scripted failure as the `ProviderError` a real adapter gives: "mock API error 529 (type): ...". */
function scriptedFailure(error: MockError): ProviderError {
  const status = error.status === undefined ? '' : ` ${String(error.status)}`;
  const type = error.type === undefined ? '' : ` (${error.type})`;
  const details: Record<string, unknown> = { scripted: true };
  if (error.type !== undefined) details['type'] = error.type;
  if (error.requestId !== undefined) details['requestId'] = error.requestId;
  return new ProviderError(
    `mock API error${status}${type}: ${error.message ?? 'scripted failure'}`,
    {
      provider: 'mock',
      status: error.status,
      requestId: error.requestId,
      details,
      ...(error.retryable === undefined ? {} : { retryable: error.retryable }),
    },
  );
}

/** Split a text into a few pieces at word boundaries, as a streaming API would deliver it. */
export function splitIntoDeltas(text: string, pieces = 3): string[] {
  const words = text.split(/(?<=\s)/);
  if (words.length <= 1) return [text];
  const size = Math.ceil(words.length / pieces);
  const out: string[] = [];
  for (let i = 0; i < words.length; i += size) out.push(words.slice(i, i + size).join(''));
  return out;
}

export class MockProvider implements Provider {
  readonly name = 'mock' as const;
  private readonly played: Set<number>;
  /** No turn before this index is left to play (turns with an unmet `when` stay behind it). */
  private firstUnplayed = 0;
  private nextMessageNumber = 1;

  constructor(
    private readonly script: MockScript,
    private readonly model: string,
    played: Iterable<number> = [],
  ) {
    this.played = new Set(played);
    while (this.played.has(this.firstUnplayed)) this.firstUnplayed++;
  }

  /** A provider for a forked process: same script, same turns already played, its own call log. */
  fork(): MockProvider {
    return new MockProvider(this.script, this.model, this.played);
  }

  buildRequest(request: ModelRequest): Record<string, unknown> {
    const payload: Record<string, unknown> = {
      model: request.model,
      max_tokens: request.parameters['max_tokens'] ?? defaultMaxTokens,
      messages: request.messages,
    };
    if (request.systemPrompt !== '') payload['system'] = request.systemPrompt;
    if (request.tools.length > 0) {
      payload['tools'] = request.tools.map((tool) => ({
        name: tool.name,
        description: tool.description,
        input_schema: tool.inputSchema,
      }));
    }
    for (const [key, value] of Object.entries(request.parameters)) {
      if (key !== 'max_tokens' && key !== 'extra_headers') payload[key] = value;
    }
    if (request.stream) payload['stream'] = true;
    return payload;
  }

  async doGenerate(
    payload: Record<string, unknown>,
    options: GenerateOptions,
  ): Promise<GenerateResult> {
    const { signal } = options;
    stopIfAborted(signal);
    const messages = (payload['messages'] ?? []) as Message[];
    const userText = conversationFacts(messages).latestUserText;
    const turnIndex = this.pickTurn(userText);
    this.script[mockObserver]?.({ payload, turnIndex });
    const turn = turnIndex === null ? undefined : this.script.turns[turnIndex];
    // A real API answers asynchronously; so does the mock, so that callers interleave as they would.
    if (turn?.delayMs !== undefined && turn.delayMs > 0) await abortableDelay(turn.delayMs, signal);
    else await Promise.resolve();
    stopIfAborted(signal);
    if (turn?.error !== undefined) {
      this.usedUp(turnIndex);
      throw scriptedFailure(turn.error);
    }
    const message = this.answer(turn, turnIndex, userText, payload);

    if (payload['stream'] === true && options.onTextDelta) {
      for (const block of message.content) {
        if (block.type !== 'text') continue;
        for (const delta of splitIntoDeltas(block.text)) {
          stopIfAborted(signal);
          options.onTextDelta(delta);
          await Promise.resolve();
        }
      }
    }
    // Only a call that completed uses up its turn, so a run retried after an abort replays it.
    this.usedUp(turnIndex);
    const response: ModelResponse = {
      id: message.id,
      model: message.model,
      content: message.content,
      stopReason: message.stop_reason,
      usage: {
        inputTokens: message.usage.input_tokens,
        outputTokens: message.usage.output_tokens,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
      },
    };
    return { raw: message, response };
  }

  /** The mock takes every part llmproc can send, to 100 MB, so programs are tested without limits in the way. */
  mediaSupport(): MediaSupport {
    return mockMedia;
  }

  countTokens(request: ModelRequest): Promise<TokenCount> {
    const inputTokens =
      estimateConversationTokens(request.systemPrompt, request.messages) +
      estimateTokens(request.tools);
    const contextWindow = 200_000;
    return Promise.resolve({
      inputTokens,
      contextWindow,
      percentage: (inputTokens / contextWindow) * 100,
      remainingTokens: contextWindow - inputTokens,
    });
  }

  private usedUp(turnIndex: number | null): void {
    if (turnIndex === null) return;
    this.played.add(turnIndex);
    while (this.played.has(this.firstUnplayed)) this.firstUnplayed++;
  }

  private pickTurn(userText: string): number | null {
    const { turns } = this.script;
    for (let i = this.firstUnplayed; i < turns.length; i++) {
      if (this.played.has(i)) continue;
      const when = turns[i]?.when;
      if (when === undefined || userText.includes(when)) return i;
    }
    return null;
  }

  private answer(
    turn: MockTurn | undefined,
    turnIndex: number | null,
    userText: string,
    payload: Record<string, unknown>,
  ): MockMessage {
    const content: AssistantBlock[] = [];
    if (turn === undefined) {
      content.push({ type: 'text', text: this.fallbackText(userText) });
    } else {
      if (turn.text !== undefined && turn.text !== '')
        content.push({ type: 'text', text: turn.text });
      turn.toolCalls.forEach((call, i) => {
        content.push({
          type: 'tool_use',
          id: call.id ?? `toolu_mock_${String(turnIndex)}_${String(i)}`,
          name: call.name,
          input: structuredClone(call.args),
        });
      });
    }
    const hasToolCalls = content.some((block) => block.type === 'tool_use');
    return {
      id: `msg_mock_${String(this.nextMessageNumber++)}`,
      type: 'message',
      role: 'assistant',
      model: this.model,
      content,
      stop_reason: turn?.stopReason ?? (hasToolCalls ? 'tool_use' : 'end_turn'),
      stop_sequence: null,
      usage: {
        input_tokens:
          turn?.usage?.inputTokens ??
          estimateConversationTokens(payload['system'], (payload['messages'] ?? []) as Message[]),
        output_tokens: turn?.usage?.outputTokens ?? estimateTokens(content),
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    };
  }

  private fallbackText(userText: string): string {
    if (this.script.fallbackText !== undefined) return this.script.fallbackText;
    const echo = userText.length > 200 ? `${userText.slice(0, 200)}...` : userText;
    return `(mock) The script has no turn left to play. You said: ${echo}`;
  }
}

/** Registry entry point (see providers/registry.ts). The mock needs no credentials. */
export function createProvider(settings: ProviderSettings): Promise<Provider> {
  const script = (settings.mock as MockScript | undefined) ?? { turns: [] };
  return Promise.resolve(new MockProvider(script, settings.model));
}
