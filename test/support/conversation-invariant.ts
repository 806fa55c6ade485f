/**
 * THE invariant of the fault suite: after any operation (a run that completes, fails or is aborted,
 * goto, fork, spawn, a misbehaving callback or hook) the conversation is valid for every provider and
 * the process can run again.
 *
 * Valid means: every assistant tool call has its result in the next user message (and no result
 * answers a call that is not there), no message is empty, user and assistant turns alternate starting
 * with the user, and every value is plain JSON (no undefined, function, cycle, class instance or
 * non-finite number). The conversation is also converted with each provider adapter's request mapping
 * (Anthropic Messages, OpenAI Chat Completions and Responses, Gemini contents) and the same rules are
 * checked in each wire format, so a state that one adapter would turn into a 400 is caught here.
 *
 * Use `await expectValidConversation(proc)` after each operation; `conversationProblems(messages)` is
 * the pure check it is built on.
 */
import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';
import type { LLMProcess, RunResult } from '../../src/index.js';
import type { Message } from '../../src/conversation/messages.js';
import { toAnthropicMessages } from '../../src/providers/anthropic/request.js';
import { toChatMessages } from '../../src/providers/openai/chat/request.js';
import { toResponsesInput } from '../../src/providers/openai/responses/request.js';
import { toGeminiContents } from '../../src/providers/gemini/request.js';
import { errorMessage } from '../../src/errors.js';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where a value is not plain JSON, as "path: what", e.g. "[2].content[0].input.x: undefined". */
export function unsendableValues(value: unknown, path = ''): string[] {
  const problems: string[] = [];
  const onPath = new Set<object>();
  const visit = (node: unknown, at: string): void => {
    switch (typeof node) {
      case 'string':
      case 'boolean':
        return;
      case 'number':
        if (!Number.isFinite(node)) problems.push(`${at}: non-finite number ${String(node)}`);
        return;
      case 'undefined':
      case 'function':
      case 'symbol':
      case 'bigint':
        problems.push(`${at}: ${typeof node}`);
        return;
      case 'object':
        break;
    }
    if (node === null) return;
    if (onPath.has(node)) {
      problems.push(`${at}: cycle`);
      return;
    }
    const proto: unknown = Object.getPrototypeOf(node);
    if (!Array.isArray(node) && proto !== Object.prototype && proto !== null) {
      problems.push(`${at}: instance of ${node.constructor.name}`);
      return;
    }
    onPath.add(node);
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        visit(item, `${at}[${String(i)}]`);
      });
    } else for (const [key, item] of Object.entries(node)) visit(item, `${at}.${key}`);
    onPath.delete(node);
  };
  visit(value, path);
  return problems;
}

/**
 * An image or document block must carry something sendable: base64 data with its media type (data
 * that is valid base64), or an https URL. Bytes (a Uint8Array) in state would not survive JSON.
 */
function mediaProblems(block: unknown, where: string): string[] {
  if (!isRecord(block) || (block.type !== 'image' && block.type !== 'document'))
    return [`${where}: not an image or document block`];
  const source = block.source;
  if (!isRecord(source)) return [`${where}: ${block.type} without a source`];
  if (source.type === 'base64') {
    const problems: string[] = [];
    if (typeof source.media_type !== 'string' || source.media_type === '')
      problems.push(`${where}: base64 source without a media_type`);
    if (
      typeof source.data !== 'string' ||
      source.data === '' ||
      !/^[A-Za-z0-9+/]*={0,2}$/.test(source.data)
    )
      problems.push(`${where}: base64 source whose data is not base64 text`);
    return problems;
  }
  if (source.type === 'url')
    return typeof source.url === 'string' && source.url.startsWith('https://')
      ? []
      : [`${where}: url source without an https URL`];
  return [`${where}: source of unknown type ${JSON.stringify(source.type)}`];
}

