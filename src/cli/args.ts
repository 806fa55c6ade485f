/**
 * The CLI's arguments, parsed with commander. Help and version output and usage errors are written
 * here; the caller gets either the options of a run or the exit code to leave with.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';

export interface CliOptions {
  /** The program config, `.toml`, `.yaml` or `.yml`. */
  programPath: string;
  prompt: string | undefined;
  promptFile: string | undefined;
  append: boolean;
  interactive: boolean;
  json: boolean;
  quiet: boolean;
  debug: boolean;
  /** Export spans and metrics over OTLP/HTTP (`OTEL_EXPORTER_OTLP_*`, `OTEL_SERVICE_NAME`). */
  otel: boolean;
  maxIterations: number | undefined;
  /** Tools whose calls are refused (`--deny-tool`, repeatable). */
  denyTools: string[];
  /** Ask y/n on the terminal before each tool call. */
  confirmTools: boolean;
  /** Write a trace of the run (every event and model exchange) to this file. */
  record: string | undefined;
  /** `--output-schema FILE`: a JSON Schema the answer must match; the answer is printed as JSON. */
  outputSchema: string | undefined;
  /** Budgets of each run (`--max-tokens`, `--max-cost`, `--timeout`). */
  maxTokens: number | undefined;
  maxCostUsd: number | undefined;
  timeoutMs: number | undefined;
  /** `--image PATH` and `--file PATH`, in the order given: sent after the prompt text. */
  attachments: CliAttachment[];
}

/** One `--image` or `--file` flag. */
export interface CliAttachment {
  kind: 'image' | 'document';
  path: string;
}

export type ParsedArgs = { type: 'run'; options: CliOptions } | { type: 'exit'; code: number };

export interface ArgsOutput {
  writeOut: (text: string) => void;
  writeErr: (text: string) => void;
}

/** Exit code of a usage error (unknown option, missing argument), as in the original (click). */
export const usageErrorExitCode = 2;

const helpFooter = `
Prompt: -p, else -f, else piped stdin, else the program's [prompt].user; with none of
them and a terminal, an interactive session (type "exit" or press Ctrl-D to leave).

Output: event lines (turns, tools with durations, responses, stderr writes, fork children
tagged by pid) on stderr while the run goes; the final answer on stdout. --json prints the
run result instead: lastMessage, apiCalls, toolCalls, usage, durationMs, stopReason, stderr.

Tool control: --deny-tool NAME refuses that tool's calls (the model is told why);
--confirm-tools prints each call and asks y/n on the terminal first. Without a terminal
(stdin piped) nobody can answer, so --confirm-tools denies every call and says so.

Environment: NO_COLOR turns colour off; DEBUG (or --debug) prints stack traces;
OTEL_EXPORTER_OTLP_ENDPOINT (default http://localhost:4318), OTEL_EXPORTER_OTLP_HEADERS,
OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf, the default, or http/json), OTEL_METRICS_EXPORTER=none
and OTEL_SERVICE_NAME (default llmproc) configure --otel;
LLMPROC_LOG_LEVEL sets the library's log level (debug, info, warn, error, silent);
ANTHROPIC_API_KEY, OPENAI_API_KEY, GEMINI_API_KEY / GOOGLE_API_KEY for the providers.

Budgets: --max-tokens, --max-cost (USD) and --timeout stop a run at the next step boundary;
the answer so far is printed, a line on stderr names the budget, and the exit status is 3.

Exit status: 0 on success, 1 on a bad config, bad input, missing API key or API failure,
2 on a usage error, 3 when a budget stopped the run, 130 when interrupted.

Traces: llmproc replay run.jsonl [--replay-tools] replays a run recorded with --record
without calling the model; llmproc view run.jsonl [-o run.html] writes it as one HTML page
(llmproc replay --help, llmproc view --help, docs/traces.md).

Durable runs: llmproc serve <program> [--port 9080] [--register http://127.0.0.1:9070]
serves the program as a Restate virtual object (llmproc serve --help, docs/durable.md).

Examples:
  llmproc examples/mock-tools.toml
  llmproc examples/anthropic.toml -p "What is 6 * 7?"
  echo "Summarize this" | llmproc program.yaml --json`;

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

