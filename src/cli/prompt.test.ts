import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PromptError, readAll, readPromptFile, resolvePrompt } from './prompt.js';

describe('resolvePrompt', () => {
  it('prefers -p over the prompt file, stdin and the config', () => {
    expect(
      resolvePrompt({ prompt: 'from p', stdinText: 'from stdin', userPrompt: 'from config' }),
    ).toEqual({
      type: 'prompt',
      text: 'from p',
      source: 'option',
    });
  });

  it('uses the prompt file when there is no -p', () => {
    expect(resolvePrompt({ promptFileText: 'from file', stdinText: 'from stdin' })).toEqual({
      type: 'prompt',
      text: 'from file',
      source: 'file',
    });
  });

  it('uses piped stdin, trimmed, before the config user prompt', () => {
    expect(resolvePrompt({ stdinText: '  from stdin\n', userPrompt: 'from config' })).toEqual({
      type: 'prompt',
      text: 'from stdin',
      source: 'stdin',
    });
  });

  it('falls back to the config user prompt when stdin is empty', () => {
    expect(resolvePrompt({ stdinText: ' \n', userPrompt: 'from config' })).toEqual({
      type: 'prompt',
      text: 'from config',
      source: 'config',
    });
  });

  it('appends the given prompt to the config user prompt on a new line with append', () => {
    expect(resolvePrompt({ prompt: 'and more', userPrompt: 'base', append: true })).toMatchObject({
      text: 'base\nand more',
    });
    expect(resolvePrompt({ prompt: 'alone', append: true })).toMatchObject({ text: 'alone' });
  });

  it('rejects -p together with -f', () => {
    expect(() => resolvePrompt({ prompt: 'a', promptFileText: 'b' })).toThrow(
      new PromptError('--prompt and --prompt-file are mutually exclusive'),
    );
  });

  it('rejects having no prompt at all when stdin is not a terminal', () => {
    expect(() => resolvePrompt({ stdinText: '' })).toThrow(
      'No prompt provided via command line, stdin, or configuration',
    );
  });

  it('asks for an interactive session when there is no prompt and stdin is a terminal', () => {
    expect(resolvePrompt({ stdinIsTTY: true })).toEqual({ type: 'interactive' });
    expect(resolvePrompt({ stdinIsTTY: true, userPrompt: 'from config' })).toMatchObject({
      source: 'config',
    });
  });

  it('rejects a blank -p as an empty prompt', () => {
    expect(() => resolvePrompt({ prompt: '   ', userPrompt: 'from config' })).toThrow(
      'Empty prompt',
    );
  });
});

describe('prompt input', () => {
  it('reads a whole stream as text', async () => {
    await expect(readAll(Readable.from([Buffer.from('hel'), Buffer.from('lo')]))).resolves.toBe(
      'hello',
    );
  });

  it('names the file and the reason when a prompt file cannot be read', async () => {
    await expect(readPromptFile('/no/such/prompt.txt')).rejects.toThrow(
      'Cannot read prompt file /no/such/prompt.txt: ENOENT',
    );
  });
});
