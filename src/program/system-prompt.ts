/**
 * The enriched system prompt a process sends: the program's prompt, then the `<env>` block, the
 * file-descriptor instructions and the `<preload>` block, separated by blank lines (0.9.2 order).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../errors.js';
import { getLogger } from '../internal/logger.js';
import type { ProgramConfig } from './config.js';
import { buildEnvBlock, type EnvBlockOptions } from './env-info.js';

export { buildEnvBlock, type EnvBlockOptions } from './env-info.js';

/** Options of {@link buildEnrichedSystemPrompt}. */
export interface EnrichedPromptOptions extends EnvBlockOptions {
  /** The fd system's instructions, when the caller enabled it; placed between env and preload. */
  fileDescriptorInstructions?: string;
}

async function readPreloadFile(given: string, resolved: string): Promise<string | undefined> {
  const warn = (what: string, extra = ''): undefined => {
    getLogger().warn(`${what} - Specified: '${given}', Resolved: '${resolved}'${extra}`);
    return undefined;
  };
  const stat = await fs.stat(resolved).catch(() => undefined);
  if (stat === undefined) {
    warn('Preload file not found');
    return;
  }
  if (!stat.isFile()) {
    warn('Preload path is not a file');
    return;
  }
  try {
    return await fs.readFile(resolved, 'utf8');
  } catch (error) {
    warn('Error reading preload file', `, Error: ${errorMessage(error)}`);
    return;
  }
}

/**
 * `<preload>` with one `<file path="<base name>">` element per readable file, or "" when none could
 * be read. Relative paths resolve against `cwd`; missing files and folders are warned about and skipped.
 */
export async function buildPreloadBlock(
  files: readonly string[],
  options: { cwd?: string } = {},
): Promise<string> {
  const cwd = options.cwd ?? process.cwd();
  const seen = new Set<string>();
  const elements: string[] = [];
  for (const given of files) {
    const resolved = path.resolve(cwd, given);
    // The original keys preloaded content by path, so a file listed twice appears once.
    if (seen.has(resolved)) continue;
    seen.add(resolved);
    const content = await readPreloadFile(given, resolved);
    if (content !== undefined)
      elements.push(`<file path="${path.basename(resolved)}">\n${content}\n</file>`);
  }
  return elements.length === 0 ? '' : `<preload>\n${elements.join('\n')}\n</preload>`;
}

/**
 * The system prompt a process sends: base prompt (kept even when empty), env block, fd
 * instructions, preload block, joined by blank lines; empty parts after the first are left out.
 */
export async function buildEnrichedSystemPrompt(
  config: ProgramConfig,
  options: EnrichedPromptOptions = {},
): Promise<string> {
  const cwd = options.cwd ?? process.cwd();
  const envBlock = await buildEnvBlock(config.envInfo, { ...options, cwd });
  const preloadBlock = await buildPreloadBlock(config.preload.files, { cwd });
  const extras = [envBlock, options.fileDescriptorInstructions ?? '', preloadBlock].filter(
    (part) => part !== '',
  );
  return [config.systemPrompt, ...extras].join('\n\n');
}