/** The tool_use ids of a plain assistant message, in order. */
function toolUseIds(content: readonly unknown[]): string[] {
  return content.flatMap((b) => (isRecord(b) && b.type === 'tool_use' ? [String(b.id)] : []));
}

/** The rules on llmproc's own (Anthropic-shaped) conversation format. */
function plainFormatProblems(messages: readonly unknown[]): string[] {
  const problems: string[] = [];
  let expectedCalls: string[] = [];
  messages.forEach((message, i) => {
    const at = `message ${String(i)}`;
    if (!isRecord(message) || (message.role !== 'user' && message.role !== 'assistant')) {
      problems.push(`${at}: not a user or assistant message`);
      expectedCalls = [];
      return;
    }
    const role = message.role;
    if (i === 0 && role !== 'user') problems.push(`${at}: the conversation starts with ${role}`);
    const previous = messages[i - 1];
    if (isRecord(previous) && previous.role === role)
      problems.push(`${at}: two ${role} messages in a row`);
    const content = message.content;
    const answered: string[] = [];
    if (typeof content === 'string') {
      if (content.trim() === '') problems.push(`${at}: empty ${role} message`);
    } else if (!Array.isArray(content)) {
      problems.push(`${at}: content is neither a string nor a block list`);
    } else {
      if (content.length === 0) problems.push(`${at}: empty ${role} message (no blocks)`);
      const allowed =
        role === 'user'
          ? ['text', 'tool_result', 'image', 'document']
          : ['text', 'tool_use', 'thinking', 'redacted_thinking'];
      let seenText = false;
      let hasPayload = false;
      content.forEach((block: unknown, j) => {
        const where = `${at} block ${String(j)}`;
        if (!isRecord(block) || typeof block.type !== 'string' || !allowed.includes(block.type)) {
          problems.push(`${where}: not a ${role} block (${allowed.join(', ')})`);
          return;
        }
        if (block.type === 'text') {
          if (typeof block.text !== 'string' || block.text.trim() === '')
            problems.push(`${where}: blank text block`);
          else hasPayload = true;
          seenText = true;
        } else if (block.type === 'tool_use') {
          hasPayload = true;
          if (typeof block.id !== 'string' || block.id === '')
            problems.push(`${where}: tool_use without an id`);
          if (typeof block.name !== 'string' || block.name === '')
            problems.push(`${where}: tool_use without a name`);
          if (!isRecord(block.input)) problems.push(`${where}: tool_use input is not an object`);
        } else if (block.type === 'tool_result') {
          hasPayload = true;
          const id = String(block.tool_use_id);
          if (seenText) problems.push(`${where}: tool_result after text (results must come first)`);
          if (typeof block.content !== 'string') problems.push(`${where}: content is not a string`);
          if (typeof block.is_error !== 'boolean')
            problems.push(`${where}: is_error is not a boolean`);
          if (block.images !== undefined) {
            if (!Array.isArray(block.images)) problems.push(`${where}: images is not a list`);
            else
              block.images.forEach((image: unknown, k) => {
                problems.push(...mediaProblems(image, `${where} image ${String(k)}`));
              });
          }
          if (!expectedCalls.includes(id))
            problems.push(
              `${where}: tool_result for "${id}", which the previous message did not call`,
            );
          if (answered.includes(id)) problems.push(`${where}: second result for "${id}"`);
          answered.push(id);
        } else if (block.type === 'image' || block.type === 'document') {
          hasPayload = true;
          problems.push(...mediaProblems(block, where));
        } else {
          hasPayload = true;
        }
      });
      if (content.length > 0 && !hasPayload) problems.push(`${at}: empty ${role} message`);
    }
    for (const id of expectedCalls) {
      if (!answered.includes(id))
        problems.push(`${at}: tool call "${id}" of message ${String(i - 1)} has no result here`);
    }
    expectedCalls = [];
    if (role === 'assistant' && Array.isArray(content)) {
      expectedCalls = toolUseIds(content);
      const unique = new Set(expectedCalls);
      if (unique.size !== expectedCalls.length) problems.push(`${at}: duplicate tool_use ids`);
    }
  });
  if (expectedCalls.length > 0) {
    problems.push(
      `message ${String(messages.length - 1)}: tool calls ${expectedCalls.join(', ')} have no result (conversation ends)`,
    );
  }
  return problems;
}

