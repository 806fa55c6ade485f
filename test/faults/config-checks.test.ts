import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LLMProgram, type ProgramOptions } from '../../src/index.js';
import { expectValidConversation } from '../support/conversation-invariant.js';
import { failOnUnhandledRejections } from '../support/unhandled-rejections.js';
import { captureWarnings } from '../support/warnings.js';
import { configErrorOf } from '../../src/program/__fixtures__/helpers.js';

failOnUnhandledRejections();

const dir = mkdtempSync(path.join(tmpdir(), 'llmproc-config-checks-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** `new LLMProgram(options)` for options its type would refuse: what a JavaScript caller can pass. */
function programFrom(options: Record<string, unknown>): LLMProgram {
  return new LLMProgram(options as unknown as ProgramOptions);
}

const base = { model: 'mock', provider: 'mock' };

describe('code configs are checked like file configs', () => {
  it('rejects unknown options, naming each and the option meant', () => {
    const error = configErrorOf(() =>
      programFrom({
        ...base,
        system_prompt: 'Be brief.',
        sytemPrompt: 'Be brief.',
        temperature: 0.2,
        user: 'hi',
        colour: 'blue',
      }),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.keyPath).toBe('system_prompt');
    expect(error.message.split('\n')).toEqual([
      'new LLMProgram(): "system_prompt" is not an option (did you mean "systemPrompt"?); got "Be brief."',
      'new LLMProgram(): "sytemPrompt" is not an option (did you mean "systemPrompt"?); got "Be brief."',
      'new LLMProgram(): "temperature" is not an option (did you mean "parameters: { temperature }"?); got 0.2',
      'new LLMProgram(): "user" is not an option (did you mean "userPrompt"?); got "hi"',
      expect.stringMatching(
        /^new LLMProgram\(\): "colour" is not an option \(expected one of: model, provider, systemPrompt, .*, baseDir\); got "blue"$/,
      ),
    ]);
    expect(error.details).toMatchObject({ issueCount: 5 });
  });

  it('checks the nested budget, price and linked program entries', () => {
    const helper = new LLMProgram(base);
    const error = configErrorOf(() =>
      programFrom({
        ...base,
        budget: { max_tokens: 100 },
        price: { input: 1, output: 2, cache_read: 0.1 },
        linkedPrograms: { helper: { program: helper, desc: 'x' } },
      }),
    );
    expect(error.message.split('\n')).toEqual([
      'new LLMProgram(): "budget.max_tokens" is not an option (did you mean "maxTokens"?); got 100',
      'new LLMProgram(): "price.cache_read" is not an option (did you mean "cacheRead"?); got 0.1',
      'new LLMProgram(): "linkedPrograms.helper.desc" is not an option (did you mean "description"?); got "x"',
    ]);
  });

  it('suggests the config spelling inside the sections passed on as config tables', () => {
    const error = configErrorOf(() =>
      programFrom({
        ...base,
        tools: ['read_fd'],
        fileDescriptor: { enabled: true, maxDirectOutputChars: 100 },
      }),
    );
    expect(error.message).toBe(
      '<dict>: "file_descriptor.maxDirectOutputChars" is not a known key (did you mean "max_direct_output_chars"?); got 100',
    );
  });

  it('suggests a close key in a config file too', () => {
    const file = path.join(dir, 'typo.toml');
    writeFileSync(
      file,
      '[model]\nname = "mock"\nprovider = "mock"\nmax_iteration = 3\n[promt]\nsystem = "x"\n',
    );
    const error = configErrorOf(() => LLMProgram.fromToml(file));
    expect(error.message.split('\n')).toEqual([
      `${file}: "model.max_iteration" is not a known key (did you mean "max_iterations"?); got 3`,
      `${file}: "promt" is not a known section (did you mean "prompt"?); got a table {"system":"x"}`,
    ]);
  });

  it('still builds and runs a program whose options are all known', async () => {
    const proc = await new LLMProgram({
      ...base,
      systemPrompt: 'Be brief.',
      budget: { maxTokens: 1000 },
      mock: { turns: [{ text: 'ok' }], fallbackText: 'again' },
    }).start();
    expect((await proc.run('hi')).lastMessage).toBe('ok');
    await expectValidConversation(proc);
    expect((await proc.run('again')).lastMessage).toBe('again');
    await proc.close();
  });
});

describe('diagnostics stay readable', () => {
  const million = 1_000_000;

  it('lists 20 of a million unknown keys in a config, then how many more', () => {
    // The validation path of a config file, after parsing: parsing a million-line TOML file takes
    // smol-toml itself ~10 s, which is not what this test measures (the next test reads a file).
    const model: Record<string, unknown> = { name: 'mock', provider: 'mock' };
    for (let i = 0; i < million; i++) model[`k${String(i)}`] = i;
    const error = configErrorOf(() => LLMProgram.fromDict({ model }));
    const shown = error.message.split('\n');
    expect(error.message.length).toBeLessThan(4096);
    expect(shown).toHaveLength(21);
    expect(shown[0]).toBe(
      '<dict>: "model.k0" is not a known key (expected one of: name, provider, max_iterations, disable_automatic_caching, project_id, region, display_name, stream, base_url, api_key_env, deployment, api_version, price); got 0',
    );
    expect(shown[1]).toBe(
      '<dict>: "model.k1" is not a known key (expected one of the keys above); got 1',
    );
    expect(shown[20]).toBe('... and 999980 more problems');
    expect(error.details?.['issueCount']).toBe(million);
    expect(error.details?.['issues']).toHaveLength(1000);
  }, 120_000);

  it('lists 20 of the unknown keys of a config file, then how many more', () => {
    const lines = ['[model]', 'name = "mock"', 'provider = "mock"', '[prompt]'];
    for (let i = 0; i < 10_000; i++) lines.push(`k${String(i)} = ${String(i)}`);
    const file = path.join(dir, 'many.toml');
    writeFileSync(file, lines.join('\n'));
    const error = configErrorOf(() => LLMProgram.fromToml(file));
    expect(error.file).toBe(file);
    expect(error.message.length).toBeLessThan(4096);
    expect(error.message.split('\n').slice(-2)).toEqual([
      `${file}: "prompt.k19" is not a known key (expected one of the keys above); got 19`,
      '... and 9980 more problems',
    ]);
  });

  it('lists 20 of a million unknown options in code, then how many more', () => {
    const options: Record<string, unknown> = { ...base };
    for (let i = 0; i < million; i++) options[`k${String(i)}`] = i;
    const error = configErrorOf(() => programFrom(options));
    expect(error.message.length).toBeLessThan(4096);
    expect(error.message.split('\n').at(-1)).toBe('... and 999980 more problems');
  }, 120_000);

  describe('warnings', () => {
    let captured: ReturnType<typeof captureWarnings>;
    beforeEach(() => {
      captured = captureWarnings();
    });
    afterEach(() => {
      captured.restore();
    });

    it('collapses a thousand unknown parameters into one warning with a count', () => {
      const parameters: Record<string, unknown> = {};
      for (let i = 0; i < 1000; i++) parameters[`p${String(i)}`] = i;
      new LLMProgram({ ...base, parameters });
      expect(captured.warnings).toHaveLength(1);
      const [warning = ''] = captured.warnings;
      expect(warning.length).toBeLessThan(1024);
      expect(warning).toMatch(
        /^<dict>: 1000 unknown API parameters in \[parameters\] \('p0', 'p1', .*, 'p19', and 980 more\): passed to the API unchanged/,
      );
    });

    it('names the parameter a misspelt one meant', () => {
      new LLMProgram({ ...base, parameters: { temprature: 0.5 } });
      expect(captured.warnings).toEqual([
        `<dict>: Unknown API parameter 'temprature' ("parameters.temprature"): passed to the API unchanged; did you mean 'temperature'?`,
      ]);
    });
  });

  it('cuts a quoted line of a megabyte with an ellipsis', () => {
    const file = path.join(dir, 'long-line.toml');
    writeFileSync(
      file,
      `[model]\nname = "mock"\nprovider = "mock"\nnote = "${'x'.repeat(1_000_000)}\n`,
    );
    const error = configErrorOf(() => LLMProgram.fromToml(file));
    expect(error.code).toBe('CONFIG_SYNTAX');
    expect(error.message.length).toBeLessThan(2048);
    expect(error.message).toMatch(
      /^Error loading TOML file .*long-line\.toml: line 4, column \d+: /,
    );
    expect(error.message).toContain(`note = "${'x'.repeat(150)}`);
    expect(error.message).toContain('…');
  });
});
