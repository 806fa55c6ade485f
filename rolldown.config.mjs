// Bundles the CLI for start-up speed: loading zod's ~240 module files one by one costs more than the
// rest of `llmproc program.toml -p hi` together. Provider SDKs and MCP stay external and are still
// imported only when a program uses them (their dynamic imports become separate chunks). The
// OpenTelemetry packages stay external too: optional dependencies, imported only for `--otel`.
import { defineConfig } from 'rolldown';

export default defineConfig({
  input: 'dist/cli/bin.js',
  platform: 'node',
  external: [
    /^@anthropic-ai\//,
    /^openai(\/|$)/,
    /^@google\/genai/,
    /^@modelcontextprotocol\//,
    /^yaml$/,
    // An optional peer dependency: only `llmproc serve` imports it, from its own chunk.
    /^@restatedev\//,
    /^@opentelemetry\//,
  ],
  output: {
    dir: 'dist/cli-bundle',
    cleanDir: true,
    format: 'esm',
    entryFileNames: 'llmproc.js',
    chunkFileNames: '[name]-[hash].js',
    // McpInitError is part of the public API, so the index chunk needs tools/mcp/errors.js; left to
    // itself rolldown puts that module in the MCP adapter's chunk, and the index then imports that
    // chunk and with it the MCP SDK and ajv on every run (test/lazy-sdk.test.ts checks the CLI).
    advancedChunks: {
      groups: [{ name: 'errors', test: /dist[\\/](errors|tools[\\/]mcp[\\/]errors)\.js$/ }],
    },
  },
});
