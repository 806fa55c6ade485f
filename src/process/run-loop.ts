import { callCostUsd } from '../cost/price-table.js';
import type { CallbackEmitter, EventScope } from '../callbacks/emitter.js';
import { errorMessage } from '../errors.js';
import type { GenerateResult, Provider } from '../providers/types.js';
import type { ToolRegistry } from '../tools/registry.js';
import type {
  AssistantBlock,
  ImageBlock,
  Message,
  ToolResultBlock,
  UserBlock,
  ToolUseBlock,
} from '../conversation/messages.js';
import { appendUserInput } from './conversation.js';
import type { EventContext } from '../callbacks/events.js';
import type { ProgramConfig } from '../program/config.js';
import type { RunResult, ToolCallMark } from './run-result.js';
import type { StepRunner } from './step.js';
import { withMessageIds } from './message-ids.js';
import { shownPayload } from '../internal/redact.js';
import { runAborted, untilAborted } from '../internal/abort.js';
import { ToolResult } from '../tools/tool-result.js';
import { boundToolResult } from '../tools/result-bounds.js';
import { isTimeBudgetAbort, tokensOf, type BudgetKind, type RunBudget } from './budget.js';
import {
  decideToolCall,
  denialResult,
  reviewToolResult,
  type HookVerdict,
} from '../hooks/decide.js';
import type { Hook, HookContext, ToolCall } from '../hooks/types.js';
import { checkStructuredAnswer } from './output-turn.js';
import type { ResolvedOutput } from './output.js';

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
  /** The stderr log itself, not a copy: a tool step reads what its tool appended. */
  stderrLog(): readonly string[];
  nextTurnNumber(): number;
  /** The hooks in force, read at each tool call (a hook added mid-run applies from the next call). */
  hooks(): readonly Hook[];
  /** Whether the named tool runs child processes (fork, spawn): its step holds their steps. */
  runsChildren(toolName: string): boolean;
}

export interface LoopOptions {
  maxIterations: number;
  /** The caller's signal combined with the time budget's: model calls and tools get this one. */
  signal: AbortSignal | undefined;
  stream: boolean;
  result: RunResult;
  /** The structured answer asked for, if any, and how often an invalid one is sent back. */
  output?: { resolved: ResolvedOutput; retries: number } | undefined;
  /** The run's budget (and through it, the budgets of the runs above); undefined without one. */
  budget: RunBudget | undefined;
}

/** Thrown inside the loop when a budget stops it; caught at the top, never seen by callers. */
class BudgetStop extends Error {
  constructor(readonly kind: BudgetKind) {
    super(`budget:${kind}`);
  }
}

/** What an aborted signal means for the run: a time budget's stop, or the caller's abort. */
function abortedRun(signal: AbortSignal): Error {
  // The time budget aborts the signal too; that is a budget stop, not the caller's abort.
  if (isTimeBudgetAbort(signal.reason)) return new BudgetStop('time');
  return runAborted(signal);
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortedRun(signal);
}

/** Stop at this step boundary if the run (or a run above it) has reached a budget. */
function throwIfOverBudget(budget: RunBudget | undefined): void {
  const kind = budget?.exceeded();
  if (kind) throw new BudgetStop(kind);
}

/** The result of a call the model made after the budget ran out: not run, and the model is told. */
function notRunResult(kind: BudgetKind): ToolResultBlock['content'] {
  return `Not run: the run reached its ${kind === 'time' ? 'time' : kind === 'cost' ? 'cost' : 'token'} budget`;
}

/**
 * The model/tool loop. Per turn: `turn_start`, `api_request`, the model call, `api_response`, then
 * each content block in order (`response` for text, `tool_start` ... `tool_end` around each tool),
 * then the reply and its tool results are committed together and `turn_end` fires. A turn is
 * committed whole or not at all, so the conversation never holds a tool call without its result.
 */
