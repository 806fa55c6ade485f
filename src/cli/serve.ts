/**
 * `llmproc serve <program> [--port 9080] [--host 127.0.0.1] [--name N] [--register ADMIN_URL]`: serves
 * the program as a Restate virtual object (see docs/durable.md). The Restate SDK is an optional peer
 * dependency, imported here only, so the rest of the CLI never loads it.
 */
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { parseCommand, type ArgsOutput } from './args.js';
import { formatError, isEnvFlagSet } from './errors.js';
import { EventPrinter } from './event-printer.js';
import { createStyler, shouldUseColor } from './style.js';

export interface ServeOptions {
  programPath: string;
  port: number;
  host: string;
  name: string | undefined;
  register: string | undefined;
  quiet: boolean;
  debug: boolean;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

function url(value: string): string {
  try {
    return new URL(value).href;
  } catch {
    throw new InvalidArgumentError('must be a URL such as http://127.0.0.1:9070');
  }
}

/** Parse `serve`'s arguments (after the word `serve`); either options or an exit code. */
export function parseServeArgs(
  argv: readonly string[],
  output: ArgsOutput,
): { type: 'serve'; options: ServeOptions } | { type: 'exit'; code: number } {
  const command = new Command()
    .name('llmproc serve')
    .description(
      'Serve a program as a Restate virtual object: POST <ingress>/<name>/<key>/run with {"input": "..."}.',
    )
    .argument('<program>', 'program config file (.toml, .yaml or .yml)')
    .option('--port <n>', 'port of the endpoint (0 picks a free one)', port, 9080)
    .option('--host <address>', 'interface to listen on', '127.0.0.1')
    .option('--name <service>', 'Restate service name (default: the file name without extension)')
    .option('--register <adminUrl>', "register with the Restate server's admin API", url)
    .option('-q, --quiet', 'no event lines on stderr')
    .option('--debug', 'print stack traces')
    .helpOption('-h, --help', 'print this help')
    .showHelpAfterError('(run llmproc serve --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: output.writeOut, writeErr: output.writeErr });
  const exitCode = parseCommand(command, argv);
  if (exitCode !== undefined) return { type: 'exit', code: exitCode };
  const raw = command.opts<{
    port: number;
    host: string;
    name?: string;
    register?: string;
    quiet?: boolean;
    debug?: boolean;
  }>();
  const [programPath = ''] = command.processedArgs as string[];
  return {
    type: 'serve',
    options: {
      programPath,
      port: raw.port,
      host: raw.host,
      name: raw.name,
      register: raw.register,
      quiet: raw.quiet === true,
      debug: raw.debug === true || isEnvFlagSet(process.env['DEBUG']),
    },
  };
}

/** The service name: `--name`, else the program file's name without its extension. */
export function serviceName(options: Pick<ServeOptions, 'programPath' | 'name'>): string {
  return options.name ?? path.basename(options.programPath).replace(/\.(toml|ya?ml)$/i, '');
}

/** Serve until SIGINT or SIGTERM; resolves with the exit code. */
export async function serve(argv: readonly string[], output: ArgsOutput): Promise<number> {
  const parsed = parseServeArgs(argv, output);
  if (parsed.type === 'exit') return parsed.code;
  const { options } = parsed;
  const fail = (prefix: string, error: unknown): number => {
    output.writeErr(`${formatError(prefix, error, options.debug)}\n`);
    return 1;
  };
  const { LLMProgram } = await import('../index.js');
  let program;
  try {
    program = LLMProgram.fromFile(options.programPath);
  } catch (error) {
    return fail('Error loading program file', error);
  }
  let restate: typeof import('../restate.js');
  try {
    restate = await import('../restate.js');
  } catch (error) {
    return fail(
      'Error: llmproc serve needs @restatedev/restate-sdk (npm i @restatedev/restate-sdk)',
      error,
    );
  }
  const color = shouldUseColor(process.stderr.isTTY, process.env);
  const name = serviceName(options);
  const service = restate.restateService(program, {
    name,
    callbacks: options.quiet
      ? []
      : [
          new EventPrinter({
            write: (line) => {
              output.writeErr(`${line}\n`);
            },
            color,
          }),
        ],
  });
  let worker;
  try {
    worker = await restate.serveRestate([service], { port: options.port, host: options.host });
  } catch (error) {
    return fail('Error starting the endpoint', error);
  }
  const dim = createStyler(color);
  output.writeErr(
    `${dim('dim', `llmproc: serving ${name} (virtual object, handler run) on ${worker.url}`)}\n`,
  );
  if (options.register !== undefined) {
    try {
      await restate.registerDeployment(options.register, worker.url);
      output.writeErr(
        `${dim('dim', `llmproc: registered ${worker.url} with ${options.register}`)}\n`,
      );
    } catch (error) {
      await worker.close();
      return fail('Error', error);
    }
  }
  const signal = await new Promise<string>((resolve) => {
    for (const name of ['SIGINT', 'SIGTERM'] as const)
      process.once(name, () => {
        resolve(name);
      });
  });
  output.writeErr(`${dim('dim', `llmproc: ${signal}, stopping`)}\n`);
  await worker.close();
  return 0;
}
