// The public API. Every export is named here on purpose: a name removed or added shows in review
// (and in the export snapshot test).
export { LLMProgram, StartingProcess } from './program/program.js';
export type { ToolInput, StartOptions } from './program/program.js';
export type { ProgramOptions, MockTurnOptions } from './program/options.js';
export type { ProgramConfig, MockScript, MockTurn, MockToolCall } from './program/config.js';
export { LLMProcess } from './process/process.js';
export type { RunOptions, ForkOptions } from './process/process.js';
export type { StepRunner, StepOptions } from './process/step.js';
export { RunResult } from './process/run-result.js';
export type {
  ApiCallInfo,
  ToolCallRecord,
  ToolCallMark,
  RunResultJSON,
  RunStatus,
  RunError,
  RunUsage,
} from './process/run-result.js';
export type { Hook, HookContext, ToolCall, ToolCallDecision } from './hooks/types.js';
export {
  findModelPrice,
  hasModelPrice,
  priceUsage,
  usageCostUsd,
  priceTableDate,
} from './cost/price-table.js';
export type { ModelPrice, PricedUsage, PriceOptions } from './cost/price-table.js';
export type { UnsettledCallback } from './callbacks/settlement.js';
export type { Budget, BudgetKind } from './process/budget.js';
export type {
  Message,
  UserMessage,
  AssistantMessage,
  TextBlock,
  ToolUseBlock,
  ToolResultBlock,
  ThinkingBlock,
  RedactedThinkingBlock,
  ImageBlock,
  DocumentBlock,
  MediaSource,
  Base64Source,
  UrlSource,
} from './conversation/messages.js';
export type {
  RunInput,
  ContentPart,
  TextPart,
  ImagePart,
  DocumentPart,
  MediaInput,
} from './process/input-parts.js';
export { CallbackEvent } from './callbacks/events.js';
export type {
  Callback,
  CallbackFunction,
  CallbackParams,
  Callbacks,
  EventArgs,
  EventContext,
  LooseCallbackFunction,
} from './callbacks/events.js';
export { ToolResult } from './tools/tool-result.js';
export { AccessLevel } from './tools/access-level.js';
export { defineTool } from './tools/define-tool.js';
export type { ToolDefinition } from './tools/define-tool.js';
export type { Tool, ToolContext, ToolProcess, ToolChildProcess } from './tools/types.js';
export type { TokenCount } from './providers/types.js';
export type { Usage } from './conversation/usage.js';
export {
  LlmprocError,
  ConfigError,
  ProviderError,
  ToolError,
  OutputInvalidError,
} from './errors.js';
export type { ErrorCode, OutputIssue } from './errors.js';
export type { OutputSchema, InferOutput, JsonSchema } from './process/output.js';
export { recordTo, TraceRecorder } from './traces/recorder.js';
export type { RecordOptions } from './traces/recorder.js';
export { readTrace } from './traces/read.js';
export { renderTraceHtml } from './traces/view/html.js';
export type { Trace } from './traces/read.js';
export type {
  TraceHeader,
  TraceProcess,
  TraceEvent,
  TraceExchange,
  TraceInput,
  TraceLine,
} from './traces/format.js';
export { McpInitError } from './tools/mcp/errors.js';
export type { McpInitFailure } from './tools/mcp/errors.js';
export { setLogger } from './internal/logger.js';
export type { Logger } from './internal/logger.js';
