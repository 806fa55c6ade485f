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
  },
});
