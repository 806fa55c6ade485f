/**
 * Loading a program config: read the file, parse TOML or YAML, validate against the schema, and
 * normalize. Every failure is a {@link ConfigError} whose message names the file, and for schema
 * errors the key path, what was expected and what was found.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { createRequire } from 'node:module';
import { ConfigError, errorMessage } from '../errors.js';
import { cutLines, cutText } from '../internal/bounded-text.js';
import type { ProgramConfig } from './config.js';
import { expectationMap, invalidConfigError, issuesFromZod, oneIssueError } from './issues.js';
import { normalizeConfig, type NormalizeContext } from './normalize.js';
import { rawConfigSchema } from './schema-rules.js';
import { keepMockObserver } from '../providers/mock/script.js';
import { isRecord } from '../internal/is-record.js';

/** The two config languages. */
// The YAML parser is loaded on first use: most programs are TOML, and loading it costs every CLI
// start. It ships CommonJS as well, so a synchronous require keeps the loaders synchronous.
const requireModule = createRequire(import.meta.url);
let yamlModule: typeof import('yaml') | undefined;
function yaml(): typeof import('yaml') {
  yamlModule ??= requireModule('yaml') as typeof import('yaml');
  return yamlModule;
}

export type ConfigFormat = 'toml' | 'yaml';

const formatsByExtension: Record<string, ConfigFormat> = {
  '.toml': 'toml',
  '.yaml': 'yaml',
  '.yml': 'yaml',
};

/** The config format a file name implies, or undefined for any other extension. */
export function formatOfFile(filePath: string): ConfigFormat | undefined {
  return formatsByExtension[path.extname(filePath).toLowerCase()];
}

function validate(dict: unknown, context: NormalizeContext): ProgramConfig {
  const file = context.sourceFile;
  if (!isRecord(dict)) {
    throw oneIssueError(
      context.label,
      { path: [], message: 'must be a table of sections', showGot: true },
      dict,
      file,
    );
  }
  // An empty YAML section (`prompt:` with every line commented out) parses as null; read it as absent.
  const sections = Object.fromEntries(
    Object.entries(dict).filter(([key, value]) => key === 'model' || value !== null),
  );
  const result = rawConfigSchema.safeParse(sections, { error: expectationMap });
  if (!result.success)
    throw invalidConfigError(context.label, issuesFromZod(result.error), dict, file);
  const config = normalizeConfig(result.data, context);
  keepMockObserver(sections['mock'], config.mock);
  return config;
}

/**
 * Validate and normalize a config given as an object shaped like the TOML (snake_case keys).
 * Relative paths resolve against `baseDir` (default: the working directory); messages name
 * `sourceFile`, or `<dict>`.
 */
export function configFromDict(
  dict: unknown,
  options: { baseDir?: string; sourceFile?: string } = {},
): ProgramConfig {
  const sourceFile =
    options.sourceFile === undefined ? undefined : path.resolve(options.sourceFile);
  return validate(dict, {
    label: options.sourceFile ?? '<dict>',
    baseDir: path.resolve(options.baseDir ?? process.cwd()),
    ...(sourceFile === undefined ? {} : { sourceFile }),
  });
}

function syntaxError(
  format: ConfigFormat,
  file: string,
  line: number,
  column: number,
  reason: string,
  excerpt: string,
  cause: unknown,
): ConfigError {
  const language = format === 'toml' ? 'TOML' : 'YAML';
  // The excerpt quotes the file's lines; one line can be megabytes (minified data), so each is cut.
  // trimEnd, not /\s+$/: the caret line under a long line is a long run of spaces, and that regex
  // retries from every one of them (quadratic: a megabyte line hung the loader).
  const shown = excerpt.trim() === '' ? '' : `\n\n${cutLines(excerpt.trimEnd())}`;
  return new ConfigError(
    'CONFIG_SYNTAX',
    `Error loading ${language} file ${file}: line ${line}, column ${column}: ${cutText(reason)}${shown}`,
    {
      file: path.resolve(file),
      cause,
      details: { line, column },
    },
  );
}

/**
 * smol-toml's reason, made plainer where it misleads: a string left open at the end of its line is
 * reported as a control character (the line break) inside it.
 */
function tomlReason(error: TomlError, text: string): string {
  const reason = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '');
  if (reason !== 'control characters are not allowed in strings') return reason;
  const lineText = (text.split('\n')[error.line - 1] ?? '').replace(/\r$/, '');
  if (error.column - 1 < lineText.length) return reason;
  return `unfinished string: a string must end on the line it starts (use """ or ''' for text over several lines)`;
}

function parseText(text: string, format: ConfigFormat, file: string): unknown {
  try {
    if (format === 'toml') return parseToml(text);
    // An empty YAML document is null; treat it as an empty table so the error is "model is required".
    return yaml().parse(text) ?? {};
  } catch (error) {
    if (error instanceof TomlError) {
      throw syntaxError(
        format,
        file,
        error.line,
        error.column,
        tomlReason(error, text),
        error.codeblock,
        error,
      );
    }
    if (error instanceof yaml().YAMLParseError) {
      const [head = '', ...rest] = error.message.split('\n');
      const reason = head.replace(/ at line \d+, column \d+:?$/, '');
      const start = error.linePos?.[0];
      throw syntaxError(
        format,
        file,
        start?.line ?? 0,
        start?.col ?? 0,
        reason,
        rest.join('\n'),
        error,
      );
    }
    const language = format === 'toml' ? 'TOML' : 'YAML';
    throw new ConfigError(
      'CONFIG_SYNTAX',
      `Error loading ${language} file ${file}: ${errorMessage(error)}`,
      {
        file: path.resolve(file),
        cause: error,
      },
    );
  }
}

/**
 * Parse config text as if read from `file` (used in messages; relative paths resolve against its
 * folder), then validate and normalize it.
 */
export function parseConfigText(text: string, format: ConfigFormat, file: string): ProgramConfig {
  const dict = parseText(text, format, file);
  const sourceFile = path.resolve(file);
  return validate(dict, { label: file, baseDir: path.dirname(sourceFile), sourceFile });
}

/**
 * Load a `.toml`, `.yaml` or `.yml` program file (the format follows the extension unless
 * `options.format` is given). Relative paths in it resolve against the file's folder.
 */
export function loadConfigFile(
  filePath: string,
  options: { format?: ConfigFormat } = {},
): ProgramConfig {
  const format = options.format ?? formatOfFile(filePath);
  if (format === undefined) {
    const ext = path.extname(filePath) || '(none)';
    throw new ConfigError(
      'CONFIG_UNSUPPORTED_FORMAT',
      `Unsupported file format: ${ext} (expected .toml, .yaml, or .yml)`,
      {
        file: path.resolve(filePath),
      },
    );
  }
  const resolved = path.resolve(filePath);
  let text: string;
  try {
    text = fs.readFileSync(resolved, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    const what =
      code === 'ENOENT'
        ? 'Program file not found'
        : code === 'EISDIR'
          ? 'Program file is a directory'
          : 'Program file could not be read';
    const reason = code === 'ENOENT' || code === 'EISDIR' ? '' : `: ${errorMessage(error)}`;
    throw new ConfigError(
      'CONFIG_NOT_FOUND',
      `${what} - Specified: '${filePath}', Resolved: '${resolved}'${reason}`,
      {
        file: resolved,
        cause: error,
      },
    );
  }
  return parseConfigText(text, format, filePath);
}
