/**
 * Structured output (`run(input, { output })`): on the mock for the loop's rules, and on every provider
 * through its official SDK against recorded exchanges, comparing what is sent with what was recorded.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineTool, LLMProgram, LlmprocError, OutputInvalidError } from '../src/index.js';
import { expectValidConversation } from './support/conversation-invariant.js';
import { recorder } from './support/recorder.js';
import {
  loadFixture,
  withReplayServer,
  type Fixture,
  type FixtureSet,
} from './support/replay-server.js';
import { useProviderKeys } from './support/provider-keys.js';

useProviderKeys('test-key');

const invoice = z.object({ total: z.number(), currency: z.string() });

function mockProgram(turns: { text?: string; toolCalls?: { name: string; args: object }[] }[]) {
  return new LLMProgram({
    model: 'mock',
    provider: 'mock',
    tools: ['calculator'],
    mock: {
      turns: turns.map((turn) => ({
        ...(turn.text === undefined ? {} : { text: turn.text }),
        toolCalls: (turn.toolCalls ?? []).map((call) => ({
          name: call.name,
          args: { ...call.args },
        })),
      })),
    },
  });
}

describe('structured output on the mock provider', () => {
  it('returns the final answer parsed and typed from the zod schema, after tools ran', async () => {
    const proc = await mockProgram([
      { toolCalls: [{ name: 'calculator', args: { expression: '40+2' } }] },
      { text: '{"total": 42, "currency": "EUR"}' },
    ]).start();
    const result = await proc.run('Extract the invoice', { output: invoice });
    expectTypeOf(result.output).toEqualTypeOf<{ total: number; currency: string } | undefined>();
    expect(result.output).toEqual({ total: 42, currency: 'EUR' });
    expect(result.toolCalls).toEqual([{ toolName: 'calculator', args: { expression: '40+2' } }]);
    expect(result.toJSON().output).toEqual({ total: 42, currency: 'EUR' });
  });

  it('leaves output undefined for a run without a schema', async () => {
    const proc = await mockProgram([{ text: '{"total": 1}' }]).start();
    const result = await proc.run('hi');
    expect(result.output).toBeUndefined();
    expect('output' in result.toJSON()).toBe(false);
  });

  it('sends an invalid answer back once with the validation errors, then accepts the fix', async () => {
    const rec = recorder();
    const proc = await mockProgram([
      { text: '{"total": "forty-two", "currency": "EUR"}' },
      { text: '{"total": 42, "currency": "EUR"}' },
    ])
      .start()
      .addCallback(rec.callback);
    const result = await proc.run('Extract the invoice', { output: invoice });
    expect(result.output).toEqual({ total: 42, currency: 'EUR' });
    expect(result.apiCalls).toBe(2);
    const second = rec.events.filter((e) => e.event === 'api_request')[1]?.args[0] as {
      messages: { role: string; content: unknown }[];
    };
    const lastUser = second.messages.at(-1);
    expect(lastUser?.role).toBe('user');
    expect(JSON.stringify(lastUser?.content)).toContain('/total: Invalid input: expected number');
    await expectValidConversation(proc, { runAgain: false });
  });

  it('rejects with OUTPUT_INVALID carrying the raw text and issues when the retry is still invalid', async () => {
    const proc = await mockProgram([
      { text: 'The total is 42 euros.' },
      { text: '{"total": 42}' },
      { text: '{"total": 42, "currency": "EUR"}' },
    ]).start();
    const failure = await proc.run('Extract', { output: invoice }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OutputInvalidError);
    const error = failure as OutputInvalidError;
    expect(error.code).toBe('OUTPUT_INVALID');
    expect(error.raw).toBe('{"total": 42}');
    expect(error.issues).toEqual([
      { path: '/currency', message: 'Invalid input: expected string, received undefined' },
    ]);
    // The conversation holds whole turns and the process runs again.
    await expectValidConversation(proc, { runAgain: false });
    const again = await proc.run('Try once more', { output: invoice });
    expect(again.output).toEqual({ total: 42, currency: 'EUR' });
  });

  it('makes the number of retries configurable, zero included', async () => {
    const proc = await mockProgram([
      { text: 'not json' },
      { text: '{"total":1,"currency":"X"}' },
    ]).start();
    const error = await proc
      .run('Extract', { output: invoice, outputRetries: 0 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputInvalidError);
    expect((error as OutputInvalidError).issues[0]?.message).toMatch(/^is not valid JSON/);
  });

  it('validates against a JSON Schema with ajv', async () => {
    const schema = {
      type: 'object',
      properties: { city: { type: 'string' }, population: { type: 'integer', minimum: 0 } },
      required: ['city', 'population'],
      additionalProperties: false,
    };
    const proc = await mockProgram([
      { text: '{"city": "London", "population": -1}' },
      { text: '```json\n{"city": "London", "population": 9002488}\n```' },
    ]).start();
    const result = await proc.run('Tell me about London', { output: schema });
    expectTypeOf(result.output).toEqualTypeOf<unknown>();
    expect(result.output).toEqual({ city: 'London', population: 9002488 });
  });

  it('refuses a schema whose root is not an object before any model call', async () => {
    const rec = recorder();
    const proc = await mockProgram([{ text: '[]' }])
      .start()
      .addCallback(rec.callback);
    await expect(proc.run('x', { output: z.array(z.string()) })).rejects.toMatchObject({
      code: 'OUTPUT_SCHEMA_INVALID',
      message: 'output: the schema must describe an object (type "object"); got "array"',
    });
    await expect(proc.run('x', { output: { type: 'object', properties: 5 } })).rejects.toThrow(
      /output: not a valid JSON Schema/,
    );
    expect(rec.names()).toEqual([]);
    expect(proc.getState()).toEqual([]);
  });

  it('streams text_delta events while the answer is JSON', async () => {
    const rec = recorder();
    const proc = await mockProgram([{ text: '{"total": 3, "currency": "USD"}' }])
      .start()
      .addCallback(rec.callback);
    const result = await proc.run('x', { output: invoice, stream: true });
    expect(result.output).toEqual({ total: 3, currency: 'USD' });
    const deltas = rec.events.filter((e) => e.event === 'text_delta').map((e) => e.args[0]);
    expect(deltas.join('')).toBe('{"total": 3, "currency": "USD"}');
  });
});

/** Request bodies as the server received them, without the keys the test does not compare. */
function sent(server: { received: { body: unknown }[] }, index = 0): Record<string, unknown> {
  return server.received[index]?.body as Record<string, unknown>;
}

