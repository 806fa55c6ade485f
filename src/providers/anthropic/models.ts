/**
 * What a Claude model can do, read from its id. Ids are matched anywhere in the string, so dated ids
 * (`claude-sonnet-4-5-20250929`), Vertex ids (`claude-opus-4-6@20260205`) and Bedrock ids
 * (`anthropic.claude-haiku-4-5-20251001-v1:0`) match too. An id this cannot read (a new family, a
 * gateway alias) is given the benefit of the doubt: the API is the judge.
 */

export interface ClaudeVersion {
  family: string;
  major: number;
  minor: number;
}

/**
 * The family and version in a Claude model id, or undefined: `claude-opus-4-6` -> opus 4.6, and the
 * Claude 3 spelling with the version first, `claude-3-7-sonnet-latest` -> sonnet 3.7.
 */
export function claudeVersion(model: string): ClaudeVersion | undefined {
  const familyFirst = /claude-(opus|sonnet|haiku)-(\d+)(?:-(\d{1,2})(?!\d))?/.exec(model);
  if (familyFirst) return version(familyFirst[1], familyFirst[2], familyFirst[3]);
  const versionFirst = /claude-(\d)(?:-(\d))?-(opus|sonnet|haiku)/.exec(model);
  if (versionFirst) return version(versionFirst[3], versionFirst[1], versionFirst[2]);
  return undefined;
}

function version(
  family: string | undefined,
  major: string | undefined,
  minor: string | undefined,
): ClaudeVersion {
  return {
    family: family ?? '',
    major: Number(major),
    minor: minor === undefined ? 0 : Number(minor),
  };
}

function atLeast(version: ClaudeVersion, major: number, minor: number): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}

/**
 * Whether the model takes `thinking = { type = "adaptive" }`: Claude Opus 4.6, Sonnet 4.6 and every
 * later model (Anthropic's adaptive thinking docs); older ones need `type = "enabled"` with a budget.
 */
export function supportsAdaptiveThinking(model: string): boolean {
  const version = claudeVersion(model);
  return version === undefined || atLeast(version, 4, 6);
}

/**
 * Whether the model takes `output_config.effort`: Claude Opus 4.5, and the 4.6 generation and later
 * (Anthropic's effort docs).
 */
export function supportsEffort(model: string): boolean {
  const version = claudeVersion(model);
  if (version === undefined) return true;
  return atLeast(version, 4, 6) || (version.family === 'opus' && atLeast(version, 4, 5));
}

/**
 * Whether the model takes `output_config.format` (GA structured outputs): Claude Opus 4.1 and later,
 * Sonnet 4.5 and later, Haiku 4.5 and later, and every later generation.
 */
export function hasNativeStructuredOutput(model: string): boolean {
  const version = claudeVersion(model);
  if (version === undefined) return false;
  return atLeast(version, 4, version.family === 'opus' ? 1 : 5);
}
