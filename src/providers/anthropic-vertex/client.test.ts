/**
 * Claude on Vertex AI over real HTTP: `@anthropic-ai/vertex-sdk`'s AnthropicVertex talks to a local
 * server replaying the Anthropic recordings at Vertex's paths (`...:rawPredict`,
 * `...:streamRawPredict`); a stand-in Google auth client supplies the token, so no Google
 * credential is needed. Nothing inside the SDK is mocked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  loadFixture,
  startReplayServer,
  type Fixture,
  type ReplayServer,
} from '../../../test/support/replay-server.js';
import { LlmprocError, ProviderError } from '../../errors.js';
import type { ModelRequest, ProviderSettings } from '../types.js';
import { createVertexProvider, VERTEX_SDK_PACKAGE, type VertexDeps } from './client.js';

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const project = 'my-project';
const region = 'us-east5';
const model = 'claude-sonnet-4-5@20250929';
const modelPath = `/v1/projects/${project}/locations/${region}/publishers/anthropic/models/${model}`;

/** An Anthropic recording answering at a Vertex path. */
function atVertex(name: string, method: 'rawPredict' | 'streamRawPredict'): Fixture {
  const copy = structuredClone(loadFixture('anthropic', name));
  copy.request.path = `${modelPath}:${method}`;
  return copy;
}

/** A Google auth client that hands out a fixed token, as google-auth-library's clients do. */
const fakeAuth: VertexDeps = {
  authClient: {
    getRequestHeaders: () => Promise.resolve(new Headers({ authorization: 'Bearer ya29.fake' })),
  },
};

function settings(url: string, extra: Partial<ProviderSettings> = {}): ProviderSettings {
  return {
    provider: 'anthropic_vertex',
    model,
    projectId: project,
    region,
    baseUrl: `${url}/v1`,
    env: { LLMPROC_RETRY_MAX_ATTEMPTS: '1' },
    ...extra,
  };
}

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model,
    systemPrompt: '',
    messages: [{ role: 'user', content: 'What is the capital of France?' }],
    tools: [],
    parameters: { max_tokens: 1024 },
    promptCaching: false,
    stream: false,
    ...overrides,
  };
}

describe('anthropic_vertex', () => {
  it('sends the Messages body to :rawPredict with anthropic_version in the body and no model', async () => {
    server = await startReplayServer([atVertex('text', 'rawPredict')]);
    const provider = await createVertexProvider(settings(server.url), fakeAuth);
    const { response } = await provider.doGenerate(provider.buildRequest(request()), {});
    expect(response.content).toEqual([{ type: 'text', text: 'The capital of France is Paris.' }]);
    expect(response.usage.inputTokens).toBeGreaterThan(0);
    const received = server.received[0];
    expect(received?.url).toBe(`${modelPath}:rawPredict`);
    expect(received?.headers.authorization).toBe('Bearer ya29.fake');
    // Vertex's documented API version in the body; the model goes into the path.
    expect((received?.body as Record<string, unknown>)['anthropic_version']).toBe(
      'vertex-2023-10-16',
    );
    expect(received?.headers['anthropic-version']).toBeUndefined();
    expect(received?.body).not.toHaveProperty('model');
  });

  it('streams from :streamRawPredict, text deltas first', async () => {
    server = await startReplayServer([atVertex('text-stream', 'streamRawPredict')]);
    const provider = await createVertexProvider(settings(server.url), fakeAuth);
    const deltas: string[] = [];
    const { response } = await provider.doGenerate(
      provider.buildRequest(request({ stream: true })),
      { onTextDelta: (delta) => deltas.push(delta) },
    );
    expect(server.received[0]?.url).toBe(`${modelPath}:streamRawPredict`);
    expect(deltas.length).toBeGreaterThan(0);
    expect(response.content).toEqual([{ type: 'text', text: deltas.join('') }]);
  });

  it('turns an API error into a ProviderError of provider anthropic_vertex', async () => {
    const failure = atVertex('error-400-invalid-request', 'rawPredict');
    server = await startReplayServer([failure]);
    const provider = await createVertexProvider(settings(server.url), fakeAuth);
    const error: unknown = await provider
      .doGenerate(provider.buildRequest(request()), {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'anthropic_vertex', status: 400 });
  });

  it('fails with MISSING_CREDENTIALS naming ANTHROPIC_VERTEX_PROJECT_ID when no project id is set', async () => {
    const error: unknown = await createVertexProvider(
      { provider: 'anthropic_vertex', model, env: {} },
      fakeAuth,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmprocError);
    expect((error as LlmprocError).code).toBe('MISSING_CREDENTIALS');
    expect((error as LlmprocError).message).toContain('ANTHROPIC_VERTEX_PROJECT_ID');
    expect((error as LlmprocError).message).toContain('[model].project_id');
  });

  it('fails with PROVIDER_UNAVAILABLE naming the package and its settings when the Vertex SDK is missing', async () => {
    const error: unknown = await createVertexProvider(
      {
        provider: 'anthropic_vertex',
        model,
        env: { ANTHROPIC_VERTEX_PROJECT_ID: 'env-project', CLOUD_ML_REGION: 'europe-west1' },
      },
      {
        importModule: (specifier) =>
          Promise.reject(new Error(`Cannot find package '${specifier}'`)),
      },
    ).catch((e: unknown) => e);
    expect((error as LlmprocError).code).toBe('PROVIDER_UNAVAILABLE');
    const message = (error as LlmprocError).message;
    expect(message).toContain(`npm install ${VERTEX_SDK_PACKAGE}`);
    expect(message).toContain('ANTHROPIC_VERTEX_PROJECT_ID (here "env-project")');
    expect(message).toContain('CLOUD_ML_REGION (here "europe-west1")');
  });
});
