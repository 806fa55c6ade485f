/**
 * The interactive session (the original's `llmproc-demo`): read a prompt, run it on the same process
 * (so the conversation carries on), print the answer, repeat. Leave with `exit`, `quit` or end of
 * input (Ctrl-D). Ctrl-C stops the answer being produced, or leaves when there is none.
 */
import { createInterface } from 'node:readline/promises';

export interface InteractiveOptions {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Where the `> ` prompt and the greeting go (stderr, so stdout holds only answers). */
  promptOutput: NodeJS.WritableStream;
  greeting: string;
  /** Run one prompt; resolves to the answer. */
  ask: (text: string, signal: AbortSignal) => Promise<string>;
  writeAnswer: (text: string) => void;
  /** Report a failed prompt; the session goes on. */
  reportError: (error: unknown) => void;
  /**
   * Receives a way to ask a question on the session's own line reader (for --confirm-tools): a second
   * reader on the same stdin would race this one for the user's lines.
   */
  lendQuestion?: (
    ask: (question: string, signal: AbortSignal | undefined) => Promise<string>,
  ) => void;
}

const exitWords = new Set(['exit', 'quit', ':q']);

export async function runInteractive(options: InteractiveOptions): Promise<void> {
  const terminal = options.input.isTTY === true;
  const rl = createInterface({ input: options.input, output: options.promptOutput, terminal });
  let running: AbortController | undefined;
  rl.on('SIGINT', () => {
    if (running) running.abort();
    else rl.close();
  });
  options.lendQuestion?.((question, signal) =>
    signal ? rl.question(question, { signal }) : rl.question(question),
  );
  options.promptOutput.write(`${options.greeting}\n`);
  rl.setPrompt('> ');
  rl.prompt();
  try {
    for await (const line of rl) {
      const text = line.trim();
      if (exitWords.has(text.toLowerCase())) break;
      if (text !== '') {
        running = new AbortController();
        try {
          options.writeAnswer(await options.ask(text, running.signal));
        } catch (error) {
          options.reportError(error);
        } finally {
          running = undefined;
        }
      }
      rl.prompt();
    }
  } finally {
    rl.close();
  }
  if (terminal) options.promptOutput.write('\n');
}