function recorded(fixture: Fixture): Record<string, unknown> {
  return fixture.request.body as Record<string, unknown>;
}

/** The recorded two-step loops ask the tool for the user's country first. */
const country = defineTool({
  name: 'get_user_country',
  description: 'The user country.',
  parameters: z.object({}),
  execute: () => 'Mexico',
});

function loop(set: FixtureSet, name: string): Fixture[] {
  return [loadFixture(set, `${name}.1`), loadFixture(set, `${name}.2`)];
}

const city = z
  .object({ city: z.string(), country: z.string(), population: z.int() })
  .meta({ title: 'CityInfo' });

describe('structured output through each provider SDK, against recorded exchanges', () => {
  it('anthropic: native output_config.format on a model that has it', async () => {
    const fixture = loadFixture('anthropic', 'structured-output');
    await withReplayServer([fixture], async (server) => {
      const program = new LLMProgram({
        model: 'claude-sonnet-4-5',
        provider: 'anthropic',
        baseUrl: server.url,
        parameters: { max_tokens: 4096 },
        disableAutomaticCaching: true,
      });
      const proc = await program.start();
      const result = await proc.run('Tell me about London', { output: city });
      expect(result.output).toEqual({
        city: 'London',
        country: 'United Kingdom',
        population: 9002488,
      });
      const { title: _title, ...recordedSchema } = { title: '', ...schemaOf(recorded(fixture)) };
      expect(schemaOf(sent(server))).toEqual({ ...recordedSchema, title: 'CityInfo' });
      expect(sent(server)['tools']).toBeUndefined();
    });
  });

  it('anthropic: streamed native structured output still gives text_delta events', async () => {
    const fixture = loadFixture('anthropic', 'structured-output-stream');
    await withReplayServer([fixture], async (server) => {
      const rec = recorder();
      const proc = await new LLMProgram({
        model: 'claude-sonnet-4-5',
        provider: 'anthropic',
        baseUrl: server.url,
      })
        .start()
        .addCallback(rec.callback);
      const dog = z
        .object({ name: z.string(), age: z.int(), bio: z.string() })
        .meta({ title: 'Dog' });
      const result = await proc.run('Invent a good dog', { output: dog, stream: true });
      expect(result.output?.name).toBe('Biscuit');
      expect(result.output?.age).toBe(4);
      const deltas = rec.events.filter((e) => e.event === 'text_delta').map((e) => e.args[0]);
      expect(deltas.length).toBeGreaterThan(1);
      expect(JSON.parse(deltas.join(''))).toEqual(result.output);
      expect(sent(server)['stream']).toBe(true);
      expect(schemaOf(sent(server))).toEqual({
        type: 'object',
        title: 'Dog',
        properties: { name: { type: 'string' }, age: { type: 'integer' }, bio: { type: 'string' } },
        additionalProperties: false,
        required: ['name', 'age', 'bio'],
      });
    });
  });

  it('anthropic: a forced final_result tool on a model without native output', async () => {
    const fixture = loadFixture('anthropic', 'structured-output-tool-forced');
    await withReplayServer([fixture], async (server) => {
      const proc = await new LLMProgram({
        model: 'claude-3-5-haiku-latest',
        provider: 'anthropic',
        baseUrl: server.url,
        disableAutomaticCaching: true,
      }).start();
      const summary = z.object({ city: z.string(), summary: z.string() });
      const result = await proc.run('Tell me about Paris', { output: summary });
      expect(result.output?.city).toBe('Paris');
      expect(result.output?.summary).toMatch(/^Paris is the capital/);
      expect(result.stopReason).toBe('end_turn');
      const body = sent(server);
      const recordedTools = recorded(fixture)['tools'] as { name: string }[];
      expect(body['tool_choice']).toEqual(recorded(fixture)['tool_choice']);
      expect(body['tools']).toEqual(
        [
          {
            ...recordedTools.find((tool) => tool.name === 'final_result'),
            input_schema: { ...z.toJSONSchema(summary), $schema: undefined },
          },
        ].map(({ input_schema: { $schema: _s, ...schema }, ...tool }) => ({
          ...tool,
          input_schema: schema,
        })),
      );
      // The answer is kept as text: no tool call is left unanswered in the conversation.
      expect(proc.getState().at(-1)).toEqual({
        role: 'assistant',
        content: [{ type: 'text', text: JSON.stringify(result.output) }],
      });
    });
  });

  it('openai chat: response_format json_schema, strict', async () => {
    const fixture = loadFixture('openai-chat', 'structured-output');
    await withReplayServer([fixture], async (server) => {
      const proc = await new LLMProgram({
        model: 'gpt-4o',
        provider: 'openai',
        baseUrl: server.url,
      }).start();
      const answer = z
        .object({
          answer: z.string().meta({ title: 'Answer', description: 'The answer to the question' }),
          confidence: z
            .number()
            .meta({ title: 'Confidence', description: 'Confidence score between 0 and 1' }),
        })
        .meta({ title: 'AnswerResponse', description: 'Response model with structured fields.' });
      const result = await proc.run('What is the capital of France? Be concise.', {
        output: answer,
      });
      expect(result.output).toEqual({ answer: 'Paris', confidence: 0.99 });
      expect(sent(server)['response_format']).toEqual(recorded(fixture)['response_format']);
    });
  });

  it('openai chat: a refusal rejects at once with OUTPUT_INVALID, without a retry', async () => {
    const fixture = loadFixture('openai-chat', 'structured-output-refusal');
    await withReplayServer([fixture], async (server) => {
      const proc = await new LLMProgram({
        model: 'gpt-4o',
        provider: 'openai',
        baseUrl: server.url,
      }).start();
      const error = await proc
        .run('anything', { output: z.object({ answer: z.string() }) })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OutputInvalidError);
      expect((error as OutputInvalidError).raw).toMatch(/sorry|can't|cannot/i);
      expect(server.received).toHaveLength(1);
    });
  });

  it('openai responses: text.format json_schema, after a function tool ran', async () => {
    const fixtures = loop('openai-responses', 'structured-output-tool-loop');
    await withReplayServer(fixtures, async (server) => {
      const proc = await new LLMProgram({
        model: 'gpt-5-mini',
        provider: 'openai',
        baseUrl: server.url,
        tools: [country],
        parameters: { reasoning_effort: 'low' },
      }).start();
      const cityLocation = z
        .object({ city: z.string(), country: z.string() })
        .meta({ title: 'CityLocation' });
      const result = await proc.run('What is the largest city in the user country?', {
        output: cityLocation,
      });
      expect(result.output).toEqual({ city: 'Mexico City', country: 'Mexico' });
      expect(result.toolCalls).toEqual([{ toolName: 'get_user_country', args: {} }]);
      const recordedFormat = (recorded(fixtures[0]!)['text'] as { format: unknown }).format;
      expect((sent(server, 0)['text'] as { format: unknown }).format).toEqual({
        ...(recordedFormat as object),
        schema: { ...(recordedFormat as { schema: object }).schema, title: 'CityLocation' },
      });
      expect(sent(server, 1)['text']).toEqual(sent(server, 0)['text']);
    });
  });

  it('gemini: responseMimeType and responseJsonSchema', async () => {
    const fixture = loadFixture('gemini', 'structured-output');
    await withReplayServer([fixture], async (server) => {
      const proc = await new LLMProgram({
        model: 'gemini-2.0-flash',
        provider: 'gemini',
        baseUrl: server.url,
      }).start();
      const cityLocation = z
        .object({ city: z.string(), country: z.string() })
        .meta({ title: 'CityLocation', description: 'A city and its country.' });
      const result = await proc.run('What is the largest city in Mexico?', {
        output: cityLocation,
      });
      expect(result.output).toEqual({ city: 'Mexico City', country: 'Mexico' });
      const config = sent(server)['generationConfig'] as Record<string, unknown>;
      const recordedConfig = recorded(fixture)['generationConfig'] as Record<string, unknown>;
      expect(config['responseMimeType']).toBe('application/json');
      expect(config['responseJsonSchema']).toEqual({
        ...(recordedConfig['responseJsonSchema'] as object),
        additionalProperties: false,
      });
    });
  });

  it('gemini: streamed structured output after a function call', async () => {
    const fixtures = loop('gemini', 'stream-structured-output-tool-loop');
    await withReplayServer(fixtures, async (server) => {
      const rec = recorder();
      const proc = await new LLMProgram({
        model: 'gemini-3-flash-preview',
        provider: 'gemini',
        baseUrl: server.url,
        tools: [country],
      })
        .start()
        .addCallback(rec.callback);
      const result = await proc.run('What is the largest city in the user country?', {
        output: z.object({ city: z.string(), country: z.string() }),
        stream: true,
      });
      expect(result.output).toEqual({ city: 'Mexico City', country: 'Mexico' });
      const deltas = rec.events.filter((e) => e.event === 'text_delta').map((e) => e.args[0]);
      expect(JSON.parse(deltas.join(''))).toEqual(result.output);
      expect(server.remaining()).toBe(0);
    });
  });
});

function schemaOf(body: Record<string, unknown>): Record<string, unknown> {
  const config = body['output_config'] as { format: { schema: Record<string, unknown> } };
  return config.format.schema;
}

it('OutputInvalidError is an LlmprocError', () => {
  expect(new OutputInvalidError('m', { raw: 'r', issues: [] })).toBeInstanceOf(LlmprocError);
});
