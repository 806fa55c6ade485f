/**
 * A program written in code is checked like a config file: every key of `new LLMProgram({...})` and
 * of its nested option objects must be one it reads. A key it does not know would otherwise be
 * dropped without a word (`system_prompt` where code spells `systemPrompt`), so it is an error that
 * names the key and, when one is close, the option meant.
 */
import type { ModelPrice } from '../cost/price-table.js';
import type { Budget } from '../process/budget.js';
import { issueList, invalidConfigError, type ConfigIssue, type IssueCollector } from './issues.js';
import { closestName } from '../internal/suggest.js';
import { isPlainObject } from '../internal/is-record.js';
import type { ProgramOptions } from './options.js';
import { knownParameterNames } from './params.js';

/** Where these errors say they come from. */
export const codeConfigLabel = 'new LLMProgram()';

// `satisfies Record<keyof T, true>` makes the compiler keep each list equal to its interface: a key
// missing here or one the interface lacks is a type error.
const programOptionKeys = Object.keys({
  model: true,
  provider: true,
  systemPrompt: true,
  systemPromptFile: true,
  userPrompt: true,
  displayName: true,
  parameters: true,
  maxIterations: true,
  budget: true,
  tools: true,
  toolAliases: true,
  fileRoots: true,
  maxReadBytes: true,
  maxToolResultChars: true,
  preloadFiles: true,
  envInfo: true,
  fileDescriptor: true,
  mcpConfigPath: true,
  mcpServers: true,
  mcpTools: true,
  linkedPrograms: true,
  disableAutomaticCaching: true,
  projectId: true,
  region: true,
  baseUrl: true,
  apiKeyEnv: true,
  deployment: true,
  apiVersion: true,
  stream: true,
  price: true,
  mock: true,
  baseDir: true,
} satisfies Record<keyof ProgramOptions, true>);

const budgetKeys = Object.keys({
  maxTokens: true,
  maxCostUsd: true,
  timeoutMs: true,
} satisfies Record<keyof Budget, true>);

const priceKeys = Object.keys({
  input: true,
  output: true,
  cacheRead: true,
  cacheWrite: true,
} satisfies Record<keyof ModelPrice, true>);

const linkedEntryKeys = ['program', 'description'];

/**
 * Config-file names whose code option is spelled differently, not just in camelCase: the option a
 * user who knows the TOML most likely meant.
 */
const fileNameToOption: Readonly<Record<string, keyof ProgramOptions>> = {
  name: 'model',
  system: 'systemPrompt',
  prompt: 'systemPrompt',
  user: 'userPrompt',
  user_prompt: 'userPrompt',
  builtin: 'tools',
  aliases: 'toolAliases',
  file_roots: 'fileRoots',
  max_result_chars: 'maxToolResultChars',
  preload: 'preloadFiles',
  files: 'preloadFiles',
  mcp: 'mcpServers',
  servers: 'mcpServers',
  config_path: 'mcpConfigPath',
  base_dir: 'baseDir',
  api_key_env: 'apiKeyEnv',
  api_version: 'apiVersion',
};

function unknownKeyIssue(
  path: readonly PropertyKey[],
  known: readonly string[],
  meant: string | undefined,
): ConfigIssue {
  if (meant !== undefined)
    return { path, message: `is not an option (did you mean "${meant}"?)`, showGot: true };
  return {
    path,
    message: `is not an option (expected one of: ${known.join(', ')})`,
    showGot: true,
    knownKeys: known,
  };
}

function checkKeys(
  value: unknown,
  path: readonly PropertyKey[],
  known: readonly string[],
  out: IssueCollector,
  meantFor: (key: string) => string | undefined = () => undefined,
): void {
  if (!isPlainObject(value)) return;
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    out.add(() => unknownKeyIssue([...path, key], known, meantFor(key)));
  }
}

/**
 * The option a top-level key most likely meant: an option's own name misspelt or in snake_case, a
 * config-file name (`system` → `systemPrompt`), or an API parameter, which goes in `parameters`.
 */
function meantAtTopLevel(key: string): string | undefined {
  const option = closestName(key, programOptionKeys);
  if (option !== undefined) return option;
  const fileName = closestName(key, Object.keys(fileNameToOption));
  if (fileName !== undefined) return fileNameToOption[fileName];
  const parameter = closestName(key, knownParameterNames);
  return parameter === undefined ? undefined : `parameters: { ${parameter} }`;
}

/**
 * Throw a CONFIG_INVALID {@link ConfigError} naming every key of `options` (and of its `budget`,
 * `price` and `linkedPrograms` entries) that a program does not read. The sections passed on as
 * config tables (`parameters`, `envInfo`, `fileDescriptor`, `mcpServers`, `mcpTools`, `mock`) are
 * checked by the config schema itself, in their config-file spelling.
 */
export function checkProgramOptionKeys(options: unknown): void {
  const out = issueList();
  checkKeys(options, [], programOptionKeys, out, meantAtTopLevel);
  if (isPlainObject(options)) {
    checkKeys(options['budget'], ['budget'], budgetKeys, out);
    checkKeys(options['price'], ['price'], priceKeys, out);
    const linked = options['linkedPrograms'];
    if (isPlainObject(linked)) {
      for (const [name, entry] of Object.entries(linked))
        checkKeys(entry, ['linkedPrograms', name], linkedEntryKeys, out);
    }
  }
  if (out.total > 0)
    throw invalidConfigError(
      codeConfigLabel,
      { issues: out.issues, total: out.total },
      options,
      undefined,
    );
}
