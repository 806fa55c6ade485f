/**
 * The CLI's `--otel` as users run it: the built CLI in a subprocess, exporting to a local OTLP/HTTP
 * receiver on 127.0.0.1 that the test starts (as an OpenTelemetry Collector, Jaeger or Phoenix would
 * listen), configured only by the standard OTEL_* variables.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot, requireBuiltCli, runCli } from './support/run-cli.js';

const calculator = path.join(repoRoot, 'examples/callbacks/calculator.toml');

interface Received {
  path: string;
  contentType: string | undefined;
  body: Buffer;
}

const received: Received[] = [];
let collector: Server;
let endpoint = '';

beforeAll(async () => {
  requireBuiltCli();
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const contentType = req.headers['content-type'];
      const path = req.url ?? '';
      if (path !== '/v1/traces' && path !== '/v1/metrics') {
        res.writeHead(404).end();
        return;
      }
      received.push({ path, contentType, body: Buffer.concat(chunks) });
      // An empty Export*ServiceResponse: `{}` in JSON, no bytes in protobuf.
      res.writeHead(200, { 'content-type': contentType ?? 'application/json' });
      res.end(contentType === 'application/json' ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${String((collector.address() as AddressInfo).port)}`;
});

afterAll(async () => {
  await new Promise((resolve) => collector.close(resolve));
});

beforeEach(() => {
  received.length = 0;
});

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
}
interface OtlpSpan {
  name: string;
  traceId: string;
  parentSpanId?: string;
  spanId: string;
  kind: number;
  attributes: { key: string; value: OtlpValue }[];
}
interface OtlpTraces {
  resourceSpans: {
    resource: { attributes: { key: string; value: OtlpValue }[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
}
interface OtlpMetrics {
  resourceMetrics: { scopeMetrics: { metrics: { name: string; unit: string }[] }[] }[];
}

const runCalculator = (env: Record<string, string>) =>
  runCli([calculator, '-p', 'What is 6 * 7?', '--otel', '-q'], {
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, ...env },
  });

const at = (path: string) => received.filter((r) => r.path === path);

describe('llmproc --otel', () => {
  it('sends spans and metrics as OTLP/HTTP protobuf by default, before exiting', async () => {
    const run = await runCalculator({ OTEL_SERVICE_NAME: 'calculator-agent' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('6 * 7 = 42.\n');
    expect(run.stderr).toBe('');
    const traces = at('/v1/traces');
    const metrics = at('/v1/metrics');
    expect(traces.length).toBeGreaterThan(0);
    expect(metrics.length).toBeGreaterThan(0);
    expect(received.every((r) => r.contentType === 'application/x-protobuf')).toBe(true);
    // Protobuf strings are their UTF-8 bytes: the names are in the bodies as sent.
    const traceBytes = Buffer.concat(traces.map((r) => r.body));
    for (const name of [
      'calculator-agent',
      'invoke_agent Mock mock',
      'chat mock',
      'gen_ai.usage.input_tokens',
    ])
      expect(traceBytes.includes(name), name).toBe(true);
    const metricBytes = Buffer.concat(metrics.map((r) => r.body));
    for (const name of ['gen_ai.client.token.usage', 'gen_ai.client.operation.duration'])
      expect(metricBytes.includes(name), name).toBe(true);
  });

  it('sends JSON with OTEL_EXPORTER_OTLP_PROTOCOL=http/json: one trace, named by OTEL_SERVICE_NAME', async () => {
    const run = await runCalculator({
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'calculator-agent',
    });
    expect(run.code).toBe(0);
    expect(received.every((r) => r.contentType === 'application/json')).toBe(true);
    const resources = at('/v1/traces').flatMap(
      (r) => (JSON.parse(r.body.toString('utf8')) as OtlpTraces).resourceSpans,
    );
    const serviceNames = resources.flatMap((r) =>
      r.resource.attributes.filter((a) => a.key === 'service.name').map((a) => a.value.stringValue),
    );
    expect(new Set(serviceNames)).toEqual(new Set(['calculator-agent']));
    const spans = resources.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    expect(spans.map((s) => s.name).sort()).toEqual([
      'chat mock',
      'chat mock',
      'execute_tool calculator',
      'execute_tool write_stderr',
      'invoke_agent Mock mock',
    ]);
    const agent = spans.find((s) => s.name.startsWith('invoke_agent'));
    expect(agent?.parentSpanId ?? '').toBe('');
    for (const span of spans.filter((s) => s !== agent)) {
      expect(span.parentSpanId).toBe(agent?.spanId);
      expect(span.traceId).toBe(agent?.traceId);
    }
    // OTLP's SpanKind: 1 INTERNAL, 3 CLIENT.
    expect(spans.filter((s) => s.name === 'chat mock').map((s) => s.kind)).toEqual([3, 3]);
    const attribute = (span: OtlpSpan | undefined, key: string) =>
      span?.attributes.find((a) => a.key === key)?.value;
    expect(attribute(agent, 'gen_ai.operation.name')).toEqual({ stringValue: 'invoke_agent' });
    const metrics = at('/v1/metrics')
      .flatMap((r) => (JSON.parse(r.body.toString('utf8')) as OtlpMetrics).resourceMetrics)
      .flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
    expect(metrics.map((m) => [m.name, m.unit]).sort()).toEqual([
      ['gen_ai.client.operation.duration', 's'],
      ['gen_ai.client.token.usage', '{token}'],
    ]);
  });

  it('sends no metrics with OTEL_METRICS_EXPORTER=none (for trace-only backends)', async () => {
    const run = await runCalculator({ OTEL_METRICS_EXPORTER: 'none' });
    expect(run.code).toBe(0);
    expect(at('/v1/traces').length).toBeGreaterThan(0);
    expect(at('/v1/metrics')).toEqual([]);
  });

  it('refuses a protocol it cannot send, naming the variable, before running', async () => {
    const run = await runCalculator({ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL is "grpc"');
    expect(run.stderr).toContain('"http/protobuf" (the default) or "http/json"');
    expect(received).toEqual([]);
  });

  it('says on stderr when the collector rejects the export, and keeps the run’s exit code', async () => {
    const run = await runCalculator({ OTEL_EXPORTER_OTLP_ENDPOINT: `${endpoint}/missing` });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('6 * 7 = 42.\n');
    expect(run.stderr).toMatch(/^llmproc --otel: /m);
  });
});
