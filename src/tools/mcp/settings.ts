import { getLogger } from '../../internal/logger.js';

/** The environment variables that tune MCP, read once per {@link connectMcpTools} call. */
export interface McpSettings {
  /** LLMPROC_TOOL_FETCH_TIMEOUT: connecting to one server and listing its tools. */
  fetchTimeoutMs: number;
  /** LLMPROC_TOOL_CALL_TIMEOUT: one tool call. */
  callTimeoutMs: number;
  /** LLMPROC_FAIL_ON_MCP_INIT_TIMEOUT: false turns a server that cannot be listed into a warning. */
  failOnInitError: boolean;
}

const defaultTimeoutSeconds = 30;

function seconds(env: Record<string, string | undefined>, name: string): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return defaultTimeoutSeconds * 1000;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    getLogger().warn(
      `${name} must be a positive number of seconds; got "${raw}", using ${defaultTimeoutSeconds}`,
    );
    return defaultTimeoutSeconds * 1000;
  }
  return Math.round(value * 1000);
}

function flag(env: Record<string, string | undefined>, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  getLogger().warn(`${name} must be true or false; got "${raw}", using ${String(fallback)}`);
  return fallback;
}

/** Read the MCP settings from an environment (fractional seconds are allowed). */
export function readMcpSettings(env: Record<string, string | undefined>): McpSettings {
  return {
    fetchTimeoutMs: seconds(env, 'LLMPROC_TOOL_FETCH_TIMEOUT'),
    callTimeoutMs: seconds(env, 'LLMPROC_TOOL_CALL_TIMEOUT'),
    failOnInitError: flag(env, 'LLMPROC_FAIL_ON_MCP_INIT_TIMEOUT', true),
  };
}
