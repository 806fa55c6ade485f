import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LLMProgram, type ProgramOptions, type ToolResult } from '../../src/index.js';
import { expectValidConversation } from '../support/conversation-invariant.js';
import { recorder } from '../support/recorder.js';
import { failOnUnhandledRejections } from '../support/unhandled-rejections.js';

failOnUnhandledRejections();

let dir: string;
let socketServer: Server;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'llmproc-file-faults-'));
  await mkdir(path.join(dir, 'root', 'sub'), { recursive: true });
  await writeFile(path.join(dir, 'root', 'notes.txt'), 'inside the root\n');
  await writeFile(path.join(dir, 'secret.txt'), 'outside the root\n');
  await writeFile(path.join(dir, 'big.txt'), 'é'.repeat(600_000)); // 1.2 MB, two bytes a character
  execFileSync('mkfifo', [path.join(dir, 'pipe')]);
  await symlink('/dev/zero', path.join(dir, 'zero'));
  await symlink(path.join(dir, 'nowhere'), path.join(dir, 'root', 'dangling'));
  await symlink(path.join(dir, 'secret.txt'), path.join(dir, 'root', 'escape'));
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(path.join(dir, 'sock'), resolve));
});

afterAll(async () => {
  await new Promise((resolve) => socketServer.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

type Call = { name: string; args: Record<string, unknown> };

/** Run one model turn of tool calls; return what the model got for each, after the invariant. */
async function toolResults(
  calls: Call[],
  options: Partial<ProgramOptions> = {},
): Promise<ToolResult[]> {
  const rec = recorder();
  const proc = await new LLMProgram({
    model: 'mock',
    provider: 'mock',
    tools: ['read_file', 'list_dir'],
    mock: { turns: [{ toolCalls: calls }, { text: 'done' }], fallbackText: 'again' },
    ...options,
  })
    .start()
    .addCallback(rec.callback);
  const result = await proc.run('use the files', { signal: AbortSignal.timeout(10_000) });
  expect(result.lastMessage).toBe('done');
  await expectValidConversation(proc);
  await proc.close();
  return rec.events.filter((e) => e.event === 'tool_end').map((e) => e.args[1] as ToolResult);
}

const read = (file: string): Call => ({ name: 'read_file', args: { file_path: file } });
const list = (folder: string): Call => ({ name: 'list_dir', args: { directory_path: folder } });

function shown(results: readonly ToolResult[]): [boolean, string][] {
  return results.map((r) => [r.isError, r.contentText()]);
}

describe('read_file reads regular files only, bounded', () => {
  it('answers a FIFO, a device, a socket and a folder with an error naming what it is, without hanging', async () => {
    const results = await toolResults([
      read(path.join(dir, 'pipe')),
      read(path.join(dir, 'zero')),
      read(path.join(dir, 'sock')),
      read(path.join(dir, 'root')),
    ]);
    const only = 'read_file reads regular files only';
    expect(shown(results)).toEqual([
      [true, `Cannot read ${path.join(dir, 'pipe')}: it is a FIFO (named pipe); ${only}`],
      [true, `Cannot read ${path.join(dir, 'zero')}: it is a character device; ${only}`],
      [true, `Cannot read ${path.join(dir, 'sock')}: it is a socket; ${only}`],
      [true, `Cannot read ${path.join(dir, 'root')}: it is a directory; ${only}`],
    ]);
  });

  it('reads at most max_read_bytes of a big file and says so, never cutting a character', async () => {
    const [big] = await toolResults([read(path.join(dir, 'big.txt'))], { maxReadBytes: 1001 });
    expect(big?.isError).toBe(false);
    expect(big?.contentText()).toBe(
      `${'é'.repeat(500)}\n\n[read_file: the file has 1200000 bytes; only the first 1001 are shown]`,
    );
  });

  it('reads a file of exactly max_read_bytes whole', async () => {
    const [whole] = await toolResults([read(path.join(dir, 'root', 'notes.txt'))], {
      maxReadBytes: 16,
    });
    expect(whole?.contentText()).toBe('inside the root\n');
  });
});

describe('list_dir lists a folder with a dangling symlink', () => {
  it('marks the broken link instead of failing the whole listing', async () => {
    const [listing] = await toolResults([list(path.join(dir, 'root'))]);
    expect(shown([listing as ToolResult])).toEqual([
      [
        false,
        `Contents of '${path.join(dir, 'root')}':\n` +
          `d sub\nf escape\nf notes.txt\nl dangling -> ${path.join(dir, 'nowhere')} (broken symlink)`,
      ],
    ]);
  });
});

describe('file_roots confines the file tools, resolving symlinks', () => {
  const root = (): string => path.join(dir, 'root');

  it('reads and lists inside the roots; refuses outside, through .. and through a symlink', async () => {
    const results = await toolResults(
      [
        read(path.join(root(), 'notes.txt')),
        read('/etc/passwd'),
        read(path.join(root(), '..', 'secret.txt')),
        read(path.join(root(), 'escape')),
        list(dir),
        list(path.join(root(), 'sub')),
      ],
      { fileRoots: [root()] },
    );
    const outside = `is outside the folders this program's file tools may use (${root()})`;
    expect(shown(results)).toEqual([
      [false, 'inside the root\n'],
      [true, `Access denied: /etc/passwd ${outside}`],
      [true, `Access denied: ${path.join(dir, 'secret.txt')} ${outside}`],
      [
        true,
        `Access denied: ${path.join(root(), 'escape')} (${path.join(dir, 'secret.txt')}) ${outside}`,
      ],
      [true, `Access denied: ${dir} ${outside}`],
      [false, `Directory '${path.join(root(), 'sub')}' is empty.`],
    ]);
  });

  it('is set by [tools] file_roots in a config file, relative to the program folder, and covers fd_to_file', async () => {
    const programFile = path.join(dir, 'confined.toml');
    await writeFile(
      programFile,
      [
        '[model]',
        'name = "mock"',
        'provider = "mock"',
        '[tools]',
        'builtin = ["read_file", "fd_to_file"]',
        'file_roots = ["root"]',
        '[file_descriptor]',
        'enabled = true',
        'max_direct_output_chars = 10',
        '[[mock.turns]]',
        'tool_calls = [{ name = "read_file", args = { file_path = "big.txt" } }]',
        '[[mock.turns]]',
        `tool_calls = [{ name = "read_file", args = { file_path = ${JSON.stringify(path.join(dir, 'root', 'notes.txt'))} } }]`,
        '[[mock.turns]]',
        `tool_calls = [{ name = "fd_to_file", args = { fd = "fd:1", file_path = ${JSON.stringify(path.join(dir, 'copied.txt'))} } }, { name = "fd_to_file", args = { fd = "fd:1", file_path = ${JSON.stringify(path.join(dir, 'root', 'copied.txt'))} } }]`,
        '[[mock.turns]]',
        'text = "done"',
      ].join('\n'),
    );
    const rec = recorder();
    const proc = await LLMProgram.fromToml(programFile).start().addCallback(rec.callback);
    await proc.run('copy the notes', { signal: AbortSignal.timeout(10_000) });
    const results = rec.events
      .filter((e) => e.event === 'tool_end')
      .map((e) => e.args[1] as ToolResult);
    // big.txt resolves against the working directory, which is not inside the root.
    expect(results[0]?.contentText()).toBe(
      `Access denied: ${path.resolve('big.txt')} is outside the folders this program's file tools may use (${path.join(dir, 'root')})`,
    );
    expect(results[1]?.contentText()).toMatch(/^<fd_result fd="fd:1"/);
    expect(results[2]?.isError).toBe(true);
    expect(results[2]?.contentText()).toContain(
      `Access denied: ${path.join(dir, 'copied.txt')} is outside the folders`,
    );
    expect(results[3]?.isError).toBe(false);
    await expectValidConversation(proc);
    await proc.close();
  });

  it('reaches the whole file system by default, as llmproc 0.9.2 did', async () => {
    const [secret] = await toolResults([read(path.join(dir, 'secret.txt'))]);
    expect(shown([secret as ToolResult])).toEqual([[false, 'outside the root\n']]);
  });
});