export async function runLoop(
  host: LoopHost,
  input: string | readonly UserBlock[],
  options: LoopOptions,
): Promise<void> {
  const { process, config, provider, tools, emitter, step, result, signal, budget } = {
    ...host,
    ...options,
  };
  const snapshot = [...host.getState()];
  appendUserInput(host.getState(), input);
  let committedTurns = 0;
  let outputRetriesLeft = options.output?.retries ?? 0;

  try {
    for (let iteration = 0; iteration < options.maxIterations; iteration++) {
      throwIfAborted(signal);
      throwIfOverBudget(budget);
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
        ...(options.output ? { output: options.output.resolved.format } : {}),
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
      const costUsd = callCostUsd(config, response.model, response.usage);
      result.addApiCall({
        model: response.model,
        id: response.id,
        stopReason: response.stopReason,
        usage: response.usage,
        costUsd,
        request: shown,
        response: raw,
      });
      budget?.charge(tokensOf(response.usage), costUsd);

      const kept: AssistantBlock[] = [];
      const toolResults: ToolResultBlock[] = [];
      let toolsRun = 0;
      let aborted = false;
      let stopped: BudgetKind | undefined;
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
        // A step boundary: once a budget is reached, the reply's remaining calls are answered
        // without running, so the turn is still committed whole.
        stopped ??= budgetReached(budget, signal);
        if (stopped) {
          const content = notRunResult(stopped);
          toolResults.push({ type: 'tool_result', tool_use_id: block.id, content, is_error: true });
          continue;
        }
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
          content: toolResult.content,
          is_error: toolResult.isError,
          ...(toolResult.images ? { images: toolResult.images } : {}),
        });
      }
      // A tool interrupted by the time budget has returned (with whatever it had): keep the turn.
      stopped ??= budgetReached(budget, signal);
      if (!stopped) throwIfAborted(signal);

      // A tool that aborts (goto) has already rewritten the conversation; this reply is dropped.
      if (!aborted) {
        const committed = host.getState();
        if (kept.length > 0) committed.push({ role: 'assistant', content: kept });
        if (toolResults.length > 0) committed.push({ role: 'user', content: toolResults });
        committedTurns++;
      }
      emitter.emit('turn_end', process, raw, toolResults);
      if (stopped && !aborted) throw new BudgetStop(stopped);

      if (aborted || toolsRun === 0) {
        result.stopReason = response.stopReason;
        if (aborted || !options.output) return;
        const verdict = await checkStructuredAnswer(options.output.resolved, kept, response, {
          canRetry: outputRetriesLeft > 0 && iteration + 1 < options.maxIterations,
        });
        if (verdict.done) {
          result.output = verdict.value;
          return;
        }
        // The invalid answer stays in the conversation (a whole turn); the errors follow it.
        outputRetriesLeft--;
        appendUserInput(host.getState(), verdict.retryMessage);
      }
    }
    result.stopReason = 'max_iterations';
  } catch (caught) {
    const error = asBudgetStop(caught, signal) ?? caught;
    if (error instanceof BudgetStop) {
      // Whole turns are kept and the input stays: the run resolves, and another run() continues it.
      result.stopReason = `budget:${error.kind}`;
      result.status = 'budget';
      return;
    }
    // Nothing of this run reached the conversation but the input: put it back, so the caller can
    // simply call run() again with the same input.
    if (committedTurns === 0) host.setState(snapshot);
    throw error;
  }
}

/** Which budget the run has reached, counting a time-budget abort of the signal; else undefined. */
function budgetReached(
  budget: RunBudget | undefined,
  signal: AbortSignal | undefined,
): BudgetKind | undefined {
  if (signal?.aborted && isTimeBudgetAbort(signal.reason)) return 'time';
  return budget?.exceeded();
}

/**
 * A failure caused by the time budget (a model call or hook aborted at the deadline) is a budget
 * stop: the reply in flight is dropped, and the run resolves with what it committed.
 */
function asBudgetStop(error: unknown, signal: AbortSignal | undefined): BudgetStop | undefined {
  if (error instanceof BudgetStop) return error;
  if (signal?.aborted && isTimeBudgetAbort(signal.reason)) return new BudgetStop('time');
  return undefined;
}

