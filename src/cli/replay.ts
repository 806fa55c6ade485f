/**
 * `llmproc replay <trace.jsonl> [--replay-tools] [--json] [--quiet]`: replays a recorded run from its
 * trace (`LLMProgram.fromTrace`), giving it the recorded inputs one by one, and prints each answer as
 * a normal run does. A replay that leaves the recording fails with the divergence error (exit 1).
 */
import { Command } from 'commander';
import type { LLMProcess, RunResult, Trace } from '../index.js';
import { parseCommand, type ArgsOutput } from './args.js';
import { formatError, isAbortError, isEnvFlagSet } from './errors.js';
import { EventPrinter } from './event-printer.js';
import { runInputOf } from './recorded-input.js';
import { answerText, jsonOutput, readOutputSchema } from './run-input.js';
import { shouldUseColor } from './style.js';

export interface ReplayCliOptions {
  tracePath: string;
  replayTools: boolean;
  /**
   * `--output-schema FILE`: a JSON Schema for every run, over the recorded one (a trace written
   * before run options were recorded has none).
   */
  outputSchema: string | undefined;
  json: boolean;
  quiet: boolean;
  debug: boolean;
}

const interruptedExitCode = 130;

/** Parse `replay`'s arguments (after the word `replay`); either options or an exit code. */
export function parseReplayArgs(
  argv: readonly string[],
  output: ArgsOutput,
): { type: 'replay'; options: ReplayCliOptions } | { type: 'exit'; code: number } {
  const command = new Command()
    .name('llmproc replay')
    .description(
      'Replay a recorded run (a trace written with --record) without calling the model: the ' +
        'recorded inputs are run again and every model call is answered from the trace.',
    )
    .argument('<trace>', 'trace file (JSON lines, written by --record or recordTo)')
    .option('--replay-tools', 'answer tool calls from the trace instead of running the tools')
    .option(
      '--output-schema <file>',
      "a JSON Schema file for every run instead of the recorded runs' own (needed only for traces written before run options were recorded)",
    )
    .option('--json', 'print each run result as one JSON object on stdout')
    .option('-q, --quiet', 'no event lines on stderr; print only the answer')
    .option('--debug', 'print stack traces')
    .helpOption('-h, --help', 'print this help')
    .addHelpText(
      'after',
      '\nExit status: 0 when the replay followed the recording, 1 when it left it (the error names ' +
        'the process, the turn and the first differing field) or the trace cannot be read, 2 on a ' +
        'usage error, 130 when interrupted.',
    )
    .showHelpAfterError('(run llmproc replay --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: output.writeOut, writeErr: output.writeErr });
  const exitCode = parseCommand(command, argv);
  if (exitCode !== undefined) return { type: 'exit', code: exitCode };
  const raw = command.opts<{
    replayTools?: boolean;
    outputSchema?: string;
    json?: boolean;
    quiet?: boolean;
    debug?: boolean;
  }>();
  const [tracePath = ''] = command.processedArgs as string[];
  return {
    type: 'replay',
    options: {
      tracePath,
      replayTools: raw.replayTools === true,
      outputSchema: raw.outputSchema,
      json: raw.json === true,
      quiet: raw.quiet === true,
      debug: raw.debug === true || isEnvFlagSet(process.env['DEBUG']),
    },
  };
}

/**
 * The inputs the recorded top-level process was given, in order: a string, or the blocks of an input
 * that had images or files (recorded-input.ts turns them into parts again).
 */
export function recordedInputs(trace: Trace): Trace['inputs'][number]['content'][] {
  const root = trace.processes.values().next().value;
  if (!root) return [];
  return trace.inputs.filter((input) => input.pid === root.pid).map((input) => input.content);
}

/** Replay the trace's runs; resolves with the exit code. */
export async function replay(argv: readonly string[], output: ArgsOutput): Promise<number> {
  const parsed = parseReplayArgs(argv, output);
  if (parsed.type === 'exit') return parsed.code;
  const { options } = parsed;
  const fail = (prefix: string, error: unknown): number => {
    output.writeErr(`${formatError(prefix, error, options.debug)}\n`);
    return 1;
  };
  const { LLMProgram, LlmprocError, readTrace } = await import('../index.js');
  let program;
  let inputs;
  let schema;
  try {
    if (options.outputSchema !== undefined) schema = await readOutputSchema(options.outputSchema);
    inputs = recordedInputs(readTrace(options.tracePath)).map((content, index) =>
      runInputOf(content, options.tracePath, index),
    );
    program = LLMProgram.fromTrace(options.tracePath, { replayTools: options.replayTools });
    if (inputs.length === 0) {
      throw new LlmprocError(
        'TRACE_NOT_REPLAYABLE',
        `${options.tracePath} has no recorded input (no "input" line), so there is no run to replay`,
      );
    }
  } catch (error) {
    return fail('Error loading trace', error);
  }
  let proc: LLMProcess;
  try {
    proc = await program.start();
  } catch (error) {
    return fail('Error initializing process', error);
  }
  if (!options.quiet) {
    const color = shouldUseColor(process.stderr.isTTY, process.env);
    proc.addCallback(
      new EventPrinter({
        write: (line) => {
          output.writeErr(`${line}\n`);
        },
        color,
      }),
    );
  }
  const controller = new AbortController();
  const onSigint = (): void => {
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    for (const input of inputs) {
      const result: RunResult = await proc.run(input, {
        signal: controller.signal,
        ...(schema === undefined ? {} : { output: schema }),
      });
      if (options.json) output.writeOut(`${jsonOutput(result, proc)}\n`);
      else if (answerText(result) !== '') output.writeOut(`${answerText(result)}\n`);
    }
    return 0;
  } catch (error) {
    if (isAbortError(error)) {
      output.writeErr('Interrupted\n');
      return interruptedExitCode;
    }
    return fail('Error', error);
  } finally {
    process.off('SIGINT', onSigint);
    await proc.close();
  }
}
