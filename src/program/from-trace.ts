/**
 * `LLMProgram.fromTrace(path)`: the recorded program, rebuilt from the trace header, whose processes
 * answer model calls from the recording (traces/replay/). Linked programs come from the header too,
 * not from their files, so a trace replays on another machine; values of MCP servers' `env` tables,
 * never recorded, are read from this process's environment under the same names.
 */
import { LlmprocError } from '../errors.js';
import { z } from '../internal/zod.js';
import { redacted } from '../internal/redact.js';
import { providerNames } from '../providers/registry.js';
import { resolvedPaths } from '../traces/config-paths.js';
import { readTrace } from '../traces/read.js';
import { recordingOf } from '../traces/replay/recording.js';
import { ReplaySession, type ReplayOptions } from '../traces/replay/session.js';
import type { ProgramConfig } from './config.js';

/** What ties a replayed program to its replay: the session and the program's key in the header. */
export interface ReplayBinding {
  session: ReplaySession;
  key: string;
}

// The header holds a normalized ProgramConfig written by llmproc itself; this checks the parts the
// replay reads before trusting the rest.
const recordedConfigSchema = z.looseObject({
  model: z.string(),
  provider: z.string().refine((name) => (providerNames as readonly string[]).includes(name), {
    message: `must be one of ${providerNames.join(', ')}`,
  }),
  displayName: z.string(),
  systemPrompt: z.string(),
  parameters: z.record(z.string(), z.unknown()),
  tools: z.looseObject({
    builtin: z.array(z.looseObject({ name: z.string() })),
    mcp: z.record(z.string(), z.unknown()),
    aliases: z.record(z.string(), z.string()),
  }),
  linkedPrograms: z.record(z.string(), z.looseObject({ description: z.string() })),
  envInfo: z.looseObject({}),
  preload: z.looseObject({}),
});

function restoreMcpEnv(config: ProgramConfig): ProgramConfig {
  const servers = config.mcp?.servers;
  if (!config.mcp || !servers) return config;
  const restored = Object.fromEntries(
    Object.entries(servers).map(([name, server]) => [
      name,
      {
        ...server,
        env: Object.fromEntries(
          Object.entries(server.env).map(([key, value]) => [
            key,
            value === redacted ? (process.env[key] ?? '') : value,
          ]),
        ),
      },
    ]),
  );
  return { ...config, mcp: { ...config.mcp, servers: restored } };
}

/** A recorded program configuration, checked, with linked programs left to the caller. */
export function recordedConfig(file: string, key: string, value: unknown): ProgramConfig {
  const parsed = recordedConfigSchema.safeParse(value);
  if (!parsed.success) {
    throw new LlmprocError(
      'TRACE_INVALID',
      `${file}: the header's program "${key}" is not a program configuration: ${z.prettifyError(parsed.error).replaceAll('\n', '; ')}`,
      { details: { file, program: key } },
    );
  }
  const config = parsed.data as unknown as ProgramConfig;
  // Paths are relative to the recording's working directory (absolute in older traces).
  return resolvedPaths(restoreMcpEnv({ ...config, linkedPrograms: {} }));
}

/** Read a trace and start a replay session for it; the caller builds programs from `configs`. */
export function openReplay(
  file: string,
  options: ReplayOptions,
): { session: ReplaySession; configs: Record<string, unknown> } {
  const trace = readTrace(file);
  const session = new ReplaySession(recordingOf(trace), options);
  return { session, configs: trace.header.programs };
}
