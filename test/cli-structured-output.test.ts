/**
 * `--output-schema FILE` and `[output]` through the built CLI in a subprocess (`npm test` builds
 * first), and `[output]` from a TOML program in code.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LLMProgram } from '../src/index.js';
import { runCli } from './support/run-cli.js';

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'llmproc-output-'));
  await writeFile(
    path.join(tmp, 'invoice.schema.json'),
    JSON.stringify({
      type: 'object',
      properties: { total: { type: 'number' }, currency: { type: 'string' } },
      required: ['total', 'currency'],
      additionalProperties: false,
    }),
  );
  await writeFile(
    path.join(tmp, 'invoice.toml'),
    `[model]
name = "mock"
provider = "mock"

[[mock.turns]]
text = '{"total": "12"}'

[[mock.turns]]
text = '{"total": 12.5, "currency": "EUR"}'
`,
  );
  await writeFile(
    path.join(tmp, 'with-output.toml'),
    `${await import('node:fs').then((fs) => fs.readFileSync(path.join(tmp, 'invoice.toml'), 'utf8'))}
[output]
schema_file = "invoice.schema.json"
retries = 1
`,
  );
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('structured output from the CLI and config', () => {
  it('--output-schema prints the validated JSON object on stdout', async () => {
    const run = await runCli([
      path.join(tmp, 'invoice.toml'),
      '-q',
      '-p',
      'Extract the invoice',
      '--output-schema',
      path.join(tmp, 'invoice.schema.json'),
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ total: 12.5, currency: 'EUR' });
  });

  it('--output-schema with a missing file fails naming the flag and the file', async () => {
    const run = await runCli([
      path.join(tmp, 'invoice.toml'),
      '-p',
      'x',
      '--output-schema',
      'nope.json',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--output-schema nope.json');
    expect(run.stdout).toBe('');
  });

  it('a program with [output] prints the JSON object, and --json carries it as output', async () => {
    const plain = await runCli([path.join(tmp, 'with-output.toml'), '-q', '-p', 'Extract']);
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.stdout)).toEqual({ total: 12.5, currency: 'EUR' });
    const json = await runCli([path.join(tmp, 'with-output.toml'), '-q', '--json', '-p', 'x']);
    expect((JSON.parse(json.stdout) as { output: unknown }).output).toEqual({
      total: 12.5,
      currency: 'EUR',
    });
  });

  it('[output] in a TOML program applies to every run from code', async () => {
    const program = LLMProgram.fromToml(path.join(tmp, 'with-output.toml'));
    expect(program.output?.retries).toBe(1);
    const result = await (await program.start()).run('Extract');
    expect(result.output).toEqual({ total: 12.5, currency: 'EUR' });
  });

  it('[output] needs exactly one of schema_file and schema', async () => {
    const file = path.join(tmp, 'bad-output.toml');
    await writeFile(file, '[model]\nname = "mock"\nprovider = "mock"\n[output]\nretries = 2\n');
    expect(() => LLMProgram.fromToml(file)).toThrow(
      /output.*needs exactly one of "schema_file" \(a JSON Schema file\) or "schema" \(inline\)/,
    );
    await writeFile(
      file,
      '[model]\nname = "mock"\nprovider = "mock"\n[output]\nschema_file = "missing.json"\n',
    );
    expect(() => LLMProgram.fromToml(file)).toThrow(
      /"output.schema_file" in .*bad-output.toml: schema file 'missing.json' not found/,
    );
  });

  it('[output] takes an inline schema', async () => {
    const file = path.join(tmp, 'inline.toml');
    await writeFile(
      file,
      `[model]
name = "mock"
provider = "mock"
[[mock.turns]]
text = '{"ok": true}'
[output.schema]
type = "object"
required = ["ok"]
properties = { ok = { type = "boolean" } }
`,
    );
    const result = await (await LLMProgram.fromToml(file).start()).run('x');
    expect(result.output).toEqual({ ok: true });
  });
});
