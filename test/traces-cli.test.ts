/**
 * Traces from the command line, as users run it: the built CLI in a subprocess.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTrace } from '../src/traces/read.js';
import { repoRoot, requireBuiltCli, runCli } from './support/run-cli.js';

const demo = path.join(repoRoot, 'examples/mock-tools.toml');
let tmp = '';

beforeAll(async () => {
  requireBuiltCli();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'llmproc-traces-cli-'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('llmproc --record', () => {
  it('writes a trace of the run that reads back, with the answer it printed', async () => {
    const file = path.join(tmp, 'run.jsonl');
    const run = await runCli([demo, '-p', 'What is 6*7?', '--record', file, '--quiet']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const trace = readTrace(file);
    expect(trace.header.programs['main']).toMatchObject({ provider: 'mock' });
    const responses = trace.events.filter((event) => event.name === 'response');
    expect(responses.at(-1)?.args[0]).toBe(run.stdout.trimEnd());
    expect(trace.exchanges.length).toBeGreaterThan(0);
    expect(await readFile(file, 'utf8')).toMatch(/\n$/);
  });

  it('fails before running when the trace cannot be written', async () => {
    const run = await runCli([demo, '-p', 'hi', '--record', path.join(tmp, 'no/such/dir.jsonl')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Cannot record a trace to .*no\/such\/dir\.jsonl: ENOENT/);
    expect(run.stdout).toBe('');
  });
});

describe('llmproc replay', () => {
  // The program lists its folder: an empty folder of its own keeps the listing the same in the replay.
  let work = '';
  let trace = '';
  let answer = '';

  beforeAll(async () => {
    work = path.join(tmp, 'work');
    await mkdir(work);
    trace = path.join(tmp, 'replayed.jsonl');
    const run = await runCli([demo, '-p', 'What is 6*7?', '--record', trace, '--quiet'], {
      cwd: work,
    });
    expect(run.code).toBe(0);
    answer = run.stdout;
  });

  it('replays a recorded run and prints the same answer, running the tools again', async () => {
    const run = await runCli(['replay', trace], { cwd: work });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(answer);
    expect(run.stdout).toBe('6 * 7 = 42 (checked twice), and the folder listing is above.\n');
    // The event lines of a normal run, children included.
    expect(run.stderr).toMatch(/^turn 1\n/);
    expect(run.stderr).toContain('[pid 2] turn 1');
    expect(run.stderr).toMatch(/completed: 3 turns, 4 tool calls/);
  });

  it('answers tools from the trace with --replay-tools and prints the run result with --json', async () => {
    // From another folder: with the tools answered from the trace, its listing does not matter.
    const run = await runCli(['replay', trace, '--replay-tools', '--json', '--quiet']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { lastMessage: string; apiCalls: number };
    expect(result.lastMessage).toBe(answer.trimEnd());
    expect(result.apiCalls).toBe(3);
  });

  it('fails with exit status 1, naming the process, turn and field, when the run leaves the recording', async () => {
    // A tool result that changed: the folder now holds a file it did not hold when recorded.
    await writeFile(path.join(work, 'new.txt'), 'x');
    try {
      const run = await runCli(['replay', trace, '--quiet'], { cwd: work });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(
        /^Error: Replay of .*replayed\.jsonl left the recording in process 1 \("Mock mock"\), turn 2: the request differs at messages\[2\]\.content\[1\]\.content: recorded "[^"]*", replayed "[^"]*new\.txt/,
      );
    } finally {
      await rm(path.join(work, 'new.txt'));
    }
  });

  it('says which line of a truncated trace is broken', async () => {
    const text = await readFile(trace, 'utf8');
    const cut = path.join(tmp, 'cut.jsonl');
    await writeFile(cut, text.slice(0, text.lastIndexOf('\n', text.length - 2) + 20));
    const lines = text.trimEnd().split('\n').length;
    const run = await runCli(['replay', cut]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `^Error loading trace: ${cut}:${String(lines)}: not a valid trace line \\(the line is cut off: the recording was interrupted or the file truncated\\): `,
      ),
    );
  });

  it('replays a run that had --output-schema with its schema, which the trace holds', async () => {
    const program = path.join(tmp, 'structured.toml');
    const schema = path.join(tmp, 'schema.json');
    await writeFile(
      program,
      `[model]\nname = "mock"\nprovider = "mock"\n\n[[mock.turns]]\ntext = '{"answer": 42}'\n`,
    );
    await writeFile(
      schema,
      JSON.stringify({
        type: 'object',
        properties: { answer: { type: 'number' } },
        required: ['answer'],
      }),
    );
    const structured = path.join(tmp, 'structured.jsonl');
    const run = await runCli([
      program,
      '-p',
      '6*7?',
      '--output-schema',
      schema,
      '--record',
      structured,
      '-q',
    ]);
    expect([run.code, run.stdout]).toEqual([0, '{"answer":42}\n']);
    const replayed = await runCli(['replay', structured, '-q']);
    expect(replayed.stderr).toBe('');
    expect([replayed.code, replayed.stdout]).toEqual([0, run.stdout]);
    // --output-schema still gives the schema (a trace written before run options were recorded).
    const given = await runCli(['replay', structured, '--output-schema', schema, '-q']);
    expect([given.code, given.stdout]).toEqual([0, run.stdout]);
  });

  it('replays a run whose input had an image and a PDF, from anywhere, with no file to read', async () => {
    // No turns: the mock echoes the latest user message, its parts as placeholders.
    const program = path.join(tmp, 'echo.toml');
    await writeFile(program, '[model]\nname = "mock"\nprovider = "mock"\n');
    const parts = path.join(tmp, 'parts');
    await mkdir(parts, { recursive: true });
    const image = path.join(parts, 'potato.jpg');
    const pdf = path.join(parts, 'report.pdf');
    await writeFile(image, await readFile(path.join(repoRoot, 'test/fixtures/parts/potato.jpg')));
    await writeFile(pdf, await readFile(path.join(repoRoot, 'test/fixtures/parts/dummy.pdf')));
    const file = path.join(tmp, 'parts.jsonl');
    const args = ['-p', 'What are these?', '--image', image, '--file', pdf, '--record', file];
    const run = await runCli([program, ...args, '-q']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain(
      'What are these? [image: image/jpeg, 31.1 KB] [document: report.pdf, application/pdf, 13.0 KB]',
    );
    // The trace holds the bytes: the files are gone and the replay runs in another folder.
    await rm(parts, { recursive: true });
    const elsewhere = await mkdtemp(path.join(os.tmpdir(), 'llmproc-replay-cwd-'));
    try {
      const replayed = await runCli(['replay', file, '-q'], { cwd: elsewhere });
      expect(replayed.stderr).toBe('');
      expect([replayed.code, replayed.stdout]).toEqual([0, run.stdout]);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('refuses a recorded input block it cannot send, naming the run and the block', async () => {
    const file = path.join(tmp, 'bad-block.jsonl');
    const recorded = await readFile(path.join(repoRoot, 'test/traces/calculator.jsonl'), 'utf8');
    await writeFile(
      file,
      recorded.replace(
        '"content":"What is 6*7?"',
        '"content":[{"type":"text","text":"What is 6*7?"},{"type":"audio","source":{}}]',
      ),
    );
    const run = await runCli(['replay', file, '-q']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `Error loading trace: ${file}: run 1's input: block 1 is not a text, image or document block with a base64 or url source\n`,
    );
  });

  it('is a usage error (exit status 2) without a trace', async () => {
    const run = await runCli(['replay']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("missing required argument 'trace'");
  });
});

describe('llmproc view', () => {
  it('writes the trace as one HTML page beside it and says where', async () => {
    const trace = path.join(tmp, 'viewed.jsonl');
    await runCli([demo, '-p', 'What is 6*7?', '--record', trace, '--quiet']);
    const run = await runCli(['view', trace]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const html = path.join(tmp, 'viewed.html');
    expect(run.stdout).toMatch(new RegExp(`^Wrote ${html} \\(3 processes, \\d+ events\\)\\n$`));
    const page = await readFile(html, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    // The page script survives the CLI's bundling: it is the function the page calls.
    expect(page).toContain('function drawTraceView(model)');
    expect(page).toContain('Double-check the product');
  });

  it('writes where -o says, and fails with exit status 1 on a file that is not a trace', async () => {
    const notTrace = path.join(tmp, 'not-a-trace.jsonl');
    await writeFile(notTrace, '{"hello":1}\n');
    const out = path.join(tmp, 'out.html');
    const run = await runCli(['view', notTrace, '-o', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `Error: ${notTrace}:1: not an llmproc trace (the first line must be a header with "format": "llmproc-trace")\n`,
    );
    const trace = path.join(tmp, 'viewed.jsonl');
    const ok = await runCli(['view', trace, '-o', out]);
    expect(ok.code).toBe(0);
    expect(ok.stdout.startsWith(`Wrote ${out} `)).toBe(true);
    expect(await readFile(out, 'utf8')).toMatch(/^<!doctype html>/);
  });
});

describe('a trace moved to another machine', () => {
  it('holds no absolute path of the recording, and replays where the project is checked out', async () => {
    // The project: a program in prog/, whose read_file is confined to prog/data.
    const project = async (root: string): Promise<void> => {
      await mkdir(path.join(root, 'prog/data'), { recursive: true });
      await writeFile(path.join(root, 'prog/data/note.txt'), 'The answer is 42.');
      await writeFile(
        path.join(root, 'prog/agent.toml'),
        [
          '[model]\nname = "mock"\nprovider = "mock"\n',
          '[tools]\nbuiltin = ["read_file"]\nfile_roots = ["data"]\n',
          '[[mock.turns]]\ntool_calls = [{ name = "read_file", args = { file_path = "prog/data/note.txt" } }]\n',
          '[[mock.turns]]\ntext = "It says 42."\n',
        ].join('\n'),
      );
    };
    const here = path.join(tmp, 'machine-a', 'project');
    await project(here);
    const trace = path.join(here, 'run.jsonl');
    const run = await runCli(['prog/agent.toml', '-p', 'Read the note', '--record', trace], {
      cwd: here,
    });
    expect([run.code, run.stdout]).toEqual([0, 'It says 42.\n']);
    expect(run.stderr).toContain('read_file');
    const text = await readFile(trace, 'utf8');
    expect(readTrace(trace).events.find((event) => event.name === 'tool_end')?.args[1]).toEqual({
      content: 'The answer is 42.',
      isError: false,
      abortExecution: false,
    });
    expect(text).not.toContain(tmp);
    expect(readTrace(trace).header.programs['main']).toMatchObject({
      baseDir: 'prog',
      sourceFile: 'prog/agent.toml',
      tools: { fileRoots: ['prog/data'] },
    });

    // Another machine: the same project at another path, the first one gone.
    const there = path.join(tmp, 'machine-b', 'checkout');
    await project(there);
    await writeFile(path.join(there, 'run.jsonl'), text);
    await rm(path.join(tmp, 'machine-a'), { recursive: true });
    const replayed = await runCli(['replay', 'run.jsonl', '-q'], { cwd: there });
    expect(replayed.stderr).toBe('');
    expect([replayed.code, replayed.stdout]).toEqual([0, run.stdout]);

    // A trace written before paths were stored relative (absolute paths) still replays.
    const absolute = path.join(there, 'absolute.jsonl');
    const [header = '', ...rest] = text.split('\n');
    const old = JSON.parse(header) as { programs: { main: Record<string, unknown> } };
    const main = old.programs.main as {
      baseDir: string;
      sourceFile: string;
      tools: { fileRoots: string[] };
    };
    main.baseDir = path.join(there, 'prog');
    main.sourceFile = path.join(there, 'prog/agent.toml');
    main.tools.fileRoots = [path.join(there, 'prog/data')];
    await writeFile(absolute, [JSON.stringify(old), ...rest].join('\n'));
    const again = await runCli(['replay', absolute, '-q'], { cwd: there });
    expect(again.stderr).toBe('');
    expect([again.code, again.stdout]).toEqual([0, run.stdout]);
  });
});
