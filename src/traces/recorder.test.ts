import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forkingProgram } from '../../test/support/trace-programs.js';
import { LLMProgram, recordTo, setLogger, type Logger } from '../index.js';
import type { TraceEvent, TraceExchange, TraceLine } from './format.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'llmproc-trace-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function readLines(file: string): TraceLine[] {
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as TraceLine);
}

describe('recordTo', () => {
  it('writes a header, then each process before its first event, every event in seq order and one exchange per model call', async () => {
    const file = path.join(dir, 'run.jsonl');
    const recorder = recordTo(file);
    const proc = await forkingProgram().start().addCallback(recorder);
    const result = await proc.run('do both');
    await recorder.close();

    const lines = readLines(file);
    expect(lines[0]).toMatchObject({
      type: 'header',
      format: 'llmproc-trace',
      version: 1,
      programs: { main: { model: 'mock', provider: 'mock', systemPrompt: 'You split work.' } },
    });
    const processes = lines.filter((line) => line.type === 'process');
    expect(processes.map((p) => [p.pid, p.parentPid])).toEqual([
      [proc.pid, undefined],
      [proc.pid + 1, proc.pid],
      [proc.pid + 2, proc.pid],
    ]);
    expect(processes[0]).toMatchObject({
      program: 'main',
      systemPrompt: proc.systemPrompt,
      tools: proc.tools.map((tool) => ({ name: tool.name })),
    });
    const events = lines.filter((line): line is TraceEvent => line.type === 'event');
    const seqs = events.map((event) => event.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // Each process line comes before the first event of its process.
    for (const p of processes) {
      const firstEvent = lines.findIndex((line) => line.type === 'event' && line.pid === p.pid);
      expect(lines.indexOf(p)).toBeLessThan(firstEvent);
    }
    const exchanges = lines.filter((line): line is TraceExchange => line.type === 'exchange');
    expect(exchanges).toHaveLength(result.apiCalls + 4);
    for (const exchange of exchanges) {
      const request = events.find((event) => event.seq === exchange.requestSeq);
      const response = events.find((event) => event.seq === exchange.responseSeq);
      expect(request?.name).toBe('api_request');
      expect(response?.name).toBe('api_response');
      expect(request?.pid).toBe(exchange.pid);
      expect(exchange.durationMs).toBe(exchange.endTime - exchange.startTime);
    }
    expect(exchanges.filter((e) => e.pid === proc.pid).map((e) => e.turn)).toEqual([1, 2, 3]);
    // Arguments are JSON: the tool result as the model saw it, the process as a reference.
    const failedTool = events.find((event) => event.name === 'tool_end');
    expect(failedTool?.args[1]).toMatchObject({ isError: true, abortExecution: false });
    const turnStart = events.find((event) => event.name === 'turn_start');
    expect(turnStart?.args).toEqual([{ $process: proc.pid }]);
    const lastTurnEnd = events.filter((event) => event.name === 'turn_end').at(-1);
    expect(lastTurnEnd?.args[1]).toMatchObject({ content: [{ text: result.lastMessage }] });
    // Events added after the recorder was written are recorded too, by name.
    expect(events.at(-1)).toMatchObject({ name: 'run_end', pid: proc.pid });
  });

  it('records text deltas of a streamed run and writes nothing after close', async () => {
    const file = path.join(dir, 'stream.jsonl');
    const recorder = recordTo(file);
    const proc = await new LLMProgram({
      model: 'mock',
      provider: 'mock',
      stream: true,
      mock: { turns: [{ text: 'one two three four five six' }] },
    })
      .start()
      .addCallback(recorder);
    await proc.run('hi');
    await recorder.close();
    const deltas = readLines(file)
      .filter((line): line is TraceEvent => line.type === 'event' && line.name === 'text_delta')
      .map((line) => line.args[0] as string);
    expect(deltas.join('')).toBe('one two three four five six');
    const size = readFileSync(file, 'utf8').length;
    await proc.run('again');
    expect(readFileSync(file, 'utf8').length).toBe(size);
  });

  it('writes to a stream it is given and leaves the stream open', async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
    const recorder = recordTo(stream);
    const proc = await new LLMProgram({
      model: 'mock',
      provider: 'mock',
      mock: { turns: [{ text: 'Hello there.' }] },
    })
      .start()
      .addCallback(recorder);
    await proc.run('hi');
    await recorder.close();
    expect(stream.writableEnded).toBe(false);
    const names = chunks
      .join('')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as TraceLine)
      .map((line) => (line.type === 'event' ? line.name : line.type));
    expect(names).toEqual([
      'header',
      'process',
      'input',
      'turn_start',
      'api_request',
      'api_response',
      'exchange',
      'response',
      'turn_end',
      'run_end',
    ]);
  });

  it('reports a failed write once through the logger and onError, and the run goes on', async () => {
    const failing = new Writable({
      write(_chunk, _encoding, callback) {
        callback(new Error('disk full'));
      },
    });
    const logged: string[] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (message) => logged.push(message),
      error: (message) => logged.push(message),
    };
    const previous = setLogger(logger);
    const errors: Error[] = [];
    try {
      const recorder = recordTo(failing, { onError: (error) => errors.push(error) });
      const proc = await forkingProgram().start().addCallback(recorder);
      const result = await proc.run('do both');
      expect(result.lastMessage).toBe('Both children finished: 42 and a note.');
      await new Promise((resolve) => setImmediate(resolve));
      await recorder.close();
    } finally {
      setLogger(previous);
    }
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('disk full');
    expect(logged.filter((line) => line.includes('Recording the trace'))).toHaveLength(1);
  });

  it('refuses a path it cannot open, before any run', () => {
    expect(() => recordTo(path.join(dir, 'missing-folder', 'run.jsonl'))).toThrow(
      /Cannot record a trace to .*missing-folder.*ENOENT/,
    );
  });

  it('never writes secret header values or MCP server environment values', async () => {
    const file = path.join(dir, 'secret.jsonl');
    const recorder = recordTo(file);
    const program = LLMProgram.fromDict({
      model: { name: 'mock', provider: 'mock' },
      parameters: { extra_headers: { 'x-api-key': 'sk-secret-header' } },
      mcp: {
        servers: {
          docs: { type: 'stdio', command: 'true', env: { DOCS_TOKEN: 'tok-secret-env' } },
        },
      },
      mock: { turns: [{ text: 'ok' }] },
    });
    const proc = await program.start().addCallback(recorder);
    await proc.run('hi');
    await recorder.close();
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('sk-secret-header');
    expect(text).not.toContain('tok-secret-env');
    expect(text).toContain('DOCS_TOKEN');
  });
});
