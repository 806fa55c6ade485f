/**
 * Where the CLI's prompt comes from, in the original's order: `-p`, else `-f` (a file), else stdin
 * when it is piped and not empty, else the program's `[prompt].user`. With `-a` the given prompt is
 * appended to the program's user prompt, on a new line. With none of them and a terminal on stdin,
 * the CLI opens an interactive session instead.
 */
import { readFile } from 'node:fs/promises';

/** A problem with the prompt the user gave (or did not give); the CLI prints its message. */
export class PromptError extends Error {
  override readonly name = 'PromptError';
}

export interface PromptSources {
  /** `-p TEXT`. */
  prompt?: string | undefined;
  /** The text of the `-f PATH` file. */
  promptFileText?: string | undefined;
  /** Piped stdin; undefined when stdin is a terminal or was not read. */
  stdinText?: string | undefined;
  /** The program's `[prompt].user`. */
  userPrompt?: string | undefined;
  /** `-a`: append the given prompt to the program's user prompt. */
  append?: boolean | undefined;
  /** Whether stdin is a terminal (then no prompt at all means an interactive session). */
  stdinIsTTY?: boolean | undefined;
}

export type PromptSource = 'option' | 'file' | 'stdin' | 'config';

export type ResolvedPrompt =
  { type: 'prompt'; text: string; source: PromptSource } | { type: 'interactive' };

/** `-p` and `-f` both name the prompt: giving both is an error (checked before reading the file). */
export function checkPromptOptions(
  prompt: string | undefined,
  promptFile: string | undefined,
): void {
  if (prompt !== undefined && promptFile !== undefined) {
    throw new PromptError('--prompt and --prompt-file are mutually exclusive');
  }
}

/** Pick the prompt; throws {@link PromptError} for no prompt at all or a blank one. */
export function resolvePrompt(sources: PromptSources): ResolvedPrompt {
  checkPromptOptions(sources.prompt, sources.promptFileText);
  const stdinText = sources.stdinText?.trim();
  let given: { text: string; source: PromptSource } | undefined;
  if (sources.prompt !== undefined) given = { text: sources.prompt, source: 'option' };
  else if (sources.promptFileText !== undefined)
    given = { text: sources.promptFileText, source: 'file' };
  else if (stdinText !== undefined && stdinText !== '')
    given = { text: stdinText, source: 'stdin' };

  const userPrompt = sources.userPrompt;
  const hasUserPrompt = userPrompt !== undefined && userPrompt.trim() !== '';
  let chosen: { text: string; source: PromptSource };
  if (given === undefined) {
    if (!hasUserPrompt) {
      if (sources.stdinIsTTY === true) return { type: 'interactive' };
      throw new PromptError('No prompt provided via command line, stdin, or configuration');
    }
    chosen = { text: userPrompt, source: 'config' };
  } else if (sources.append === true && hasUserPrompt) {
    chosen = { text: `${userPrompt}\n${given.text}`, source: given.source };
  } else {
    chosen = given;
  }
  const { text, source } = chosen;
  if (text.trim() === '') throw new PromptError('Empty prompt');
  return { type: 'prompt', text, source };
}

/** The text of a `-f` prompt file; a file that cannot be read is a {@link PromptError}. */
export async function readPromptFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new PromptError(`Cannot read prompt file ${file}: ${reason}`);
  }
}

/** All of a readable stream as text (stdin when piped). */
export async function readAll(stream: AsyncIterable<unknown>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks).toString('utf8');
}