/** Calls and their answers in a flat wire format: each call answered later, each answer called. */
function pairingProblems(
  format: string,
  items: readonly { calls: string[]; answers: string[] }[],
): string[] {
  const problems: string[] = [];
  const open = new Set<string>();
  const seen = new Set<string>();
  for (const { calls, answers } of items) {
    for (const id of answers) {
      if (!open.delete(id)) problems.push(`${format}: answer to unknown or answered call "${id}"`);
    }
    for (const id of calls) {
      if (seen.has(id)) problems.push(`${format}: call id "${id}" used twice`);
      seen.add(id);
      open.add(id);
    }
  }
  for (const id of open) problems.push(`${format}: call "${id}" is never answered`);
  return problems;
}

function anthropicProblems(messages: readonly Message[]): string[] {
  const wire = toAnthropicMessages(messages, { promptCaching: true });
  const problems: string[] = [];
  wire.forEach((message, i) => {
    if (message.content.length === 0) problems.push(`anthropic: message ${String(i)} is empty`);
    for (const block of message.content) {
      if (block.type === 'text' && block.text.trim() === '')
        problems.push(`anthropic: message ${String(i)} sends a blank text block`);
    }
  });
  return [
    ...problems,
    ...pairingProblems(
      'anthropic',
      wire.map((message) => ({
        calls: message.content.flatMap((b) => (b.type === 'tool_use' ? [b.id] : [])),
        answers: message.content.flatMap((b) => (b.type === 'tool_result' ? [b.tool_use_id] : [])),
      })),
    ),
  ];
}

function openAiChatProblems(messages: readonly Message[]): string[] {
  const wire = toChatMessages('', messages);
  const problems: string[] = [];
  // Chat Completions wants each assistant message's calls answered by the tool messages right after.
  wire.forEach((message, i) => {
    if (message.role !== 'assistant') return;
    const calls = (message.tool_calls ?? []).map((call) => call.id);
    const hasText =
      typeof message.content === 'string'
        ? message.content !== ''
        : (message.content ?? []).length > 0;
    if (calls.length === 0 && !hasText)
      problems.push(`openai-chat: assistant message ${String(i)} has no content and no tool calls`);
    const answers: string[] = [];
    for (let j = i + 1; j < wire.length; j++) {
      const next = wire[j];
      if (next?.role !== 'tool') break;
      answers.push(next.tool_call_id);
    }
    if (!isDeepStrictEqual([...answers].sort(), [...calls].sort()))
      problems.push(
        `openai-chat: assistant message ${String(i)} calls [${calls.join(', ')}] but the tool messages after it answer [${answers.join(', ')}]`,
      );
  });
  return [
    ...problems,
    ...pairingProblems(
      'openai-chat',
      wire.map((message) => ({
        calls: message.role === 'assistant' ? (message.tool_calls ?? []).map((c) => c.id) : [],
        answers: message.role === 'tool' ? [message.tool_call_id] : [],
      })),
    ),
  ];
}

function openAiResponsesProblems(messages: readonly Message[]): string[] {
  const wire = toResponsesInput(messages);
  return pairingProblems(
    'openai-responses',
    wire.map((item) => {
      const type = 'type' in item ? item.type : undefined;
      return {
        calls: type === 'function_call' && 'call_id' in item ? [String(item.call_id)] : [],
        answers: type === 'function_call_output' && 'call_id' in item ? [String(item.call_id)] : [],
      };
    }),
  );
}

