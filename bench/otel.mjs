// The cost of llmproc/otel: the same 10-tool runs with and without `otelCallbacks` attached, wired
// to the real OpenTelemetry SDK (batch span processor, metric reader) with exporters that drop what
// they get. Twice: on the mock provider (the loop's own overhead, the harshest case) and against a
// local fake Anthropic server over HTTP (what a real run pays). The variants alternate run by run so
// drift on a noisy machine hits both alike; the range is over the rounds.
import { performance } from 'node:perf_hooks';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { LLMProgram, setLogger } from '../dist/index.js';
import { fakeAnthropicProgram, noopTool } from './http-loops.mjs';
import { otelCallbacks } from '../dist/otel.js';
import { startFakeAnthropic } from './fake-anthropic.mjs';

setLogger({ debug() {}, info() {}, warn() {}, error() {} });
process.env.ANTHROPIC_API_KEY = 'bench-key';

const fmt = (x, digits = 2) => x.toFixed(digits);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs) => `${fmt(Math.min(...xs))}-${fmt(Math.max(...xs))}`;

/** A span exporter that drops every batch at once. */
const noopExporter = {
  export(_spans, done) {
    done({ code: 0 }); // ExportResultCode.SUCCESS
  },
  shutdown: () => Promise.resolve(),
  forceFlush: () => Promise.resolve(),
};

/** A metric reader nobody collects from: points are recorded into the SDK's storage, never sent. */
class IdleReader extends MetricReader {
  onForceFlush() {
    return Promise.resolve();
  }
  onShutdown() {
    return Promise.resolve();
  }
}

function telemetry() {
  const tracerProvider = new TracerProvider({
    spanProcessors: [new BatchSpanProcessor({ exporter: noopExporter })],
  });
  const meterProvider = new MeterProvider({ readers: [new IdleReader()] });
  return {
    callbacks: otelCallbacks({ tracerProvider, meterProvider }),
    shutdown: () => Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]),
  };
}

function mockTurns(tools) {
  const turns = Array.from({ length: tools }, (_, i) => ({
    toolCalls: [{ name: 'noop', args: { i } }],
  }));
  turns.push({ text: 'done' });
  return turns;
}

/**
 * Per-round ratios (with otel / without) over `rounds` rounds of `k` runs each. Within a round the
 * two variants alternate run by run, so a burst of load on a shared machine hits both alike.
 */
async function compare(plainRun, otelRun, k, rounds) {
  for (let i = 0; i < k; i++) {
    await plainRun(); // warm up both
    await otelRun();
  }
  const ratios = [];
  const plainMs = [];
  for (let r = 0; r < rounds; r++) {
    let plain = 0;
    let withOtel = 0;
    for (let i = 0; i < k; i++) {
      const t0 = performance.now();
      await plainRun();
      const t1 = performance.now();
      await otelRun();
      plain += t1 - t0;
      withOtel += performance.now() - t1;
    }
    plainMs.push(plain / k);
    ratios.push(withOtel / plain);
  }
  return { ratios, plainMs: median(plainMs) };
}

export async function otel() {
  console.log(
    '\n## llmproc/otel: a 10-tool run with otelCallbacks (no-op exporters) vs the same run without',
  );
  const t = telemetry();

  // The mock loop: a fork of a started process is a fresh process at the start of the script.
  const program = new LLMProgram({
    model: 'mock',
    provider: 'mock',
    tools: [noopTool],
    mock: { turns: mockTurns(10) },
  });
  const plainRoot = await program.start();
  const otelRoot = await program.start().addCallback(t.callbacks);
  const mockRun = (root) => async () => {
    const proc = await root.forkProcess();
    await proc.run('go');
  };
  const mock = await compare(mockRun(plainRoot), mockRun(otelRoot), 200, 9);
  console.log(
    `mock provider      ${fmt(mock.plainMs, 3)} ms/run without; with otel median ${fmt(median(mock.ratios))}x, range ${range(mock.ratios)}x over ${mock.ratios.length} rounds`,
  );

  const server = await startFakeAnthropic(10);
  const http = fakeAnthropicProgram(server.url);
  const plain = await http.start();
  const withOtel = await http.start().addCallback(t.callbacks);
  const httpRun = (proc) => async () => {
    proc.resetState();
    await proc.run('go');
  };
  const over = await compare(httpRun(plain), httpRun(withOtel), 20, 9);
  console.log(
    `fake Anthropic     ${fmt(over.plainMs, 2)} ms/run without; with otel median ${fmt(median(over.ratios))}x, range ${range(over.ratios)}x over ${over.ratios.length} rounds   (goal <= 1.10x)`,
  );
  await plain.close();
  await withOtel.close();
  await server.close();
  await t.shutdown();
}