/** What a tool step records: plain JSON, so a durable runner can journal it and replay it. */
interface ToolStepRecord {
  content: string;
  isError: boolean;
  abortExecution: boolean;
  /** Images the tool returned (base64, so the record stays JSON for a durable journal). */
  images?: ImageBlock[];
  /** The conversation, when the tool replaced it (goto). */
  conversation?: Message[];
  /** What the tool appended to the stderr log. */
  stderr?: string[];
  /** The call as made (after the hooks' rewrite) and the hooks' decision, for `RunResult.toolCalls`. */
  call: { args: Record<string, unknown>; mark: ToolCallMark };
}

async function runTool(
  host: LoopHost,
  block: ToolUseBlock,
  turn: number,
  index: number,
  kept: readonly AssistantBlock[],
  toolResults: readonly ToolResultBlock[],
  options: LoopOptions,
): Promise<ToolStepRecord> {
  const { process, scope } = host;
  // Recorded as the model made it before the step, so a call cut short by an abort is still listed;
  // completed after it with the arguments actually used and the hooks' decision. Outside the step,
  // so a call replayed from a durable journal counts too.
  const entry = options.result.addToolCall(block.name, block.input);
  // An object, not a `let`: TypeScript does not see the step's callback set it.
  const progress = { ran: false };
  // The hooks' decision is made inside the tool's step: a durable runner journals the decision with
  // the result, so a replay neither asks the hooks (or a person) again nor runs a denied tool.
  const record = await host.step(
    `turn-${String(turn)}/tool-${String(index)}`,
    async (): Promise<ToolStepRecord> => {
      progress.ran = true;
      const conversation = host.getState();
      const stderrLength = host.stderrLog().length;
      scope.toolUseId = block.id;
      try {
        const done = await decideAndRunTool(host, block, turn, kept, toolResults, options);
        const stderr = host.stderrLog().slice(stderrLength);
        return {
          ...done.result.toJSON(),
          ...(done.result.images.length > 0 ? { images: [...done.result.images] } : {}),
          call: { args: done.args, mark: done.mark },
          ...(host.getState() === conversation ? {} : { conversation: host.getState() }),
          ...(stderr.length > 0 ? { stderr } : {}),
        };
      } finally {
        scope.toolUseId = undefined;
      }
    },
    host.runsChildren(block.name) ? { hasChildSteps: true } : {},
  );
  Object.assign(entry, { args: record.call.args }, record.call.mark);
  // Replayed from a journal: redo the tool's effects on the process (its events stay unsent).
  if (!progress.ran) {
    if (record.conversation) host.setState(record.conversation);
    for (const text of record.stderr ?? []) process.writeStderr(text);
  }
  return record;
}

/** The hooks' verdict on one call, then the call itself (or its denial or answer), with its events. */
async function decideAndRunTool(
  host: LoopHost,
  block: ToolUseBlock,
  turn: number,
  kept: readonly AssistantBlock[],
  toolResults: readonly ToolResultBlock[],
  options: LoopOptions,
): Promise<{ result: ToolResult; args: Record<string, unknown>; mark: ToolCallMark }> {
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
  let toolResult: ToolResult;
  if (verdict.type === 'deny') {
    toolResult = denialResult(verdict.reason);
  } else {
    toolResult =
      verdict.type === 'answer'
        ? boundToolResult(verdict.result, host.config.tools.maxResultChars)
        : await process.callTool(block.name, verdict.args, {
            signal: options.signal,
            toolUseId: block.id,
            turn: { assistantBlocks: [...kept], toolResults: [...toolResults] },
          });
    // Aborted meanwhile: the loop has moved on (see untilAborted there); this late result is dropped.
    throwIfAborted(options.signal);
    if (hooks.length > 0) {
      try {
        // A hook's answer or replacement is bounded like a tool's own result (callTool bounds those).
        toolResult = boundToolResult(
          await reviewToolResult(hooks, call, toolResult, context),
          host.config.tools.maxResultChars,
        );
      } catch (error) {
        // Observers see every tool_start closed by a tool_end; the model sees nothing of this turn.
        emitter.emit('tool_end', block.name, ToolResult.fromError(errorMessage(error)));
        throw error;
      }
    }
  }
  emitter.emit('tool_end', block.name, toolResult);
  return { result: toolResult, args: verdict.args, mark: verdictRecord(verdict) };
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
