/**
 * The API-selection rule and the client settings derived from ProviderSettings, pure.
 */
import { describe, expect, it } from 'vitest';
import { maxRetriesFrom, resolveBaseUrl } from './client.js';
import { contextWindowFor, isReasoningModel, selectApi } from './models.js';

describe('selectApi', () => {
  it('keeps Chat Completions for every model without reasoning settings, as the original', () => {
    expect(selectApi('gpt-4o-mini', {})).toBe('chat');
    expect(selectApi('o3-mini', { max_completion_tokens: 1000 })).toBe('chat');
    expect(selectApi('gpt-5', { temperature: 1 })).toBe('chat');
  });

  it('keeps Chat Completions for a non-reasoning model even with reasoning_effort', () => {
    expect(selectApi('gpt-4o', { reasoning_effort: 'high' })).toBe('chat');
  });

  it('uses the Responses API for a reasoning model with reasoning_effort or a reasoning table', () => {
    expect(selectApi('o3-mini', { reasoning_effort: 'medium' })).toBe('responses');
    expect(selectApi('o4-mini', { reasoning_effort: 'low' })).toBe('responses');
    expect(selectApi('o1', { reasoning_effort: 'high' })).toBe('responses');
    expect(selectApi('gpt-5-mini', { reasoning: { effort: 'low', summary: 'auto' } })).toBe(
      'responses',
    );
  });
});

describe('isReasoningModel', () => {
  it('recognises o1, o3, o4 and gpt-5 names and nothing else', () => {
    expect(['o1-mini', 'o3', 'o4-mini', 'gpt-5.1', 'gpt-5-nano'].map(isReasoningModel)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['gpt-4o', 'gpt-4.1-mini', 'chatgpt-4o-latest'].map(isReasoningModel)).toEqual([
      false,
      false,
      false,
    ]);
  });
});

describe('contextWindowFor', () => {
  it('knows the reasoning families and says null for the rest', () => {
    expect(contextWindowFor('o1-mini')).toBe(128_000);
    expect(contextWindowFor('o3-mini')).toBe(200_000);
    expect(contextWindowFor('gpt-5-mini')).toBe(400_000);
    expect(contextWindowFor('gpt-4o')).toBeNull();
  });
});

describe('resolveBaseUrl', () => {
  it('adds /v1 to a bare origin and keeps a URL with a path as given', () => {
    expect(resolveBaseUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/v1');
    expect(resolveBaseUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080/v1');
    expect(resolveBaseUrl('https://gateway.example/openai/v1')).toBe(
      'https://gateway.example/openai/v1',
    );
    expect(resolveBaseUrl(undefined)).toBe('https://api.openai.com/v1');
  });
});

describe('maxRetriesFrom', () => {
  it('turns LLMPROC_RETRY_MAX_ATTEMPTS (all attempts, default 6) into SDK retries', () => {
    expect(maxRetriesFrom({})).toBe(5);
    expect(maxRetriesFrom({ LLMPROC_RETRY_MAX_ATTEMPTS: '1' })).toBe(0);
    expect(maxRetriesFrom({ LLMPROC_RETRY_MAX_ATTEMPTS: '4' })).toBe(3);
    expect(maxRetriesFrom({ LLMPROC_RETRY_MAX_ATTEMPTS: '0' })).toBe(5);
    expect(maxRetriesFrom({ LLMPROC_RETRY_MAX_ATTEMPTS: 'many' })).toBe(5);
  });
});
