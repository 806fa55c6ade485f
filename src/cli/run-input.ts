/**
 * What the CLI adds to each run from its flags: the `--output-schema` JSON Schema, and how the answer
 * is printed (the structured answer as JSON when there is one, else the final text).
 */
import { readFile } from 'node:fs/promises';
import {
  LlmprocError,
  type JsonSchema,
  type LLMProcess,
  type RunInput,
  type RunResult,
} from '../index.js';
import type { CliAttachment } from './args.js';

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Read `--output-schema FILE`; the error names the flag and the file. */
export async function readOutputSchema(file: string): Promise<JsonSchema> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new LlmprocError(
      'OUTPUT_SCHEMA_INVALID',
      `--output-schema ${file}: ${errorMessage(error)}`,
      {
        cause: error,
      },
    );
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    throw new LlmprocError(
      'OUTPUT_SCHEMA_INVALID',
      `--output-schema ${file}: not JSON (${errorMessage(error)})`,
      { cause: error },
    );
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new LlmprocError(
      'OUTPUT_SCHEMA_INVALID',
      `--output-schema ${file}: must hold a JSON Schema object`,
    );
  }
  return schema as JsonSchema;
}

/** The answer as printed on stdout: the structured answer as one line of JSON, else the text. */
export function answerText(result: RunResult): string {
  return result.output === undefined ? result.lastMessage : JSON.stringify(result.output);
}

/** What `--json` prints: the run result plus the process's stderr log (as the original's JSON). */
export function jsonOutput(result: RunResult, proc: LLMProcess): string {
  return JSON.stringify({ ...result.toJSON(), stderr: proc.getStderrLog() });
}

/** A prompt with the `--image`/`--file` flags' files after it (docs/input.md), or the bare text. */
export function promptInput(text: string, attachments: readonly CliAttachment[]): RunInput {
  if (attachments.length === 0) return text;
  return [{ type: 'text', text }, ...attachments.map(({ kind, path }) => ({ type: kind, path }))];
}
