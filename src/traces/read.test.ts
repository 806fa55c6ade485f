import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkingProgram } from '../../test/support/trace-programs.js';
import { recordTo } from '../index.js';
import { parseTrace, readTrace } from './read.js';

let dir: string;
let file: string;
let text: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'llmproc-read-'));
  file = path.join(dir, 'run.jsonl');
  const recorder = recordTo(file);
  const proc = await forkingProgram().start().addCallback(recorder);
  await proc.run('do both');
  await recorder.close();
  text = readFileSync(file, 'utf8');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function lineCount(): number {
  return text.trimEnd().split('\n').length;
}

describe('readTrace', () => {
  it('reads back every process, event and exchange of a recording', () => {
    const trace = readTrace(file);
    expect([...trace.processes.keys()]).toHaveLength(3);
    expect(trace.exchanges).toHaveLength(7);
    expect(trace.inputs.map((input) => input.content)).toEqual(['do both']);
    expect(trace.events.length + trace.exchanges.length + trace.inputs.length + 3 + 1).toBe(
      lineCount(),
    );
  });

  it('names the cut-off last line of a truncated trace', () => {
    const cut = text.slice(0, text.length - 20);
    expect(() => parseTrace(cut, 'run.jsonl')).toThrow(
      new RegExp(
        `^run\\.jsonl:${String(lineCount())}: not a valid trace line \\(the line is cut off`,
      ),
    );
  });

  it('names a corrupt line in the middle', () => {
    const lines = text.split('\n');
    lines[4] = '{"type":"event","seq":';
    expect(() => parseTrace(lines.join('\n'), 'run.jsonl')).toThrow(
      /^run\.jsonl:5: not a valid trace line: /,
    );
    lines[4] = '{"type":"event","seq":"five"}';
    expect(() => parseTrace(lines.join('\n'), 'run.jsonl')).toThrow(
      /^run\.jsonl:5: not a valid event line: .*seq/,
    );
  });

  it('says which format version it supports when a trace is newer', () => {
    const newer = text.replace('"version":1', '"version":2');
    expect(() => parseTrace(newer, 'new.jsonl')).toThrow(
      /^new\.jsonl is in trace format version 2 .* reads format version 1 and older: upgrade llmproc/,
    );
    try {
      parseTrace(newer, 'new.jsonl');
    } catch (error) {
      expect(error).toMatchObject({ code: 'TRACE_UNSUPPORTED_VERSION' });
    }
  });

  it('rejects files that are not traces, and skips line types it does not know', () => {
    expect(() => parseTrace('', 'empty.jsonl')).toThrow(
      'empty.jsonl is empty: not an llmproc trace',
    );
    expect(() => parseTrace('{"name":"x"}\n', 'other.jsonl')).toThrow(
      'other.jsonl:1: not an llmproc trace',
    );
    const withFuture = text + '{"type":"annotation","note":"from a later llmproc"}\n';
    expect(parseTrace(withFuture, 'x.jsonl').events).toHaveLength(readTrace(file).events.length);
  });

  it('names the file it cannot read', () => {
    const missing = path.join(dir, 'nope.jsonl');
    expect(() => readTrace(missing)).toThrow(`Cannot read trace ${missing}: ENOENT`);
  });
});
