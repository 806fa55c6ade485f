/**
 * Claude on Amazon Bedrock over real HTTP: `@anthropic-ai/bedrock-sdk`'s AnthropicBedrock talks to a
 * local server replaying an InvokeModel exchange recorded against Bedrock (__fixtures__/), signing
 * with fake AWS keys. Nothing inside the SDK is mocked.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { afterEach, describe, expect, it } from 'vitest';
import {
  loadFixture,
  startReplayServer,
  type ReplayServer,
} from '../../../test/support/replay-server.js';
import { LlmprocError, ProviderError } from '../../errors.js';
import type { ModelRequest, ProviderSettings } from '../types.js';
import { BEDROCK_SDK_PACKAGE, createBedrockProvider } from './client.js';

let server: ReplayServer | undefined;
let streamServer: http.Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  streamServer?.closeAllConnections();
  const closing = streamServer;
  if (closing) await new Promise((resolve) => closing.close(resolve));
  streamServer = undefined;
});

/**
 * Serves InvokeModelWithResponseStream the way Bedrock does: binary AWS event-stream messages, each a
 * `chunk` event whose payload is `{ "bytes": base64(<one Anthropic stream event>) }`. Built with the
 * AWS codec (no Bedrock stream is recorded); the events are those of anthropic/text-stream.json.
 */
async function startEventStreamServer(
  events: unknown[],
): Promise<{ url: string; paths: string[] }> {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const paths: string[] = [];
  streamServer = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      paths.push(decodeURIComponent(req.url ?? ''));
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      for (const event of events) {
        const bytes = Buffer.from(JSON.stringify(event)).toString('base64');
        res.write(
          codec.encode({
            headers: {
              ':event-type': { type: 'string', value: 'chunk' },
              ':content-type': { type: 'string', value: 'application/json' },
              ':message-type': { type: 'string', value: 'event' },
            },
            body: fromUtf8(JSON.stringify({ bytes })),
          }),
        );
      }
      res.end();
    });
  });
  await new Promise<void>((resolve) => streamServer?.listen(0, '127.0.0.1', resolve));
  const { port } = streamServer.address() as AddressInfo;
  return { url: `http://127.0.0.1:${String(port)}`, paths };
}

const recorded = loadFixture('bedrock', 'invoke-text');
const model = 'anthropic.claude-3-haiku-20240307-v1:0';
const fakeKeys = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  LLMPROC_RETRY_MAX_ATTEMPTS: '1',
};

function settings(url: string, extra: Partial<ProviderSettings> = {}): ProviderSettings {
  return { provider: 'anthropic_bedrock', model, baseUrl: url, env: fakeKeys, ...extra };
}

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model,
    systemPrompt: '',
    messages: [{ role: 'user', content: 'Tell me a joke about OpenTelemetry' }],
    tools: [],
    parameters: { max_tokens: 1024 },
    promptCaching: false,
    stream: false,
    ...overrides,
  };
}

describe('anthropic_bedrock', () => {
  it('sends the recorded InvokeModel request, SigV4-signed, and maps the reply', async () => {
    server = await startReplayServer([recorded]);
    const provider = await createBedrockProvider(settings(server.url, { region: 'us-east-1' }));
    const { response } = await provider.doGenerate(provider.buildRequest(request()), {});
    const body = recorded.response.body as { content: { text: string }[] };
    expect(response.content).toEqual([{ type: 'text', text: body.content[0]?.text }]);
    expect(response.stopReason).toBe('end_turn');
    expect(response.usage).toMatchObject({ inputTokens: 17, outputTokens: 50 });
    const received = server.received[0];
    expect(decodeURIComponent(received?.url ?? '')).toBe(recorded.request.path);
    // The recorded body, its text as a block list (llmproc always sends blocks).
    expect(received?.body).toEqual({
      ...(recorded.request.body as Record<string, unknown>),
      messages: [
        {
          role: 'user',
          content: [{ type: 'text', text: 'Tell me a joke about OpenTelemetry' }],
        },
      ],
    });
    expect(received?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-east-1\/bedrock\/aws4_request/,
    );
  });

  it('streams from invoke-with-response-stream, decoding the AWS event stream into text deltas', async () => {
    const events = (loadFixture('anthropic', 'text-stream').response.sse ?? []).map(
      (frame) => frame.data,
    );
    const stream = await startEventStreamServer(events);
    const provider = await createBedrockProvider(settings(stream.url, { region: 'us-east-1' }));
    const deltas: string[] = [];
    const { response } = await provider.doGenerate(
      provider.buildRequest(request({ stream: true })),
      { onTextDelta: (delta) => deltas.push(delta) },
    );
    expect(stream.paths).toEqual([`/model/${model}/invoke-with-response-stream`]);
    expect(deltas.length).toBeGreaterThan(0);
    expect(response.content).toEqual([{ type: 'text', text: deltas.join('') }]);
    expect(response.stopReason).toBe('end_turn');
  });

  it('takes the region from AWS_REGION, and fails naming it when there is none', async () => {
    server = await startReplayServer([recorded]);
    const provider = await createBedrockProvider(
      settings(server.url, { env: { ...fakeKeys, AWS_REGION: 'eu-west-3' } }),
    );
    await provider.doGenerate(provider.buildRequest(request()), {});
    expect(server.received[0]?.headers.authorization).toContain('/eu-west-3/bedrock/');
    const error: unknown = await createBedrockProvider(settings(server.url)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LlmprocError);
    expect(error).toMatchObject({ code: 'MISSING_CREDENTIALS' });
    expect((error as Error).message).toContain('AWS_REGION');
  });

  it('turns an API error into a ProviderError of provider anthropic_bedrock', async () => {
    server = await startReplayServer([
      {
        ...recorded,
        response: {
          status: 400,
          headers: { 'content-type': 'application/json' },
          body: { message: 'Malformed input request: #: extraneous key [foo] is not permitted' },
        },
      },
    ]);
    const provider = await createBedrockProvider(settings(server.url, { region: 'us-east-1' }));
    const error: unknown = await provider
      .doGenerate(provider.buildRequest(request()), {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'anthropic_bedrock', status: 400 });
    expect((error as Error).message).not.toContain(fakeKeys.AWS_SECRET_ACCESS_KEY);
  });

  it('has no token count endpoint: countTokens is null', async () => {
    const provider = await createBedrockProvider(
      settings('http://127.0.0.1:9', { region: 'us-east-1' }),
    );
    expect(await provider.countTokens(request(), {})).toBeNull();
  });

  it('fails with PROVIDER_UNAVAILABLE naming the package when the Bedrock SDK is missing', async () => {
    const error: unknown = await createBedrockProvider(
      settings('http://127.0.0.1:9', { region: 'us-east-1' }),
      {
        importModule: (specifier) =>
          Promise.reject(new Error(`Cannot find package '${specifier}'`)),
      },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect((error as Error).message).toContain(`npm install ${BEDROCK_SDK_PACKAGE}`);
  });
});
