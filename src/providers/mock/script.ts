/** The mock provider's script: the turns it plays, as a program's `mock` key gives them. */
export interface MockToolCall {
  name: string;
  args: Record<string, unknown>;
  /** Tool-use id; generated when absent. */
  id?: string;
}

/** One scripted model reply of the mock provider. */
export interface MockTurn {
  text?: string;
  toolCalls: MockToolCall[];
  /** Only played when the latest user text contains this string. */
  when?: string;
  stopReason?: string;
  usage?: { inputTokens?: number; outputTokens?: number };
}

export interface MockScript {
  turns: MockTurn[];
  /** What the mock answers once the script is used up. */
  fallbackText?: string;
}