function geminiProblems(messages: readonly Message[]): string[] {
  const wire = toGeminiContents(messages);
  const problems: string[] = [];
  if (wire[0] && wire[0].role !== 'user') problems.push('gemini: contents start with the model');
  wire.forEach((content, i) => {
    if ((content.parts ?? []).length === 0) problems.push(`gemini: content ${String(i)} is empty`);
  });
  const items = wire.map((content) => ({
    calls: (content.parts ?? []).flatMap((p) =>
      p.functionCall ? [String(p.functionCall.id)] : [],
    ),
    answers: (content.parts ?? []).flatMap((p) =>
      p.functionResponse ? [String(p.functionResponse.id)] : [],
    ),
  }));
  // Gemini wants a turn's calls answered in the very next content.
  items.forEach((item, i) => {
    if (item.calls.length === 0) return;
    const next = items[i + 1]?.answers ?? [];
    if (!item.calls.every((id) => next.includes(id)))
      problems.push(
        `gemini: the calls of content ${String(i)} are not all answered in the next one`,
      );
  });
  return [...problems, ...pairingProblems('gemini', items)];
}

const wireChecks: [string, (messages: readonly Message[]) => string[]][] = [
  ['anthropic', anthropicProblems],
  ['openai-chat', openAiChatProblems],
  ['openai-responses', openAiResponsesProblems],
  ['gemini', geminiProblems],
];

/**
 * Every way `messages` breaks the invariant, as sentences naming the message; [] when it holds.
 * The wire formats are checked only once the plain format holds (their mappers assume it).
 */
export function conversationProblems(messages: unknown): string[] {
  if (!Array.isArray(messages)) return ['the conversation is not an array'];
  const unsendable = unsendableValues(messages, 'state').map((p) => `not plain JSON: ${p}`);
  const plain = plainFormatProblems(messages);
  if (unsendable.length > 0 || plain.length > 0) return [...unsendable, ...plain];
  const typed = messages as Message[];
  return wireChecks.flatMap(([format, check]) => {
    try {
      return check(typed);
    } catch (error) {
      return [`${format}: the request mapping throws: ${errorMessage(error)}`];
    }
  });
}

/** Assert the invariant on a conversation (a `getState()` result or a saved one). */
export function expectValidMessages(messages: unknown, label = 'the conversation'): void {
  const problems = conversationProblems(messages);
  // One readable failure listing every problem, rather than a diff against [].
  if (problems.length > 0)
    expect.fail(`${label} breaks the invariant:\n- ${problems.join('\n- ')}`);
}

export interface InvariantOptions {
  /**
   * Whether to prove that the process runs again: one more `run()` with a short input, at most one
   * model call, then the check once more. Default true. Turn it off when the test's provider has no
   * answer left (a replay server) and the test runs the process again itself.
   */
  runAgain?: boolean;
  /** The input of that run. */
  input?: string;
}

/**
 * Assert THE invariant on a process: its conversation is valid for every provider, and (unless
 * `runAgain: false`) `run()` works again and leaves a valid conversation. Returns that run's result.
 */
export async function expectValidConversation(
  proc: LLMProcess,
  options: InvariantOptions = {},
): Promise<RunResult | undefined> {
  const state = readState(proc);
  expectValidMessages(state, `process ${String(proc.pid)}`);
  if (options.runAgain === false) return undefined;
  const result = await proc.run(options.input ?? 'Invariant check: please answer briefly.', {
    maxIterations: 1,
    signal: AbortSignal.timeout(15_000),
  });
  expect(result.endTime, 'the check run finished').not.toBeNull();
  expect(result.apiCalls, 'the check run made its one model call').toBe(1);
  const after = readState(proc);
  expectValidMessages(after, `process ${String(proc.pid)} after running again`);
  expect(after.length, 'the check run added to the conversation').toBeGreaterThan(state.length);
  return result;
}

function readState(proc: LLMProcess): Message[] {
  try {
    return proc.getState();
  } catch (error) {
    // getState() clones the conversation; a function or other uncloneable value makes it throw.
    expect.fail(`getState() throws, so the conversation cannot be saved: ${errorMessage(error)}`);
  }
}
