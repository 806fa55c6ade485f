import { setLogger, type Logger } from '../../src/index.js';

/**
 * Route llmproc's logger into an array for a test file: `warnings` collects warn and error messages;
 * `restore()` puts the previous logger back.
 */
export function captureWarnings(): { warnings: string[]; restore(): void } {
  const warnings: string[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (message) => warnings.push(message),
    error: (message) => warnings.push(message),
  };
  const previous = setLogger(logger);
  return {
    warnings,
    restore: () => {
      setLogger(previous);
    },
  };
}
