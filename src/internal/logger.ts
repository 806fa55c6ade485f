/**
 * The library's logger. Warnings (a callback that threw, a preload file that is missing) go here
 * rather than to console directly, so an application can route or silence them with `setLogger`.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

type Level = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const levelRank: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

function configuredLevel(): Level {
  const raw = (process.env['LLMPROC_LOG_LEVEL'] ?? 'warn').toLowerCase();
  return raw in levelRank ? (raw as Level) : 'warn';
}

// A callback that throws on every event would otherwise write the same warning thousands of times:
// like syslog, a line equal to the one before is counted, not written, and the count is written
// when a different line comes or the process exits.
let lastLine: string | undefined;
let repeats = 0;
let flushOnExit = false;

function flushRepeats(): void {
  if (repeats === 0 || lastLine === undefined) return;
  const times = repeats === 1 ? 'once more' : `${String(repeats)} more times`;
  process.stderr.write(
    `${lastLine.slice(0, lastLine.indexOf(':'))}: (the line above repeated ${times})\n`,
  );
  repeats = 0;
}

function writeToStderr(level: Exclude<Level, 'silent'>, message: string): void {
  if (levelRank[level] < levelRank[configuredLevel()]) return;
  const line = `llmproc ${level}: ${message}`;
  if (line === lastLine) {
    repeats++;
    if (!flushOnExit) {
      flushOnExit = true;
      process.once('exit', flushRepeats);
    }
    return;
  }
  flushRepeats();
  lastLine = line;
  process.stderr.write(`${line}\n`);
}

const stderrLogger: Logger = {
  debug: (m) => {
    writeToStderr('debug', m);
  },
  info: (m) => {
    writeToStderr('info', m);
  },
  warn: (m) => {
    writeToStderr('warn', m);
  },
  error: (m) => {
    writeToStderr('error', m);
  },
};

let current: Logger = stderrLogger;

/** Replace the library's logger; returns the previous one so tests can restore it. */
export function setLogger(logger: Logger): Logger {
  const previous = current;
  current = logger;
  return previous;
}

/** The logger in force now (read at each call so `setLogger` takes effect at once). */
export function getLogger(): Logger {
  return current;
}
