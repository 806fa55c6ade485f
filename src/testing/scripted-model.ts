/**
 * The scripted model of llmproc/testing: the mock provider's script as a test double that also
 * lists the requests it received. Every process that plays the script (its forks and spawned
 * children included) reports to the same list, in the order the calls arrive.
 */
import { LLMProgram, type MockTurnOptions, type ProgramOptions } from '../index.js';
import type { Message } from '../index.js';
import { mockObserver, type MockCall } from '../providers/mock/script.js';

/** A scripted reply: a turn of the mock's script, or a string as shorthand for `{ text }`. */
export type ScriptedTurn = string | MockTurnOptions;

/** One request the scripted model received, copied when it arrived. */
export interface ScriptedRequest {
  /**
   * The request as the provider got it (the object `api_request` showed): Anthropic Messages
   * shaped, `model`, `max_tokens`, `system`, `messages`, `tools`, the program's parameters, `stream`.
   */
  readonly body: Readonly<Record<string, unknown>>;
  /** The conversation sent, oldest message first. */
  readonly messages: readonly Message[];
  /** The system prompt sent, `''` when there was none. */
  readonly system: string;
  /** The names of the tools offered to the model. */
  readonly toolNames: readonly string[];
  /** The index of the script's turn that answers it, `null` when the script was used up. */
  readonly turn: number | null;
}

export interface ScriptedModelOptions {
  /** The model name programs and requests show; default `"scripted"`. */
  model?: string;
  /** What the model answers once the script is used up (default: a note echoing the input). */
  fallbackText?: string;
}

/** Program options a scripted model leaves to the test: everything but the model itself. */
export type ScriptedProgramOptions = Omit<ProgramOptions, 'model' | 'provider' | 'mock'>;

export interface ScriptedModel {
  /** `{ model, provider: 'mock', mock }`, to spread into `new LLMProgram({ ...model.config, ... })`. */
  readonly config: {
    readonly model: string;
    readonly provider: 'mock';
    readonly mock: { turns: MockTurnOptions[]; fallbackText?: string };
  };
  /** Every request received so far, by every process that plays this script, in arrival order. */
  readonly requests: readonly ScriptedRequest[];
  /** A program on this model: `new LLMProgram({ ...options, ...model.config })`. */
  program(options?: ScriptedProgramOptions): LLMProgram;
}

function textOf(system: unknown): string {
  if (typeof system === 'string') return system;
  if (!Array.isArray(system)) return '';
  return system
    .map((block: unknown) =>
      typeof block === 'object' && block !== null && 'text' in block ? String(block.text) : '',
    )
    .join('');
}

function toolNamesOf(tools: unknown): string[] {
  if (!Array.isArray(tools)) return [];
  return tools.map((tool: unknown) =>
    typeof tool === 'object' && tool !== null && 'name' in tool ? String(tool.name) : '',
  );
}

function requestFrom(call: MockCall): ScriptedRequest {
  // A copy: the test reads what was sent then, whatever the process does with its objects later.
  const body = structuredClone(call.payload);
  return {
    body,
    messages: Array.isArray(body['messages']) ? (body['messages'] as Message[]) : [],
    system: textOf(body['system']),
    toolNames: toolNamesOf(body['tools']),
    turn: call.turnIndex,
  };
}

/**
 * A scripted model for tests: plays `turns` in order (each turn's `when`, `delayMs` and `error` as
 * on the mock provider, docs/testing.md) and lists the requests it received.
 *
 * @example
 * ```ts
 * const model = scriptedModel([
 *   { toolCalls: [{ name: 'calculator', args: { expression: '6*7' } }] },
 *   'It is 42.',
 * ]);
 * const proc = await model.program({ tools: ['calculator'] }).start();
 * await proc.run('What is 6*7?');
 * model.requests.length; // 2
 * ```
 */
export function scriptedModel(
  turns: readonly ScriptedTurn[],
  options: ScriptedModelOptions = {},
): ScriptedModel {
  const requests: ScriptedRequest[] = [];
  const mock: { turns: MockTurnOptions[]; fallbackText?: string } = {
    turns: turns.map((turn) => (typeof turn === 'string' ? { text: turn } : turn)),
    ...(options.fallbackText === undefined ? {} : { fallbackText: options.fallbackText }),
  };
  // Not enumerable and symbol-keyed: the script stays plain data to every reader but the mock.
  Object.defineProperty(mock, mockObserver, {
    value: (call: MockCall) => {
      requests.push(requestFrom(call));
    },
  });
  const config = { model: options.model ?? 'scripted', provider: 'mock', mock } as const;
  return {
    config,
    requests,
    program: (programOptions = {}) => new LLMProgram({ ...programOptions, ...config }),
  };
}
