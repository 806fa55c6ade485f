/**
 * The OpenTelemetry GenAI semantic convention names llmproc emits, in one place because the
 * conventions are still in development and their names change. Read from
 * open-telemetry/semantic-conventions-genai (docs/gen-ai/gen-ai-spans.md, gen-ai-agent-spans.md,
 * gen-ai-metrics.md), December 2026. Their unreleased changelog replaces `gen_ai.client.token.usage`
 * with per-direction token counters (`gen_ai.client.inference.*`); the metrics below are the ones of
 * the published gen-ai-metrics.md, which llmproc's contract names, until that change is released.
 */

export const attr = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  agentName: 'gen_ai.agent.name',
  agentId: 'gen_ai.agent.id',
  conversationId: 'gen_ai.conversation.id',
  requestModel: 'gen_ai.request.model',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestTemperature: 'gen_ai.request.temperature',
  requestTopP: 'gen_ai.request.top_p',
  requestStream: 'gen_ai.request.stream',
  responseModel: 'gen_ai.response.model',
  responseId: 'gen_ai.response.id',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  /** All input tokens, cached ones included. */
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  usageCacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  usageCacheCreationInputTokens: 'gen_ai.usage.cache_creation.input_tokens',
  usageReasoningOutputTokens: 'gen_ai.usage.reasoning.output_tokens',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  toolType: 'gen_ai.tool.type',
  toolDescription: 'gen_ai.tool.description',
  tokenType: 'gen_ai.token.type',
  errorType: 'error.type',
  // Opt-in content (captureContent: true), as JSON strings in the conventions' message schemas.
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  systemInstructions: 'gen_ai.system_instructions',
  toolCallArguments: 'gen_ai.tool.call.arguments',
  toolCallResult: 'gen_ai.tool.call.result',
} as const;

export const operation = {
  invokeAgent: 'invoke_agent',
  chat: 'chat',
  executeTool: 'execute_tool',
} as const;

export const tokenType = { input: 'input', output: 'output' } as const;

/** The conventions' well-known `gen_ai.provider.name` values, by llmproc provider name. */
export const providerNames: Readonly<Record<string, string>> = {
  anthropic: 'anthropic',
  anthropic_vertex: 'gcp.vertex_ai',
  anthropic_bedrock: 'aws.bedrock',
  openai: 'openai',
  azure_openai: 'azure.ai.openai',
  gemini: 'gcp.gemini',
  gemini_vertex: 'gcp.vertex_ai',
};

export const metrics = {
  tokenUsage: {
    name: 'gen_ai.client.token.usage',
    unit: '{token}',
    description: 'Number of input and output tokens used.',
    buckets: [
      1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
    ],
  },
  operationDuration: {
    name: 'gen_ai.client.operation.duration',
    unit: 's',
    description: 'GenAI operation duration.',
    buckets: [
      0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
    ],
  },
} as const;
