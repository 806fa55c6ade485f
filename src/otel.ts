// `llmproc/otel`: OpenTelemetry GenAI spans and metrics from llmproc's callbacks. Importing it loads
// `@opentelemetry/api` (an optional peer dependency); the root `llmproc` entry never does.
export { otelCallbacks } from './otel/otel-callbacks.js';
export type { OtelCallbacksOptions } from './otel/otel-callbacks.js';
