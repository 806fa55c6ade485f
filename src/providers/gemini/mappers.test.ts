/** The pure Gemini mappers, without HTTP. */
import { describe, expect, it } from 'vitest';
import type { Message } from '../../conversation/messages.js';
import { buildCountTokensParams, toSdkParams } from './provider.js';
import { buildGeminiRequest, toGeminiConfigParameters, toGeminiContents } from './request.js';
import {
  assembleStream,
  chunkTextDeltas,
  contextWindowFor,
  fromGeminiResponse,
  toStopReason,
  toUsage,
} from './response.js';
import { resolveClientOptions, retryOptionsFromEnv } from './client.js';
import { parseApiErrorBody, toLlmprocError } from './errors.js';

describe('toGeminiContents', () => {
  it('maps roles, skips empty messages and merges consecutive turns of one role', () => {
    const messages: Message[] = [
      { role: 'user', content: 'Hi' },
      { role: 'user', content: [{ type: 'text', text: 'there' }] },
      { role: 'assistant', content: '' },
      { role: 'assistant', content: [{ type: 'text', text: 'Hello' }] },
    ];
    expect(toGeminiContents(messages)).toEqual([
      { role: 'user', parts: [{ text: 'Hi' }, { text: 'there' }] },
      { role: 'model', parts: [{ text: 'Hello' }] },
    ]);
  });

  it('names each functionResponse after the tool_use with the same id, output or error', () => {
    const messages: Message[] = [
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'a', name: 'read_file', input: { file_path: 'x' } },
          { type: 'tool_use', id: 'b', name: 'calculator', input: { expression: '1/0' } },
        ],
      },
      // The original's layout: one user message per tool result; merged into one Gemini turn.
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'b', content: 'division by zero', is_error: true },
        ],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'a', content: 'text', is_error: false }],
      },
    ];
    expect(toGeminiContents(messages).slice(1)).toEqual([
      {
        role: 'model',
        parts: [
          { functionCall: { id: 'a', name: 'read_file', args: { file_path: 'x' } } },
          { functionCall: { id: 'b', name: 'calculator', args: { expression: '1/0' } } },
        ],
      },
      {
        role: 'user',
        parts: [
          {
            functionResponse: {
              id: 'b',
              name: 'calculator',
              response: { error: 'division by zero' },
            },
          },
          { functionResponse: { id: 'a', name: 'read_file', response: { output: 'text' } } },
        ],
      },
    ]);
  });

  it('rejects a tool_result whose tool_use is not in the conversation', () => {
    const messages: Message[] = [
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'ghost', content: 'x', is_error: false }],
      },
    ];
    expect(() => toGeminiContents(messages)).toThrow(
      /tool_result for "ghost" has no matching tool_use/,
    );
  });

  it('puts a signature-only thinking block on the next part and drops redacted thinking', () => {
    const messages: Message[] = [
      {
        role: 'assistant',
        content: [
          { type: 'redacted_thinking', data: 'opaque' },
          { type: 'thinking', thinking: 'plan', signature: 's0' },
          { type: 'thinking', thinking: '', signature: 's1' },
          { type: 'text', text: 'Let me look.' },
          { type: 'thinking', thinking: '', signature: 's2' },
          { type: 'tool_use', id: 'c', name: 'f', input: {} },
          { type: 'tool_use', id: 'd', name: 'f', input: {} },
        ],
      },
    ];
    expect(toGeminiContents(messages)).toEqual([
      {
        role: 'model',
        parts: [
          { text: 'plan', thought: true, thoughtSignature: 's0' },
          { text: 'Let me look.', thoughtSignature: 's1' },
          { functionCall: { id: 'c', name: 'f', args: {} }, thoughtSignature: 's2' },
          { functionCall: { id: 'd', name: 'f', args: {} } },
        ],
      },
    ]);
  });

  it('round-trips a reply with thoughts and signatures through the plain format', () => {
    const parts = [
      { text: 'thinking...', thought: true },
      { text: 'Answer', thoughtSignature: 'sigA' },
      { functionCall: { id: 'call-1', name: 'f', args: { x: 1 } }, thoughtSignature: 'sigB' },
      { functionCall: { id: 'call-2', name: 'g', args: {} } },
    ];
    const plain = fromGeminiResponse(
      { candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP' }] },
      'gemini-3-pro-preview',
    );
    const state = JSON.parse(JSON.stringify(plain.content)) as typeof plain.content;
    expect(toGeminiContents([{ role: 'assistant', content: state }])).toEqual([
      { role: 'model', parts },
    ]);
  });
});

