/**
 * The `<env>` block of the system prompt (`[env_info]`): standard variables, custom lines, values of
 * environment variables, and the output of shell commands, computed once at start().
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { getLogger } from '../internal/logger.js';
import type { EnvInfoConfig } from './config.js';

/** What the env block depends on besides the config; tests pin these. */
export interface EnvBlockOptions {
  /** Working directory: `working_directory`, the file map's default root, where commands run. Default: `process.cwd()`. */
  cwd?: string;
  /** Where `env_vars` are looked up. Default: `process.env`. Commands always inherit `process.env`. */
  env?: Record<string, string | undefined>;
  /** The moment `date` shows. Default: now. */
  now?: Date;
}

/**
 * Folders the file map does not enter: they hold thousands of files no model needs listed, and
 * walking them would slow every start().
 */
const skippedFolders = new Set(['.git', 'node_modules']);

function localDate(now: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Lower-case OS name as the original reports it (Python's `platform.system().lower()`). */
function platformName(): string {
  return process.platform === 'win32' ? 'windows' : process.platform;
}

function username(env: Record<string, string | undefined>): string {
  try {
    return os.userInfo().username;
  } catch {
    // userInfo() throws when the uid has no passwd entry (some containers).
    return env['USER'] ?? env['USERNAME'] ?? 'unknown';
  }
}

async function listFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  async function walk(dir: string): Promise<void> {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skippedFolders.has(entry.name)) await walk(full);
      } else if (entry.isFile()) files.push(full);
    }
  }
  await walk(root);
  return files;
}

/** `file_map:` then one `  relpath (N bytes)` line per file, capped, then `  ... (k more files)`. */
export async function buildFileMapLines(envInfo: EnvInfoConfig, cwd: string): Promise<string[]> {
  const root = path.resolve(cwd, envInfo.fileMapRoot ?? '.');
  const stat = await fs.stat(root).catch(() => undefined);
  if (stat === undefined || !stat.isDirectory()) {
    getLogger().warn(`file_map_root does not exist or is not a directory: ${root}`);
    return [];
  }
  const files = await listFiles(root);
  const lines = ['file_map:'];
  for (const file of files.slice(0, envInfo.fileMapMaxFiles)) {
    const relative = path.relative(root, file).split(path.sep).join('/');
    let size = '';
    if (envInfo.fileMapShowSize) {
      const fileStat = await fs.stat(file).catch(() => undefined);
      if (fileStat !== undefined) size = ` (${fileStat.size} bytes)`;
    }
    lines.push(`  ${relative}${size}`);
  }
  if (files.length > envInfo.fileMapMaxFiles)
    lines.push(`  ... (${files.length - envInfo.fileMapMaxFiles} more files)`);
  return lines;
}

/** Run one command through the shell; stdout and stderr together, in arrival order. */
function runCommand(command: string, cwd: string): Promise<{ output: string; failure?: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const child = spawn(command, { shell: true, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', (error) => {
      getLogger().warn(`Unexpected error running env_info command '${command}': ${error.message}`);
      resolve({ output: Buffer.concat(chunks).toString('utf8'), failure: 'error' });
    });
    child.on('close', (code, signal) => {
      const output = Buffer.concat(chunks).toString('utf8');
      if (code === 0) resolve({ output });
      else resolve({ output, failure: `error(${code ?? signal ?? 'unknown'})` });
    });
  });
}

/** `> cmd`, its output lines, `error(<code>)` on failure; a blank line between commands. */
export async function buildCommandLines(
  commands: readonly string[],
  cwd: string,
): Promise<string[]> {
  const lines: string[] = [];
  for (const [index, command] of commands.entries()) {
    if (index > 0) lines.push('');
    lines.push(`> ${command}`);
    // One at a time and in order: commands may depend on each other's side effects.
    const { output, failure } = await runCommand(command, cwd);
    const trimmed = output.trim();
    if (trimmed !== '') lines.push(...trimmed.split(/\r\n|\r|\n/));
    if (failure !== undefined) lines.push(failure);
  }
  return lines;
}

async function variableLines(
  envInfo: EnvInfoConfig,
  options: Required<EnvBlockOptions>,
): Promise<string[]> {
  const lines: string[] = [];
  for (const name of envInfo.variables) {
    switch (name) {
      case 'working_directory':
        lines.push(`working_directory: ${options.cwd}`);
        break;
      case 'platform':
        lines.push(`platform: ${platformName()}`);
        break;
      case 'date':
        lines.push(`date: ${localDate(options.now)}`);
        break;
      case 'node_version':
        lines.push(`node_version: ${process.versions.node}`);
        break;
      case 'hostname':
        lines.push(`hostname: ${os.hostname()}`);
        break;
      case 'username':
        lines.push(`username: ${username(options.env)}`);
        break;
      case 'file_map':
        lines.push(...(await buildFileMapLines(envInfo, options.cwd)));
        break;
      default:
        // Names are validated at load; an unknown one here came from code that built the config by hand.
        getLogger().warn(`Unknown env_info variable '${name}' skipped`);
    }
  }
  return lines;
}

/**
 * The `<env>...</env>` block, or "" when `variables` and `commands` are both empty (custom keys and
 * env_vars alone produce nothing, as in the original) or nothing produced a line.
 */
export async function buildEnvBlock(
  envInfo: EnvInfoConfig,
  options: EnvBlockOptions = {},
): Promise<string> {
  if (envInfo.variables.length === 0 && envInfo.commands.length === 0) return '';
  const resolved: Required<EnvBlockOptions> = {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
    now: options.now ?? new Date(),
  };
  const lines = [
    ...(await variableLines(envInfo, resolved)),
    ...Object.entries(envInfo.custom).map(([key, value]) => `${key}: ${value}`),
    ...Object.entries(envInfo.envVars).flatMap(([label, name]) => {
      const value = resolved.env[name];
      return value ? [`${label}: ${value.trimEnd()}`] : [];
    }),
    ...(await buildCommandLines(envInfo.commands, resolved.cwd)),
  ];
  return lines.length === 0 ? '' : `<env>\n${lines.join('\n')}\n</env>`;
}
