#!/usr/bin/env node
/**
 * `llmproc <program.toml|yaml> [-p PROMPT] [--json] [--quiet]`: argv → the public API → stdout and
 * stderr. Everything it does with a program goes through `llmproc`'s public exports; the event lines
 * are an ordinary object callback (event-printer.ts). See docs/cli.md.
 */
import type { LLMProcess, LLMProgram, RunInput, RunOptions, RunResult } from '../index.js';
import { LlmprocError } from '../errors.js';
import { llmprocVersion } from '../internal/version.js';
import { parseArgs, type CliOptions } from './args.js';
import { formatError, isAbortError, isEnvFlagSet } from './errors.js';
import { EventPrinter } from './event-printer.js';
import { runInteractive } from './interactive.js';
import { checkPromptOptions, readAll, readPromptFile, resolvePrompt } from './prompt.js';
import { shouldUseColor } from './style.js';
import { confirmToolsHook, denyToolsHook, type AskLine } from './tool-control.js';
import { createInterface } from 'node:readline/promises';
import { answerText, jsonOutput, promptInput, readOutputSchema } from './run-input.js';
import type { JsonSchema } from '../index.js';
import type { OtelExport } from './otel-export.js';

const interruptedExitCode = 130;
/** How long `close()` (MCP connections, ...) may take before the CLI exits anyway. */
const closeTimeoutMs = 2000;

function writeOut(text: string): void {
  process.stdout.write(text);
}

function writeErr(text: string): void {
  process.stderr.write(text);
}

interface Session {
  options: CliOptions;
  program: LLMProgram;
  proc: LLMProcess;
  debug: boolean;
  outputSchema: JsonSchema | undefined;
  /** How --confirm-tools asks; an interactive session replaces it with its own line reader. */
  ask: AskLine;
}

/**
 * Ask one question on the terminal, outside an interactive session. Not in terminal mode: the tty
 * keeps Ctrl-C a signal, so the CLI's SIGINT handler aborts the run and with it the question.
 */
const askOnce: AskLine = async (question, signal) => {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  try {
    return await (signal ? rl.question(question, { signal }) : rl.question(question));
  } finally {
    rl.close();
  }
};

/** The --deny-tool and --confirm-tools hooks, on the process (and so on its children). */
function addToolControls(session: Session): void {
  const { options, proc } = session;
  if (options.denyTools.length > 0) {
    const known = new Set(proc.tools.map((tool) => tool.name));
    for (const name of options.denyTools)
      if (!known.has(name))
        writeErr(`llmproc: --deny-tool ${name}: the program has no such tool\n`);
    proc.addHook(denyToolsHook(options.denyTools));
  }
  if (options.confirmTools) {
    proc.addHook(
      confirmToolsHook({
        isTTY: process.stdin.isTTY,
        ask: () => session.ask,
        write: (line) => {
          writeErr(`${line}\n`);
        },
      }),
    );
  }
}

/** The options of every run of this CLI session. */
function runOptions(session: Session, signal: AbortSignal) {
  const { options, outputSchema } = session;
  return {
    signal,
    ...runLimits(options),
    ...(outputSchema === undefined ? {} : { output: outputSchema }),
  };
}

