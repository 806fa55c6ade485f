import type { CallbackEmitter, EventScope } from '../callbacks/emitter.js';
import { errorMessage, LlmprocError } from '../errors.js';
import type { GenerateResult, Provider } from '../providers/types.js';
import type { ToolRegistry } from '../tools/registry.js';
import type {
  AssistantBlock,
  Message,
  ToolResultBlock,
  ToolUseBlock,
} from '../conversation/messages.js';
import { appendUserInput } from './conversation.js';
import type { EventContext } from '../callbacks/events.js';
import type { ProgramConfig } from '../program/config.js';
import type { RunResult, ToolCallMark } from './run-result.js';
import type { StepRunner } from './step.js';
import { withMessageIds } from './message-ids.js';
import { shownPayload } from '../internal/redact.js';
import { untilAborted } from '../internal/abort.js';
import { ToolResult } from '../tools/tool-result.js';
import {
  decideToolCall,
  denialResult,
  reviewToolResult,
  type HookVerdict,
} from '../hooks/decide.js';
import type { Hook, HookContext, ToolCall } from '../hooks/types.js';

/** The process running the loop, named as events name it (process.ts imports this module). */
type LLMProcess = EventContext['process'];

/** What the loop needs of a process: its parts, without making them public. */
export interface LoopHost {
  process: LLMProcess;
  config: ProgramConfig;
  provider: Provider;
  tools: ToolRegistry;
  emitter: CallbackEmitter;
  /** Where events happen (run, turn, tool call): the loop keeps it current for EventContext. */
  scope: EventScope;
  step: StepRunner;
  messageIds: boolean;
  getState(): Message[];
  setState(state: Message[]): void;
  nextTurnNumber(): number;
  /** The hooks in force, read at each tool call (a hook added mid-run applies from the next call). */
  hooks(): readonly Hook[];
}

export interface LoopOptions {
  maxIterations: number;
  signal: AbortSignal | undefined;
  stream: boolean;
  result: RunResult;
}

function abortedRun(signal: AbortSignal): LlmprocError {
  return new LlmprocError('ABORTED', 'The run was aborted', { cause: signal.reason });
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortedRun(signal);
}

/**
 * The model/tool loop. Per turn: `turn_start`, `api_request`, the model call, `api_response`, then
 * each content block in order (`response` for text, `tool_start` ... `tool_end` around each tool),
 * then the reply and its tool results are committed together and `turn_end` fires. A turn is
 * committed whole or not at all, so the conversation never holds a tool call without its result.
 */
export async function runLoop(host: LoopHost, input: string, options: LoopOptions): Promise<void> {
  const { process, config, provider, tools, emitter, step, result, signal } = {
    ...host,
    ...options,
  };
  const snapshot = [...host.getState()];
  appendUserInput(host.getState(), input);
  let committedTurns = 0;

  try {
    for (let iteration = 0; iteration < options.maxIterations; iteration++) {
      throwIfAborted(signal);
      const turn = host.nextTurnNumber();
      host.scope.turn = iteration + 1;
      emitter.emit('turn_start', process);

      const state = host.getState();
      const payload = provider.buildRequest({
        model: config.model,
        systemPrompt: process.systemPrompt,
        // A snapshot: callbacks keep payloads (APILogger), and the state grows after this call.
        // Messages are replaced, never mutated, so copying the array is enough.
        messages: host.messageIds ? withMessageIds(state) : [...state],
        tools: tools.specs(),
        parameters: config.parameters,
        promptCaching: !config.disableAutomaticCaching,
        stream: options.stream,
      });
      // What callbacks and RunResult see: the payload itself, or a copy without secret headers.
      const shown = shownPayload(payload);
      // Raced with the signal: a provider that does not stop when asked must not hold the run, and
      // its late reply reports nothing (see throwIfAborted before api_response).
      const generated = await untilAborted(
        step(`turn-${String(turn)}/model`, async (): Promise<GenerateResult> => {
          emitter.emit('api_request', shown);
          const reply = await provider.doGenerate(payload, {
            ...(signal ? { signal } : {}),
            ...(options.stream
              ? {
                  onTextDelta: (delta: string) => {
                    if (!signal?.aborted) emitter.emit('text_delta', delta);
                  },
                }
              : {}),
          });
          throwIfAborted(signal);
          emitter.emit('api_response', reply.raw);
          return reply;
        }),
        signal,
        abortedRun,
      );
      const { response, raw } = generated;
      result.addApiCall({
        model: response.model,
        id: response.id,
        stopReason: response.stopReason,
        usage: response.usage,
        request: shown,
        response: raw,
      });

      const kept: AssistantBlock[] = [];
      const toolResults: ToolResultBlock[] = [];
      let toolsRun = 0;
      let aborted = false;
      for (const block of response.content) {
        if (block.type === 'text') {
          // Blank text is neither stored nor reported (B48).
          if (block.text.trim() === '') continue;
          kept.push(block);
          emitter.emit('response', block.text);
          continue;
        }
        kept.push(block);
        if (block.type !== 'tool_use') continue;
        // Raced with the signal like the model call: a tool that ignores it is left behind, and its
        // late result is dropped with the rest of this turn.
        const toolResult = await untilAborted(
          runTool(host, block, turn, toolsRun, kept, toolResults, options),
          signal,
          abortedRun,
        );
        toolsRun++;
        if (toolResult.abortExecution) {
          aborted = true;
          break;
        }
        toolResults.push({
          type: 'tool_result',
          tool_use_id: block.id,
          content: toolResult.contentText(),
          is_error: toolResult.isError,
        });
      }
      throwIfAborted(signal);

      // A tool that aborts (goto) has already rewritten the conversation; this reply is dropped.
      if (!aborted) {
        const committed = host.getState();
        if (kept.length > 0) committed.push({ role: 'assistant', content: kept });
        if (toolResults.length > 0) committed.push({ role: 'user', content: toolResults });
        committedTurns++;
      }
      emitter.emit('turn_end', process, raw, toolResults);

      if (aborted || toolsRun === 0) {
        result.stopReason = response.stopReason;
        return;
      }
    }
    result.stopReason = 'max_iterations';
  } catch (error) {
    // Nothing of this run reached the conversation but the input: put it back, so the caller can
    // simply call run() again with the same input.
    if (committedTurns === 0) host.setState(snapshot);
    throw error;
  }
}

