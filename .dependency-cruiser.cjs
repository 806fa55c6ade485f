/**
 * The layers of src/ (docs/architecture.md draws them), checked by `npm run lint:deps` in
 * `npm run check`, so CI keeps the imports one-way:
 *
 *   cli -> index -> program -> process -> {callbacks, tools, providers} -> conversation -> errors, internal
 *
 * Test files and fixtures are left out: a test may reach into any layer it exercises.
 */
/**
 * A vendor SDK is imported by its adapter's folder only, so no other code can come to depend on it
 * (and a program that does not use the provider never loads it).
 * @returns {import('dependency-cruiser').IForbiddenRuleType}
 */
function sdkOnlyIn(name, adapterFolder, sdkPath) {
  return {
    name: `${name}-sdk-only-in-its-adapter`,
    severity: 'error',
    from: { path: '^src/', pathNot: adapterFolder },
    to: { path: sdkPath },
  };
}

/**
 * An optional integration (`llmproc/<name>`, in src/<name>/) builds on the public API like a user's
 * code: it imports its own folder and the root entry only, plus what `alsoAllowed` names.
 * @returns {import('dependency-cruiser').IForbiddenRuleType}
 */
function onThePublicApi(name, comment, alsoAllowed = '') {
  return {
    name: `${name}-on-the-public-api`,
    severity: 'error',
    comment,
    from: { path: `^src/${name}/` },
    to: { path: '^src/', pathNot: `^src/(${name}/|index\\.ts$${alsoAllowed})` },
  };
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles-but-the-seeds',
      severity: 'error',
      comment:
        "The one cross-layer cycle allowed is the seed's own: event arguments name the process (callbacks/events.ts), and the process holds callbacks. Within the program layer, LLMProgram and its ProgramOptions type (whose linkedPrograms are LLMPrograms) name each other.",
      from: {},
      to: {
        circular: true,
        viaOnly: { pathNot: '^src/(callbacks/events|program/options)\\.ts$' },
      },
    },
    {
      name: 'conversation-is-a-leaf',
      severity: 'error',
      comment: 'Messages, blocks, usage and tool specs are plain data that every layer imports.',
      from: { path: '^src/conversation/' },
      to: { path: '^src/', pathNot: '^src/(conversation/|errors\\.ts$|internal/)' },
    },
    {
      name: 'errors-and-internal-are-the-floor',
      severity: 'error',
      from: { path: '^src/(internal/|errors\\.ts$)' },
      to: { path: '^src/', pathNot: '^src/(internal/|errors\\.ts$)' },
    },
    {
      name: 'providers-never-see-the-loop',
      severity: 'error',
      comment:
        'An adapter maps the conversation to its SDK and back; it knows no process, program, tool or callback.',
      from: { path: '^src/providers/' },
      to: {
        path: '^src/(process|program|tools|callbacks|cli|testing)/|^src/(index|callbacks|testing)\\.ts$',
      },
    },
    {
      name: 'tools-see-a-narrow-process',
      severity: 'error',
      comment:
        'Tools get ToolContext.process (tools/types.ts), never the LLMProcess class; they only name event types.',
      from: { path: '^src/tools/' },
      to: {
        path: '^src/(process|program|providers|cli|testing)/|^src/(index|callbacks|testing)\\.ts$|^src/callbacks/(?!events\\.ts$)',
      },
    },
    {
      name: 'callbacks-below-the-process',
      severity: 'error',
      comment:
        "Callbacks name the process (the seed's cycle), the ToolResult of tool_end and the RunResult of run_end, nothing else above them.",
      from: { path: '^src/callbacks/' },
      to: {
        path: '^src/(program|providers|cli|testing)/|^src/tools/(?!tool-result\\.ts$)|^src/process/(?!(process|run-result)\\.ts$)',
      },
    },
    {
      name: 'hooks-below-the-process',
      severity: 'error',
      comment:
        'Hooks decide about a tool call from the call alone: they see the ToolResult they may replace, never the process or the program.',
      from: { path: '^src/hooks/' },
      to: {
        path: '^src/(program|process|providers|callbacks|cli|testing)/|^src/tools/(?!tool-result\\.ts$)|^src/(index|callbacks|testing)\\.ts$',
      },
    },
    {
      name: 'process-reads-plain-config',
      severity: 'error',
      comment:
        "A process reads the program's plain configuration (program/config.ts), never the LLMProgram class.",
      from: { path: '^src/process/' },
      to: {
        path: '^src/(program/(?!config\\.ts$)|cli/|testing/)|^src/(index|callbacks|testing)\\.ts$',
      },
    },
    {
      name: 'program-below-the-public-api',
      severity: 'error',
      from: { path: '^src/program/' },
      to: { path: '^src/(cli|testing)/|^src/(index|callbacks|testing)\\.ts$' },
    },
    {
      name: 'cli-through-the-public-api',
      severity: 'error',
      comment:
        'argv -> public API -> stdout: the CLI uses what users use (`llmproc serve` uses llmproc/restate, `--otel` llmproc/otel).',
      from: { path: '^src/cli/' },
      to: {
        path: '^src/',
        pathNot: '^src/(cli/|index\\.ts$|restate\\.ts$|otel\\.ts$|errors\\.ts$|internal/)',
      },
    },
    onThePublicApi(
      'restate',
      'llmproc/restate is an integration on top of the public API, on the step seam any engine can use.',
    ),
    {
      name: 'restate-only-where-asked-for',
      severity: 'error',
      comment:
        'The core never loads Restate code: only its entry point and `llmproc serve` (dynamically) do.',
      from: { path: '^src/', pathNot: '^src/(restate/|restate\\.ts$|cli/serve\\.ts$)' },
      to: { path: '^src/restate(/|\\.ts$)' },
    },
    onThePublicApi(
      'testing',
      "llmproc/testing builds on the public API; it reaches below it only for the mock script's observer.",
      '|providers/mock/script\\.ts$',
    ),
    onThePublicApi(
      'otel',
      'llmproc/otel builds spans and metrics from the public callback events alone, like any user callback.',
    ),
    {
      name: 'otel-only-where-asked-for',
      severity: 'error',
      comment:
        'The core never loads OpenTelemetry code: only its entry point does, and the CLI for --otel through a dynamic import (a type-only import loads nothing).',
      from: { path: '^src/', pathNot: '^src/(otel/|otel\\.ts$|cli/otel-export\\.ts$)' },
      to: {
        path: '^src/otel(/|\\.ts$)|^src/cli/otel-export\\.ts$|node_modules/@opentelemetry/',
        dependencyTypesNot: ['dynamic-import', 'type-only'],
      },
    },
    {
      name: 'testing-only-where-asked-for',
      severity: 'error',
      comment: 'The core and the CLI never load the test doubles: only llmproc/testing does.',
      from: { path: '^src/', pathNot: '^src/(testing/|testing\\.ts$)' },
      to: { path: '^src/testing(/|\\.ts$)' },
    },
    sdkOnlyIn('restate', '^src/restate/', 'node_modules/@restatedev/'),
    sdkOnlyIn(
      'anthropic',
      '^src/providers/anthropic(-vertex|-bedrock)?/',
      'node_modules/@anthropic-ai/',
    ),
    sdkOnlyIn('openai', '^src/providers/(azure-)?openai/', 'node_modules/openai/'),
    sdkOnlyIn('gemini', '^src/providers/gemini/', 'node_modules/@google/genai/'),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test(-d)?\\.ts$|\\.test-helper\\.ts$|/__fixtures__/' },
    // Type-only imports count: the cycles the layers forbid were type-level ones.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.d.ts'],
    },
  },
};
