/**
 * `llmproc view <trace.jsonl> [-o run.html]`: writes the trace as one self-contained HTML page
 * (`renderTraceHtml`) and says where. The default output sits beside the trace, named after it.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { parseCommand, type ArgsOutput } from './args.js';
import { formatError, isEnvFlagSet } from './errors.js';
import { plural } from './event-printer.js';

export interface ViewCliOptions {
  tracePath: string;
  output: string;
  debug: boolean;
}

/** `run.jsonl` → `run.html`, in the same folder. */
export function defaultViewPath(tracePath: string): string {
  const { dir, name } = path.parse(tracePath);
  return path.join(dir, `${name}.html`);
}

/** Parse `view`'s arguments (after the word `view`); either options or an exit code. */
export function parseViewArgs(
  argv: readonly string[],
  output: ArgsOutput,
): { type: 'view'; options: ViewCliOptions } | { type: 'exit'; code: number } {
  const command = new Command()
    .name('llmproc view')
    .description(
      'Write a trace as one self-contained HTML page (no network): the process tree, each ' +
        "process's turns on a timeline, tool calls with arguments and results, errors, usage and cost.",
    )
    .argument('<trace>', 'trace file (JSON lines, written by --record or recordTo)')
    .option('-o, --output <file>', 'the HTML file to write (default: the trace name with .html)')
    .option('--debug', 'print stack traces')
    .helpOption('-h, --help', 'print this help')
    .showHelpAfterError('(run llmproc view --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: output.writeOut, writeErr: output.writeErr });
  const exitCode = parseCommand(command, argv);
  if (exitCode !== undefined) return { type: 'exit', code: exitCode };
  const raw = command.opts<{ output?: string; debug?: boolean }>();
  const [tracePath = ''] = command.processedArgs as string[];
  return {
    type: 'view',
    options: {
      tracePath,
      output: raw.output ?? defaultViewPath(tracePath),
      debug: raw.debug === true || isEnvFlagSet(process.env['DEBUG']),
    },
  };
}

/** Write the view; resolves with the exit code. */
export async function view(argv: readonly string[], output: ArgsOutput): Promise<number> {
  const parsed = parseViewArgs(argv, output);
  if (parsed.type === 'exit') return parsed.code;
  const { options } = parsed;
  const { readTrace, renderTraceHtml } = await import('../index.js');
  try {
    const trace = readTrace(options.tracePath);
    await writeFile(options.output, renderTraceHtml(trace));
    output.writeOut(
      `Wrote ${options.output} (${plural(trace.processes.size, 'process', 'processes')}, ${plural(trace.events.length, 'event')})\n`,
    );
    return 0;
  } catch (error) {
    output.writeErr(`${formatError('Error', error, options.debug)}\n`);
    return 1;
  }
}