async function runTool(
  host: LoopHost,
  block: ToolUseBlock,
  turn: number,
  index: number,
  kept: readonly AssistantBlock[],
  toolResults: readonly ToolResultBlock[],
  options: LoopOptions,
): Promise<ToolResult> {
  const { scope } = host;
  // The hooks' decision is made inside the tool's step: a durable runner journals the decision with
  // the result, so a replay neither asks the hooks (or a person) again nor runs a denied tool.
  return host.step(`turn-${String(turn)}/tool-${String(index)}`, async () => {
    scope.toolUseId = block.id;
    try {
      return await decideAndRunTool(host, block, turn, kept, toolResults, options);
    } finally {
      scope.toolUseId = undefined;
    }
  });
}

/** The hooks' verdict on one call, then the call itself (or its denial or answer), with its events. */
async function decideAndRunTool(
  host: LoopHost,
  block: ToolUseBlock,
  turn: number,
  kept: readonly AssistantBlock[],
  toolResults: readonly ToolResultBlock[],
  options: LoopOptions,
): Promise<ToolResult> {
  const { emitter, process } = host;
  const hooks = host.hooks();
  const context: HookContext = {
    pid: process.pid,
    parentPid: process.parent?.pid,
    turn,
    signal: options.signal,
  };
  const asked: ToolCall = { toolName: block.name, args: block.input, toolUseId: block.id };
  const verdict: HookVerdict =
    hooks.length === 0
      ? { type: 'run', args: block.input }
      : await decideToolCall(hooks, asked, context);
  const call: ToolCall = { ...asked, args: verdict.args };
  emitter.emit('tool_start', block.name, verdict.args);
  options.result.addToolCall(block.name, verdict.args, verdictRecord(verdict));
  let toolResult: ToolResult;
  if (verdict.type === 'deny') {
    toolResult = denialResult(verdict.reason);
  } else {
    toolResult =
      verdict.type === 'answer'
        ? verdict.result
        : await process.callTool(block.name, verdict.args, {
            signal: options.signal,
            toolUseId: block.id,
            turn: { assistantBlocks: [...kept], toolResults: [...toolResults] },
          });
    // Aborted meanwhile: the loop has moved on (see untilAborted there); this late result is dropped.
    throwIfAborted(options.signal);
    if (hooks.length > 0) {
      try {
        toolResult = await reviewToolResult(hooks, call, toolResult, context);
      } catch (error) {
        // Observers see every tool_start closed by a tool_end; the model sees nothing of this turn.
        emitter.emit('tool_end', block.name, ToolResult.fromError(errorMessage(error)));
        throw error;
      }
    }
  }
  emitter.emit('tool_end', block.name, toolResult);
  return toolResult;
}

function verdictRecord(verdict: HookVerdict): ToolCallMark {
  switch (verdict.type) {
    case 'run':
      return {};
    case 'deny':
      return { decision: 'denied', denyReason: verdict.reason };
    case 'answer':
      return { decision: 'answered' };
    default: {
      const unexpected: never = verdict;
      return unexpected;
    }
  }
}