describe('request parameters', () => {
  it('renames and camelCases [parameters] into GenerateContentConfig fields', () => {
    expect(
      toGeminiConfigParameters({
        max_tokens: 100,
        temperature: 0.2,
        top_p: 0.9,
        top_k: 40,
        stop: 'END',
        frequency_penalty: 0.5,
        seed: 7,
        reasoning_effort: 'high',
        thinking: { type: 'enabled', budget_tokens: 2048 },
        extra_headers: { 'x-a': 'b' },
      }),
    ).toEqual({
      maxOutputTokens: 100,
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      stopSequences: ['END'],
      frequencyPenalty: 0.5,
      seed: 7,
      thinkingConfig: { includeThoughts: true, thinkingBudget: 2048 },
      httpOptions: { headers: { 'x-a': 'b' } },
    });
  });

  it('turns thinking off with a zero budget, and lets an explicit thinking_config win', () => {
    expect(toGeminiConfigParameters({ thinking: { type: 'disabled' } })).toEqual({
      thinkingConfig: { thinkingBudget: 0 },
    });
    expect(
      toGeminiConfigParameters({
        thinking: { type: 'enabled' },
        thinking_config: { thinkingLevel: 'LOW' },
      }),
    ).toEqual({ thinkingConfig: { thinkingLevel: 'LOW' } });
  });

  it('builds { model, contents, config } with the system prompt and tools, and marks streaming', () => {
    const payload = buildGeminiRequest({
      model: 'gemini-2.5-pro',
      systemPrompt: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
      tools: [
        { name: 'calc', description: 'Math', inputSchema: { type: 'object', properties: {} } },
      ],
      parameters: { max_tokens: 10 },
      promptCaching: true,
      stream: true,
    });
    expect(payload).toEqual({
      model: 'gemini-2.5-pro',
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      config: {
        maxOutputTokens: 10,
        systemInstruction: 'Be brief.',
        tools: [
          {
            functionDeclarations: [
              {
                name: 'calc',
                description: 'Math',
                parametersJsonSchema: { type: 'object', properties: {} },
              },
            ],
          },
        ],
      },
      stream: true,
    });
  });

  it('hands the SDK a copy without `stream`, carrying the abort signal', () => {
    const payload = buildGeminiRequest({
      model: 'm',
      systemPrompt: '',
      messages: [{ role: 'user', content: 'Hi' }],
      tools: [],
      parameters: {},
      promptCaching: true,
      stream: true,
    });
    const signal = new AbortController().signal;
    const { stream, params } = toSdkParams(payload, signal);
    expect(stream).toBe(true);
    expect(params).toEqual({
      model: 'm',
      contents: payload.contents,
      config: { abortSignal: signal },
    });
    expect(params.contents).not.toBe(payload.contents);
    expect(payload.config).toEqual({});
  });

  it('counts the system prompt as a user turn on the Developer API, as systemInstruction on Vertex', () => {
    const base = {
      model: 'gemini-2.5-flash',
      systemPrompt: 'Sys',
      messages: [{ role: 'user' as const, content: 'Hi' }],
      tools: [{ name: 't', description: 'd', inputSchema: { type: 'object' } }],
      parameters: {},
      promptCaching: true,
      stream: false,
    };
    expect(buildCountTokensParams(base, false)).toEqual({
      model: 'gemini-2.5-flash',
      contents: [{ role: 'user', parts: [{ text: 'Sys' }, { text: 'Hi' }] }],
    });
    expect(buildCountTokensParams(base, true)).toEqual({
      model: 'gemini-2.5-flash',
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      config: {
        systemInstruction: 'Sys',
        tools: [
          {
            functionDeclarations: [
              { name: 't', description: 'd', parametersJsonSchema: { type: 'object' } },
            ],
          },
        ],
      },
    });
  });
});