/** A duration: milliseconds, or a number with ms, s or m. */
function duration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  const scale = { ms: 1, s: 1000, m: 60_000 }[match?.[2] ?? 'ms'] ?? 1;
  const ms = match ? Math.round(Number(match[1]) * scale) : NaN;
  if (!Number.isInteger(ms) || ms < 1)
    throw new InvalidArgumentError('must be a duration such as 30000, 30s or 2m');
  return ms;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function buildCommand(
  version: string,
  output: ArgsOutput,
  attachments: CliAttachment[] = [],
): Command {
  // One list for both flags, so `--image a --file b --image c` keeps its order.
  const attach =
    (kind: CliAttachment['kind']) =>
    (value: string): CliAttachment[] => {
      attachments.push({ kind, path: value });
      return attachments;
    };
  return (
    new Command()
      .name('llmproc')
      .description('Run an LLM program (a TOML or YAML config) and print its answer.')
      .argument('<program>', 'program config file (.toml, .yaml or .yml)')
      // Both name the prompt: a usage error (exit 2), like any other conflict of options.
      .addOption(new Option('-p, --prompt <text>', 'the user prompt').conflicts('promptFile'))
      .option('-f, --prompt-file <path>', 'read the user prompt from a file')
      .option('-a, --append', "append the prompt to the program's [prompt].user (on a new line)")
      .option('-i, --interactive', 'chat: read prompts from stdin until "exit" or end of input')
      .option(
        '--max-iterations <n>',
        "most model calls per prompt (default: the program's)",
        positiveInteger,
      )
      .option(
        '--deny-tool <name>',
        'refuse every call of this tool (repeatable); the model is told it was denied',
        collect,
        [],
      )
      .option(
        '--confirm-tools',
        'print each tool call and ask y/n first (denied without a terminal)',
      )
      .option(
        '--record <file>',
        'write a trace of the run to <file> (JSON lines; see docs/traces.md)',
      )
      .option(
        '--output-schema <file>',
        'a JSON Schema file: the answer must be a JSON object matching it, printed as JSON',
      )
      .option('--max-tokens <n>', 'stop a run once it used this many tokens', positiveInteger)
      .option('--max-cost <usd>', 'stop a run once it cost this many US dollars', positiveNumber)
      .option('--timeout <duration>', 'stop a run after this long (ms, or 30s, 2m)', duration)
      .option('--image <path>', 'send this image with the prompt (repeatable)', attach('image'))
      .option(
        '--file <path>',
        'send this document (PDF) with the prompt (repeatable)',
        attach('document'),
      )
      .option('--json', 'print the run result as one JSON object on stdout')
      .option('-q, --quiet', 'no event lines on stderr; print only the answer')
      .option('--debug', "print stack traces and the library's debug log")
      .option(
        '--otel',
        'export OpenTelemetry spans and metrics over OTLP/HTTP (configured by OTEL_EXPORTER_OTLP_*)',
      )
      .version(version, '-V, --version', 'print the version')
      .helpOption('-h, --help', 'print this help')
      .addHelpText('after', helpFooter)
      .showHelpAfterError('(run llmproc --help for usage)')
      .exitOverride()
      .configureOutput({ writeOut: output.writeOut, writeErr: output.writeErr })
  );
}

interface RawOptions {
  prompt?: string;
  promptFile?: string;
  append?: boolean;
  interactive?: boolean;
  maxIterations?: number;
  denyTool?: string[];
  confirmTools?: boolean;
  record?: string;
  outputSchema?: string;
  maxTokens?: number;
  maxCost?: number;
  timeout?: number;
  json?: boolean;
  quiet?: boolean;
  debug?: boolean;
  otel?: boolean;
}

/**
 * Parse `argv` with a commander command built with `exitOverride`: undefined when it parsed, else
 * the exit code (0 after help or version, 2 for a usage error; commander has written the message).
 */
export function parseCommand(command: Command, argv: readonly string[]): number | undefined {
  try {
    command.parse([...argv], { from: 'user' });
    return undefined;
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // Help and version end the program successfully; anything else is a usage error.
    const done = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(
      error.code,
    );
    return done ? 0 : usageErrorExitCode;
  }
}

/** Parse the user's arguments (`process.argv.slice(2)`). */
export function parseArgs(
  argv: readonly string[],
  version: string,
  output: ArgsOutput,
): ParsedArgs {
  const attachments: CliAttachment[] = [];
  const command = buildCommand(version, output, attachments);
  const exitCode = parseCommand(command, argv);
  if (exitCode !== undefined) return { type: 'exit', code: exitCode };
  const raw = command.opts<RawOptions>();
  const [programPath = ''] = command.processedArgs as string[];
  return {
    type: 'run',
    options: {
      programPath,
      prompt: raw.prompt,
      promptFile: raw.promptFile,
      append: raw.append === true,
      interactive: raw.interactive === true,
      outputSchema: raw.outputSchema,
      json: raw.json === true,
      quiet: raw.quiet === true,
      debug: raw.debug === true,
      otel: raw.otel === true,
      maxIterations: raw.maxIterations,
      denyTools: raw.denyTool ?? [],
      confirmTools: raw.confirmTools === true,
      record: raw.record,
      maxTokens: raw.maxTokens,
      maxCostUsd: raw.maxCost,
      timeoutMs: raw.timeout,
      attachments,
    },
  };
}
