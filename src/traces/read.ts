/**
 * Reading a trace back (format.ts). Every failure names the file and, where there is one, the line:
 * a cut-off last line (a recording that was interrupted), a line that is not JSON, a line of the
 * wrong shape, a file that is not a trace, or a trace of a newer format version.
 */
import { readFileSync } from 'node:fs';
import { LlmprocError, errorMessage } from '../errors.js';
import { z } from '../internal/zod.js';
import { llmprocVersion } from '../internal/version.js';
import type { JsonValue } from './json-safe.js';
import {
  traceFormatName,
  traceFormatVersion,
  type TraceEvent,
  type TraceExchange,
  type TraceHeader,
  type TraceInput,
  type TraceProcess,
} from './format.js';

/** A trace as read: lines by kind, each list in file order (which is `seq` order). */
export interface Trace {
  file: string;
  header: TraceHeader;
  processes: Map<number, TraceProcess>;
  events: TraceEvent[];
  exchanges: TraceExchange[];
  inputs: TraceInput[];
}

const jsonValue: z.ZodType<JsonValue> = z.json();

const headerSchema = z.looseObject({
  type: z.literal('header'),
  format: z.literal(traceFormatName),
  version: z.number().int().positive(),
  llmprocVersion: z.string(),
  startTime: z.string(),
  programs: z.record(z.string(), jsonValue),
});

const processSchema = z.looseObject({
  type: z.literal('process'),
  pid: z.number().int(),
  parentPid: z.number().int().optional(),
  program: z.string().optional(),
  displayName: z.string(),
  model: z.string(),
  provider: z.string(),
  systemPrompt: z.string(),
  tools: z.array(
    z.looseObject({ name: z.string(), description: z.string(), inputSchema: jsonValue }),
  ),
});

const eventSchema = z.looseObject({
  type: z.literal('event'),
  seq: z.number(),
  time: z.number(),
  pid: z.number().int(),
  parentPid: z.number().int().optional(),
  name: z.string(),
  args: z.array(jsonValue),
});

const exchangeSchema = z.looseObject({
  type: z.literal('exchange'),
  pid: z.number().int(),
  turn: z.number().int(),
  provider: z.string(),
  model: z.string(),
  requestSeq: z.number(),
  responseSeq: z.number(),
  startTime: z.number(),
  endTime: z.number(),
  durationMs: z.number(),
});

const runOptionsSchema = z.looseObject({
  output: z.record(z.string(), jsonValue).optional(),
  // Their ranges are run()'s to check, with its own messages.
  outputRetries: z.number().optional(),
  maxIterations: z.number().optional(),
  maxTokens: z.number().optional(),
  maxCostUsd: z.number().optional(),
  timeoutMs: z.number().optional(),
  stream: z.boolean().optional(),
});

const inputSchema = z.looseObject({
  type: z.literal('input'),
  pid: z.number().int(),
  seq: z.number(),
  content: jsonValue,
  options: runOptionsSchema.optional(),
});

function invalid(message: string, details: Record<string, unknown>): LlmprocError {
  return new LlmprocError('TRACE_INVALID', message, { details });
}

function parseLine(file: string, lineNumber: number, text: string, isLast: boolean): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const cutOff = isLast
      ? ' (the line is cut off: the recording was interrupted or the file truncated)'
      : '';
    throw invalid(
      `${file}:${String(lineNumber)}: not a valid trace line${cutOff}: ${errorMessage(error)}`,
      {
        file,
        line: lineNumber,
      },
    );
  }
}

function checked<T>(
  schema: z.ZodType<T>,
  value: unknown,
  file: string,
  lineNumber: number,
  what: string,
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalid(
    `${file}:${String(lineNumber)}: not a valid ${what} line: ${z.prettifyError(result.error).replaceAll('\n', '; ')}`,
    { file, line: lineNumber },
  );
}

function checkHeader(value: unknown, file: string): TraceHeader {
  const record =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  if (record['type'] !== 'header' || record['format'] !== traceFormatName) {
    throw invalid(
      `${file}:1: not an llmproc trace (the first line must be a header with "format": "${traceFormatName}")`,
      { file, line: 1 },
    );
  }
  const version = record['version'];
  if (typeof version === 'number' && version > traceFormatVersion) {
    const writer = typeof record['llmprocVersion'] === 'string' ? record['llmprocVersion'] : '?';
    throw new LlmprocError(
      'TRACE_UNSUPPORTED_VERSION',
      `${file} is in trace format version ${String(version)} (written by llmproc ${writer}); ` +
        `this llmproc (${llmprocVersion()}) reads format version ${String(traceFormatVersion)} and older: upgrade llmproc to read it`,
      { details: { file, version, supported: traceFormatVersion } },
    );
  }
  return checked(headerSchema, value, file, 1, 'header');
}

/** Parse a trace's text; `file` names it in errors. */
export function parseTrace(text: string, file: string): Trace {
  const lines = text.split('\n');
  const endsWithNewline = lines.at(-1) === '';
  if (endsWithNewline) lines.pop();
  if (lines.length === 0 || lines.every((line) => line.trim() === '')) {
    throw invalid(`${file} is empty: not an llmproc trace`, { file });
  }
  const trace: Trace = {
    file,
    header: checkHeader(
      parseLine(file, 1, lines[0] ?? '', lines.length === 1 && !endsWithNewline),
      file,
    ),
    processes: new Map(),
    events: [],
    exchanges: [],
    inputs: [],
  };
  for (let i = 1; i < lines.length; i++) {
    const text = lines[i] ?? '';
    if (text.trim() === '') continue;
    const lineNumber = i + 1;
    const value = parseLine(file, lineNumber, text, i === lines.length - 1 && !endsWithNewline);
    const type = (value as { type?: unknown } | null)?.type;
    switch (type) {
      case 'process': {
        const line = checked(processSchema, value, file, lineNumber, 'process') as TraceProcess;
        trace.processes.set(line.pid, line);
        break;
      }
      case 'event':
        trace.events.push(checked(eventSchema, value, file, lineNumber, 'event') as TraceEvent);
        break;
      case 'exchange':
        trace.exchanges.push(checked(exchangeSchema, value, file, lineNumber, 'exchange'));
        break;
      case 'input':
        trace.inputs.push(checked(inputSchema, value, file, lineNumber, 'input') as TraceInput);
        break;
      case 'header':
        throw invalid(`${file}:${String(lineNumber)}: a second header (two traces in one file?)`, {
          file,
          line: lineNumber,
        });
      default:
        if (typeof type !== 'string') {
          throw invalid(`${file}:${String(lineNumber)}: a trace line needs a string "type"`, {
            file,
            line: lineNumber,
          });
        }
      // A line type added by a later llmproc of the same format version: skipped, as promised.
    }
  }
  return trace;
}

/** Read and parse a trace file. */
export function readTrace(file: string): Trace {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new LlmprocError('TRACE_INVALID', `Cannot read trace ${file}: ${errorMessage(cause)}`, {
      cause,
      details: { file },
    });
  }
  return parseTrace(text, file);
}