describe('response mapping', () => {
  it('maps finish reasons to Anthropic stop reasons where they match', () => {
    expect(toStopReason('STOP', false)).toBe('end_turn');
    expect(toStopReason('STOP', true)).toBe('tool_use');
    expect(toStopReason('MAX_TOKENS', true)).toBe('max_tokens');
    expect(toStopReason('SAFETY', false)).toBe('safety');
    expect(toStopReason('MALFORMED_FUNCTION_CALL', false)).toBe('malformed_function_call');
    expect(toStopReason(undefined, false, 'PROHIBITED_CONTENT')).toBe('prohibited_content');
    expect(toStopReason(undefined, false)).toBeNull();
  });

  it('counts cached prompt tokens as cache reads, not input, and thoughts as output', () => {
    expect(
      toUsage({
        promptTokenCount: 100,
        cachedContentTokenCount: 60,
        toolUsePromptTokenCount: 3,
        candidatesTokenCount: 10,
        thoughtsTokenCount: 5,
        totalTokenCount: 118,
      }),
    ).toEqual({
      inputTokens: 43,
      outputTokens: 15,
      cacheReadTokens: 60,
      cacheWriteTokens: 0,
      reasoningTokens: 5,
    });
    expect(toUsage(undefined)).toEqual({
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('reads a blocked prompt (no candidates) as an empty reply with the block reason', () => {
    const response = fromGeminiResponse(
      { promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 4 } },
      'gemini-2.5-flash',
    );
    expect(response).toEqual({
      id: null,
      model: 'gemini-2.5-flash',
      content: [],
      stopReason: 'safety',
      usage: {
        inputTokens: 4,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
      },
    });
  });

  it('keeps an API-given function call id and generates distinct ones when absent', () => {
    const response = fromGeminiResponse(
      {
        candidates: [
          {
            content: {
              parts: [
                { functionCall: { id: 'given', name: 'f', args: {} } },
                { functionCall: { name: 'f' } },
                { functionCall: { name: 'f' } },
              ],
            },
            finishReason: 'STOP',
          },
        ],
      },
      'm',
    );
    const ids = response.content.map((b) => (b.type === 'tool_use' ? b.id : ''));
    expect(ids[0]).toBe('given');
    expect(ids[1]).toMatch(/^gemini-call-[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(3);
    expect(response.content[1]).toMatchObject({ input: {} });
  });
});

describe('stream assembly', () => {
  it('joins text pieces of one kind, before and after a signature, keeps the signature on the text and takes the last usage', () => {
    const chunks = [
      {
        responseId: 'r',
        candidates: [{ content: { role: 'model', parts: [{ text: 'Hm', thought: true }] } }],
      },
      {
        responseId: 'r',
        candidates: [{ content: { role: 'model', parts: [{ text: 'm.', thought: true }] } }],
      },
      { responseId: 'r', candidates: [{ content: { role: 'model', parts: [{ text: 'Hello' }] } }] },
      {
        responseId: 'r',
        candidates: [
          { content: { role: 'model', parts: [{ text: ' world', thoughtSignature: 'sig' }] } },
        ],
      },
      {
        responseId: 'r',
        candidates: [{ content: { role: 'model', parts: [{ text: '!' }] }, finishReason: 'STOP' }],
        usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 3 },
      },
    ];
    const assembled = assembleStream(chunks);
    expect(assembled).toEqual({
      responseId: 'r',
      usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 3 },
      candidates: [
        {
          finishReason: 'STOP',
          content: {
            role: 'model',
            parts: [
              { text: 'Hmm.', thought: true },
              { text: 'Hello world!', thoughtSignature: 'sig' },
            ],
          },
        },
      ],
    });
    expect(chunks.flatMap(chunkTextDeltas)).toEqual(['Hello', ' world', '!']);
    expect(fromGeminiResponse(assembled, 'm').content).toEqual([
      { type: 'thinking', thinking: 'Hmm.' },
      { type: 'thinking', thinking: '', signature: 'sig' },
      { type: 'text', text: 'Hello world!' },
    ]);
  });

  it('reads the text parts of one reply as one text, joined with nothing between them', () => {
    const raw = {
      candidates: [{ content: { role: 'model', parts: [{ text: 'Hel' }, { text: 'lo' }] } }],
    };
    expect(fromGeminiResponse(raw, 'm').content).toEqual([{ type: 'text', text: 'Hello' }]);
  });

  it('keeps a signature sent on an empty final text part', () => {
    const assembled = assembleStream([
      { candidates: [{ content: { parts: [{ functionCall: { name: 'f', args: {} } }] } }] },
      {
        candidates: [
          { content: { parts: [{ text: '', thoughtSignature: 'sig' }] }, finishReason: 'STOP' },
        ],
      },
    ]);
    const content = fromGeminiResponse(assembled, 'm').content;
    expect(content.slice(1)).toEqual([{ type: 'thinking', thinking: '', signature: 'sig' }]);
    expect(toGeminiContents([{ role: 'assistant', content }])[0]?.parts?.[1]).toEqual({
      text: '',
      thoughtSignature: 'sig',
    });
  });
});

describe('client settings and errors', () => {
  it('reads retry attempts and waits from LLMPROC_RETRY_* and retries the one policy: 408, 409, 429 and 5xx', () => {
    const retryable = [408, 409, 429, ...Array.from({ length: 100 }, (_, i) => 500 + i)];
    expect(retryOptionsFromEnv({})).toEqual({
      attempts: 6,
      initialDelay: 1,
      maxDelay: 90,
      httpStatusCodes: retryable,
    });
    expect(retryOptionsFromEnv({}).httpStatusCodes).toContain(529);
    expect(retryOptionsFromEnv({}).httpStatusCodes).not.toContain(400);
    expect(
      retryOptionsFromEnv({
        LLMPROC_RETRY_MAX_ATTEMPTS: '2',
        LLMPROC_RETRY_INITIAL_WAIT: '0.25',
        LLMPROC_RETRY_MAX_WAIT: '4',
      }),
    ).toMatchObject({ attempts: 2, initialDelay: 0.25, maxDelay: 4 });
    expect(retryOptionsFromEnv({ LLMPROC_RETRY_MAX_ATTEMPTS: 'many' })).toMatchObject({
      attempts: 6,
    });
  });

  it('prefers GEMINI_API_KEY and pins the v1beta API; Vertex takes project and region', () => {
    expect(
      resolveClientOptions({
        provider: 'gemini',
        model: 'm',
        env: { GEMINI_API_KEY: 'g', GOOGLE_API_KEY: 'o' },
      }),
    ).toMatchObject({ vertexai: false, apiKey: 'g', apiVersion: 'v1beta' });
    expect(
      resolveClientOptions({
        provider: 'gemini_vertex',
        model: 'm',
        env: { GOOGLE_CLOUD_PROJECT: 'p' },
      }),
    ).toMatchObject({ vertexai: true, project: 'p', location: 'us-central1' });
    expect(
      resolveClientOptions({
        provider: 'gemini_vertex',
        model: 'm',
        projectId: 'cfg',
        region: 'europe-west4',
        env: { GOOGLE_CLOUD_PROJECT: 'p', CLOUD_ML_REGION: 'us-east5' },
      }),
    ).toMatchObject({ project: 'cfg', location: 'europe-west4' });
    expect(
      resolveClientOptions({
        provider: 'gemini_vertex',
        model: 'm',
        env: { GOOGLE_CLOUD_PROJECT: 'p', CLOUD_ML_REGION: 'us-east5' },
      }),
    ).toMatchObject({ location: 'us-east5' });
  });

  it('reads the API message from plain and stream-prefixed error bodies', () => {
    expect(
      parseApiErrorBody('{"error":{"code":400,"message":"Bad","status":"INVALID_ARGUMENT"}}'),
    ).toEqual({
      message: 'Bad',
      status: 'INVALID_ARGUMENT',
    });
    expect(
      parseApiErrorBody('got status: UNAVAILABLE. {"error":{"code":503,"message":"Busy"}}'),
    ).toEqual({
      message: 'Busy',
    });
    expect(parseApiErrorBody('plain text')).toEqual({ message: 'plain text' });
  });

  it('keeps the SDK error as cause and never turns an abort into a provider error', () => {
    const apiError = Object.assign(new Error('{"error":{"code":500,"message":"Internal"}}'), {
      name: 'ApiError',
      status: 500,
    });
    const wrapped = toLlmprocError(apiError, 'gemini');
    expect(wrapped).toMatchObject({ message: 'gemini API error 500: Internal', status: 500 });
    expect(wrapped.cause).toBe(apiError);
    expect(toLlmprocError(apiError, 'gemini', AbortSignal.abort())).toMatchObject({
      code: 'ABORTED',
    });
  });
});

describe('context windows', () => {
  it('knows the Gemini families and leaves other models unknown', () => {
    expect(contextWindowFor('gemini-2.5-pro')).toBe(1_048_576);
    expect(contextWindowFor('models/gemini-2.0-flash-lite')).toBe(1_048_576);
    expect(contextWindowFor('gemini-3-pro-preview')).toBe(1_048_576);
    expect(contextWindowFor('gemini-1.5-pro-002')).toBe(2_097_152);
    expect(contextWindowFor('gemma-3-27b-it')).toBeNull();
  });
});