async function closeWithin(proc: LLMProcess, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([proc.close(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Exit status of a run that a budget stopped: the answer so far is printed, but it is cut short. */
const budgetExitCode = 3;

/** The run options the flags give: max iterations and budgets. */
function runLimits(options: CliOptions): RunOptions {
  return {
    ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
    ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
    ...(options.maxCostUsd === undefined ? {} : { maxCostUsd: options.maxCostUsd }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
}

/** Say on stderr which budget stopped a run. */
function reportBudget(result: RunResult): void {
  if (result.status === 'budget')
    writeErr(`llmproc: the run stopped at its budget (${result.stopReason ?? 'budget'})\n`);
}

/** One prompt, then the answer (or the JSON result) on stdout; the exit status. */
async function runOnce(session: Session, text: string): Promise<number> {
  const { options, proc } = session;
  const controller = new AbortController();
  const onSigint = (): void => {
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    const input = promptInput(text, options.attachments);
    const result = await proc.run(input, runOptions(session, controller.signal));
    const answer = answerText(result);
    if (options.json) writeOut(`${jsonOutput(result, proc)}\n`);
    else if (answer !== '') writeOut(`${answer}\n`);
    reportBudget(result);
    return result.status === 'budget' ? budgetExitCode : 0;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

async function chat(session: Session, firstPrompt: string | undefined): Promise<void> {
  const { options, program, proc, debug } = session;
  const ask = async (input: RunInput, signal: AbortSignal): Promise<string> => {
    const result = await proc.run(input, runOptions(session, signal));
    reportBudget(result);
    return options.json ? jsonOutput(result, proc) : answerText(result);
  };
  const report = (error: unknown): void => {
    writeErr(`${formatError(isAbortError(error) ? 'Interrupted' : 'Error', error, debug)}\n`);
  };
  if (firstPrompt !== undefined) {
    const input = promptInput(firstPrompt, options.attachments);
    writeOut(`${await ask(input, new AbortController().signal)}\n`);
  }
  await runInteractive({
    input: process.stdin,
    promptOutput: process.stderr,
    greeting: `llmproc: ${program.displayName}. Type "exit" or press Ctrl-D to leave.`,
    ask,
    writeAnswer: (text) => {
      writeOut(`${text}\n`);
    },
    reportError: report,
    lendQuestion: (ask) => {
      session.ask = ask;
    },
  });
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'serve') {
    // A durable worker (docs/durable.md); its module alone loads the Restate SDK.
    const { serve } = await import('./serve.js');
    return serve(argv.slice(1), { writeOut, writeErr });
  }
  if (argv[0] === 'replay') {
    const { replay } = await import('./replay.js');
    return replay(argv.slice(1), { writeOut, writeErr });
  }
  if (argv[0] === 'view') {
    const { view } = await import('./view.js');
    return view(argv.slice(1), { writeOut, writeErr });
  }
  const parsed = parseArgs(argv, llmprocVersion(), { writeOut, writeErr });
  if (parsed.type === 'exit') return parsed.code;
  const { options } = parsed;
  const debug = options.debug || isEnvFlagSet(process.env['DEBUG']);
  if (debug) process.env['LLMPROC_LOG_LEVEL'] ??= 'debug';
  const fail = (prefix: string, error: unknown): number => {
    writeErr(`${formatError(prefix, error, debug)}\n`);
    return 1;
  };

  // Loaded only now, so `--help` and `--version` do not pay for it.
  const { LLMProgram, recordTo } = await import('../index.js');

  let program: LLMProgram;
  try {
    program = LLMProgram.fromFile(options.programPath);
  } catch (error) {
    return fail('Error loading program file', error);
  }

  let prompt: ReturnType<typeof resolvePrompt> | undefined;
  let outputSchema: JsonSchema | undefined;
  try {
    if (options.outputSchema !== undefined)
      outputSchema = await readOutputSchema(options.outputSchema);
    checkPromptOptions(options.prompt, options.promptFile);
    const promptFileText =
      options.promptFile === undefined ? undefined : await readPromptFile(options.promptFile);
    const given = options.prompt !== undefined || promptFileText !== undefined;
    if (options.interactive) {
      // In a chat stdin holds the prompts; a -p or -f prompt is asked first.
      if (given)
        prompt = resolvePrompt({
          prompt: options.prompt,
          promptFileText,
          append: options.append,
          userPrompt: program.userPrompt,
        });
    } else {
      const stdinIsTTY = process.stdin.isTTY;
      const stdinText = given || stdinIsTTY ? undefined : await readAll(process.stdin);
      prompt = resolvePrompt({
        prompt: options.prompt,
        promptFileText,
        stdinText,
        userPrompt: program.userPrompt,
        append: options.append,
        stdinIsTTY,
      });
    }
    if (options.attachments.length > 0 && prompt?.type !== 'prompt')
      throw new LlmprocError(
        'INPUT_INVALID',
        '--image and --file go with a prompt (-p, -f or piped stdin); none was given',
      );
  } catch (error) {
    return fail('Error', error);
  }

  const color = shouldUseColor(process.stderr.isTTY, process.env);
  let proc: LLMProcess;
  try {
    proc = await program.start();
  } catch (error) {
    return fail('Error initializing process', error);
  }
  if (!options.quiet)
    proc.addCallback(
      new EventPrinter({
        write: (line) => {
          writeErr(`${line}\n`);
        },
        color,
      }),
    );

  const session: Session = { options, program, proc, debug, ask: askOnce, outputSchema };
  addToolControls(session);
  let recorder: ReturnType<typeof recordTo> | undefined;
  let otel: OtelExport | undefined;
  try {
    // Loaded only with --otel: a plain run imports none of OpenTelemetry.
    if (options.otel)
      proc.addCallback(
        (otel = await (await import('./otel-export.js')).startOtelExport()).callbacks,
      );
    if (options.record !== undefined) proc.addCallback((recorder = recordTo(options.record)));
  } catch (error) {
    await closeWithin(proc, closeTimeoutMs);
    return fail('Error', error);
  }

  try {
    if (options.interactive || prompt?.type === 'interactive') {
      await chat(session, prompt?.type === 'prompt' ? prompt.text : undefined);
    } else if (prompt) {
      return await runOnce(session, prompt.text);
    }
    return 0;
  } catch (error) {
    if (isAbortError(error)) {
      writeErr('Interrupted\n');
      return interruptedExitCode;
    }
    return fail('Error', error);
  } finally {
    // Spans and metrics are sent before the CLI exits, whatever the outcome of the run.
    await Promise.all([closeWithin(proc, closeTimeoutMs), otel?.shutdown()]);
    await recorder?.close();
  }
}

// A reader that goes away (`llmproc x.toml | head -1`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Exit even if a tool or MCP server left a handle open; the timer itself keeps nothing alive.
    setTimeout(() => process.exit(code), closeTimeoutMs).unref();
  },
  (error: unknown) => {
    writeErr(`${formatError('Error', error, true)}\n`);
    process.exitCode = 1;
  },
);
