/**
 * Record → replay → view on each real provider's recorded exchanges: a run through the official SDK
 * over HTTP against the replay server is recorded; then, with the server gone and no API key, the
 * trace is replayed from code (tools run again, or answered from the trace) and from the CLI, and
 * drawn by the view. The replay must emit the recorded events and give the recorded answer.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  defineTool,
  LLMProgram,
  readTrace,
  recordTo,
  renderTraceHtml,
  type LLMProcess,
  type ProgramOptions,
} from '../src/index.js';
import { buildViewModel } from '../src/traces/view/model.js';
import { expectValidConversation } from './support/conversation-invariant.js';
import { loadFixture, withReplayServer, type FixtureSet } from './support/replay-server.js';
import { requireBuiltCli, runCli } from './support/run-cli.js';
import { eventsPerProcess } from './support/trace-events.js';
import { useProviderKeys } from './support/provider-keys.js';

useProviderKeys('test-key');
let dir = '';
beforeAll(async () => {
  requireBuiltCli();
  dir = await mkdtemp(path.join(os.tmpdir(), 'llmproc-traces-providers-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Case {
  label: string;
  provider: ProgramOptions['provider'];
  set: FixtureSet;
  fixtures: string[];
  model: string;
  parameters?: Record<string, unknown>;
  stream?: boolean;
  /** The inputs of the recorded runs, one run each. */
  prompts: string[];
  /** The tool the recorded model calls, and what it answers. */
  tool?: { name: string; answer: string; calls?: number };
}

const cases: Case[] = [
  {
    label: 'anthropic tool loop',
    provider: 'anthropic',
    set: 'anthropic',
    fixtures: ['tool-loop.1', 'tool-loop.2'],
    model: 'claude-sonnet-4-5',
    prompts: ["What's the weather in Paris?"],
    tool: { name: 'get_weather', answer: 'Sunny, 22C in Paris' },
  },
  {
    label: 'anthropic streaming text',
    provider: 'anthropic',
    set: 'anthropic',
    fixtures: ['text-stream'],
    model: 'claude-sonnet-4-5',
    stream: true,
    prompts: ['What is 1+1? Answer with just the number.'],
  },
  {
    label: 'openai chat tool loop',
    provider: 'openai',
    set: 'openai-chat',
    fixtures: ['tool-loop.1', 'tool-loop.2'],
    model: 'gpt-5-mini',
    prompts: ["What's the weather in Paris?"],
    tool: { name: 'get_weather', answer: 'Sunny, 22C in Paris' },
  },
  {
    label: 'openai chat streaming tool loop',
    provider: 'openai',
    set: 'openai-chat',
    fixtures: ['stream-tool-loop.1', 'stream-tool-loop.2'],
    model: 'gpt-4o-mini',
    stream: true,
    prompts: ['What is the capital of the UK? Use the tool, then answer.'],
    tool: { name: 'get_capital', answer: 'London' },
  },
  {
    label: 'openai responses tool loop',
    provider: 'openai',
    set: 'openai-responses',
    fixtures: ['tool-loop.1', 'tool-loop.2'],
    model: 'gpt-5',
    parameters: { reasoning_effort: 'low' },
    prompts: ['What is the capital of PotatoLand?'],
    tool: { name: 'get_capital', answer: 'Potatopolis' },
  },
  {
    label: 'openai responses streaming tool loop',
    provider: 'openai',
    set: 'openai-responses',
    fixtures: ['stream-tool-loop.1', 'stream-tool-loop.2'],
    model: 'gpt-5',
    parameters: { reasoning_effort: 'low' },
    stream: true,
    prompts: ['What is the capital of France?'],
    tool: { name: 'get_capital', answer: 'Paris' },
  },
  {
    label: 'anthropic parallel tool calls',
    provider: 'anthropic',
    set: 'anthropic',
    fixtures: ['parallel-tool-loop.1', 'parallel-tool-loop.2'],
    model: 'claude-haiku-4-5',
    prompts: ['Alice, Bob, Charlie and Daisy are a family. Who is the youngest?'],
    tool: { name: 'retrieve_entity_info', answer: 'age 30', calls: 4 },
  },
  {
    label: 'anthropic thinking, then a second run',
    provider: 'anthropic',
    set: 'anthropic',
    fixtures: ['thinking', 'text'],
    model: 'claude-sonnet-4-5',
    parameters: { thinking: { type: 'enabled', budget_tokens: 1024 } },
    prompts: ['How do I cross the street?', 'Thanks'],
  },
  {
    label: 'gemini thinking',
    provider: 'gemini',
    set: 'gemini',
    fixtures: ['thinking'],
    model: 'gemini-3-pro-preview',
    prompts: ['How do I cross the street?'],
  },
  {
    label: 'gemini tool loop',
    provider: 'gemini',
    set: 'gemini',
    fixtures: ['tool-loop.1', 'tool-loop.2'],
    model: 'gemini-2.5-flash',
    prompts: ["What's the weather in Paris?"],
    tool: { name: 'get_weather', answer: 'Sunny, 22C in Paris' },
  },
  {
    label: 'gemini streaming text',
    provider: 'gemini',
    set: 'gemini',
    fixtures: ['text-stream'],
    model: 'gemini-2.0-flash-exp',
    stream: true,
    prompts: ['What is the capital of France?'],
  },
];

function toolsOf(c: Case, calls: unknown[]) {
  if (!c.tool) return [];
  const { name, answer } = c.tool;
  return [
    defineTool({
      name,
      description: `The recorded ${name}.`,
      execute: (args) => {
        calls.push(args);
        return answer;
      },
    }),
  ];
}

/** The view model a page embeds. */
function viewData(html: string): unknown {
  const json = /<script type="application\/json" id="trace-view-data">(.*)<\/script>/.exec(html);
  return JSON.parse(json?.[1] ?? 'null');
}

/** Run each prompt, recording to `file`; the answers. */
async function runRecorded(proc: LLMProcess, prompts: string[], file: string): Promise<string[]> {
  const recorder = recordTo(file);
  proc.addCallback(recorder);
  try {
    const answers: string[] = [];
    for (const prompt of prompts) answers.push((await proc.run(prompt)).lastMessage);
    return answers;
  } finally {
    await recorder.close();
  }
}

describe.each(cases)('traces on $label', (c) => {
  const recorded = (): string => path.join(dir, `${c.label.replaceAll(' ', '-')}.jsonl`);
  let answers: string[] = [];

  beforeAll(async () => {
    const calls: unknown[] = [];
    await withReplayServer(
      c.fixtures.map((name) => loadFixture(c.set, name)),
      async (server) => {
        const proc = await new LLMProgram({
          model: c.model,
          provider: c.provider,
          baseUrl: server.url,
          ...(c.parameters ? { parameters: c.parameters } : {}),
          ...(c.stream ? { stream: true } : {}),
          tools: toolsOf(c, calls),
        }).start();
        try {
          answers = await runRecorded(proc, c.prompts, recorded());
        } finally {
          await proc.close();
        }
        expect(server.remaining()).toBe(0);
      },
    );
    expect(answers.every((answer) => answer !== '')).toBe(true);
    expect(calls).toHaveLength(c.tool ? (c.tool.calls ?? 1) : 0);
  });

  it('replays from code without the server: the recorded events and answer, tools run again', async () => {
    const calls: unknown[] = [];
    const proc = await LLMProgram.fromTrace(recorded()).registerTools(toolsOf(c, calls)).start();
    const again = path.join(dir, `${c.label.replaceAll(' ', '-')}-replayed.jsonl`);
    expect(await runRecorded(proc, c.prompts, again)).toEqual(answers);
    expect(calls).toHaveLength(c.tool ? (c.tool.calls ?? 1) : 0);
    expect(eventsPerProcess(again)).toEqual(eventsPerProcess(recorded()));
    const names = readTrace(again).events.map((event) => event.name);
    if (c.stream) expect(names).toContain('text_delta');
    // Not run again: a replay has only the recorded model calls.
    await expectValidConversation(proc, { runAgain: false });
    await proc.close();
  });

  it('replays with the tools answered from the trace', async () => {
    const proc = await LLMProgram.fromTrace(recorded(), { replayTools: true }).start();
    for (const [index, prompt] of c.prompts.entries())
      expect((await proc.run(prompt)).lastMessage).toBe(answers[index]);
    await proc.close();
  });

  it('replays from the CLI with no API key and prints the recorded answer', async () => {
    const run = await runCli(['replay', recorded(), '--quiet']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(answers.map((answer) => `${answer}\n`).join(''));
  });

  it('draws the trace: its turns, the tool call and the usage of each model call', async () => {
    const trace = readTrace(recorded());
    const view = buildViewModel(trace);
    const [proc] = view.processes;
    expect(proc?.provider).toBe(c.provider);
    expect(proc?.turns).toHaveLength(c.fixtures.length);
    for (const turn of proc?.turns ?? []) {
      expect(turn.modelMs).toBeGreaterThanOrEqual(0);
      expect(turn.usage?.outputTokens).toBeGreaterThan(0);
      expect(turn.stopReason).not.toBeNull();
    }
    expect(
      proc?.turns.flatMap((turn) => turn.tools.map((tool) => [tool.name, tool.result])),
    ).toEqual(c.tool ? Array(c.tool.calls ?? 1).fill([c.tool.name, c.tool.answer]) : []);
    expect(proc?.turns.at(-1)?.texts.at(-1)).toBe(answers.at(-1));
    expect(view.totals.errors).toBe(0);
    // From the CLI too: the page holds the answer.
    const html = path.join(dir, `${c.label.replaceAll(' ', '-')}.html`);
    const run = await runCli(['view', recorded(), '-o', html]);
    expect(run.code).toBe(0);
    expect(viewData(await readFile(html, 'utf8'))).toEqual(viewData(renderTraceHtml(trace)));
  });
});

describe.each([
  ['anthropic', 'anthropic', 'claude-3-opus-latest', '', 'ANTHROPIC_API_KEY'],
  ['openai', 'openai-chat', 'gpt-4o', '', 'OPENAI_API_KEY'],
  ['openai', 'openai-responses', 'gpt-5', 'reasoning_effort = "low"', 'OPENAI_API_KEY'],
  ['gemini', 'gemini', 'gemini-2.5-flash', '', 'GEMINI_API_KEY'],
] as const)('the CLI on %s (%s)', (provider, set, model, parameters, key) => {
  it('records a run with --record, then replays and views it with no server and no key', async () => {
    const name = `cli-${set}`;
    const file = path.join(dir, `${name}.jsonl`);
    const program = path.join(dir, `${name}.toml`);
    const recorded = await withReplayServer([loadFixture(set, 'text')], async (server) => {
      await writeFile(
        program,
        `[model]\nname = "${model}"\nprovider = "${provider}"\nbase_url = "${server.url}"\n\n` +
          `[prompt]\nsystem_prompt = "You are a helpful assistant."\n\n[parameters]\n${parameters}\n`,
      );
      return runCli([program, '-p', 'What is the capital of France?', '--record', file, '-q'], {
        env: { [key]: 'test-key', LLMPROC_RETRY_MAX_ATTEMPTS: '1' },
      });
    });
    expect(recorded.stderr).toBe('');
    expect(recorded.code).toBe(0);
    expect(recorded.stdout).not.toBe('');
    expect(await readFile(file, 'utf8')).not.toContain('test-key');

    const replayed = await runCli(['replay', file, '-q']);
    expect(replayed.stderr).toBe('');
    expect([replayed.code, replayed.stdout]).toEqual([0, recorded.stdout]);

    const viewed = await runCli(['view', file]);
    expect(viewed.code).toBe(0);
    const page = await readFile(path.join(dir, `${name}.html`), 'utf8');
    expect(page).toContain(JSON.stringify(recorded.stdout.trimEnd()).slice(1, -1));
  });
});

describe('an OpenAI-compatible server ([model] api_key_env with base_url)', () => {
  const keyVariable = 'LLMPROC_TEST_COMPATIBLE_KEY';
  const key = 'compatible-secret-key-0123456789';

  it('replays a reasoning model asked for reasoning as the Chat Completions it sent, with no key', async () => {
    // A reasoning model with reasoning_effort goes to the Responses API on OpenAI itself; a
    // compatible server takes Chat Completions only, and the replay must build that request too.
    const fixture = loadFixture('openai-compatible', 'openrouter-text');
    fixture.request.path = '/chat/completions';
    const file = path.join(dir, 'compatible-reasoning.jsonl');
    const recorded = await withReplayServer([fixture], async (server) => {
      process.env[keyVariable] = key;
      try {
        const proc = await new LLMProgram({
          model: 'o3-mini',
          provider: 'openai',
          baseUrl: server.url,
          apiKeyEnv: keyVariable,
          systemPrompt: 'Be helpful.',
          parameters: { reasoning_effort: 'low' },
        }).start();
        const [answer] = await runRecorded(proc, ['Tell me a joke.'], file);
        await proc.close();
        expect(server.received[0]?.url).toBe('/chat/completions');
        return answer ?? '';
      } finally {
        delete process.env[keyVariable];
      }
    });
    expect(recorded).not.toBe('');
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(key);
    expect(text).toContain(keyVariable);

    const proc = await LLMProgram.fromTrace(file).start();
    expect((await proc.run('Tell me a joke.')).lastMessage).toBe(recorded);
    await expectValidConversation(proc, { runAgain: false });
    await proc.close();

    const run = await runCli(['replay', file, '--quiet']);
    expect([run.code, run.stderr, run.stdout]).toEqual([0, '', `${recorded}\n`]);
    expect(run.stdout + run.stderr).not.toContain(key);
  });
});

describe.each([
  {
    label: 'anthropic native output_config.format',
    provider: 'anthropic' as const,
    set: 'anthropic' as const,
    model: 'claude-sonnet-4-5',
    extra: { parameters: { max_tokens: 4096 }, disableAutomaticCaching: true },
    prompt: 'Tell me about London',
    output: z
      .object({ city: z.string(), country: z.string(), population: z.int() })
      .meta({ title: 'CityInfo' }),
  },
  {
    label: 'openai chat response_format',
    provider: 'openai' as const,
    set: 'openai-chat' as const,
    model: 'gpt-4o',
    extra: {},
    prompt: 'What is the capital of France? Be concise.',
    output: z
      .object({
        answer: z.string().meta({ title: 'Answer', description: 'The answer to the question' }),
        confidence: z
          .number()
          .meta({ title: 'Confidence', description: 'Confidence score between 0 and 1' }),
      })
      .meta({ title: 'AnswerResponse', description: 'Response model with structured fields.' }),
  },
])('structured output recorded on $label', (c) => {
  it('replays with the recorded schema, unasked, to the same request and RunResult.output', async () => {
    const file = path.join(dir, `structured-${c.set}.jsonl`);
    const output = await withReplayServer(
      [loadFixture(c.set, 'structured-output')],
      async (server) => {
        const proc = await new LLMProgram({
          model: c.model,
          provider: c.provider,
          baseUrl: server.url,
          ...c.extra,
        }).start();
        const recorder = recordTo(file);
        proc.addCallback(recorder);
        const result = await proc.run(c.prompt, { output: c.output });
        await recorder.close();
        await proc.close();
        return result.output;
      },
    );
    expect(output).toBeDefined();

    // No schema given: the replay sends the recorded one (a different request would diverge).
    const proc = await LLMProgram.fromTrace(file).start();
    const replayed = await proc.run(c.prompt);
    expect(replayed.output).toEqual(output);
    await expectValidConversation(proc, { runAgain: false });
    await proc.close();

    const run = await runCli(['replay', file, '--json', '-q']);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { output?: unknown }).output).toEqual(output);
  });
});
