/**
 * `--otel`: export the run's spans and metrics over OTLP/HTTP, configured by the standard OpenTelemetry
 * SDK variables: `OTEL_EXPORTER_OTLP_*` (endpoint, headers, timeout, and the protocol, per signal or
 * for both), `OTEL_TRACES_EXPORTER` / `OTEL_METRICS_EXPORTER` (`otlp` or `none`), `OTEL_SDK_DISABLED`,
 * and `OTEL_SERVICE_NAME` / `OTEL_RESOURCE_ATTRIBUTES` for the resource. Every package here is an
 * optional dependency, imported only when `--otel` is given, so a plain run loads none of
 * OpenTelemetry.
 */
import { format } from 'node:util';
import { LlmprocError, type Callbacks } from '../index.js';

export interface OtelExport {
  callbacks: Callbacks;
  /** Send what is buffered and stop the exporters; call before the CLI exits. */
  shutdown(): Promise<void>;
}

/** How one signal is sent: OTLP/HTTP with a protobuf or a JSON body, or not at all. */
export type OtlpChoice = 'http/protobuf' | 'http/json' | 'none';

type Env = Readonly<Record<string, string | undefined>>;

/** A variable's value, trimmed and lower-cased; undefined when unset or empty. */
function setting(env: Env, name: string): string | undefined {
  const value = env[name]?.trim().toLowerCase();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * What the environment asks for one signal (`TRACES` or `METRICS`), read the way the OpenTelemetry
 * SDKs read it: `OTEL_<signal>_EXPORTER` (`otlp`, the default, or `none`), then the protocol from
 * `OTEL_EXPORTER_OTLP_<signal>_PROTOCOL` or `OTEL_EXPORTER_OTLP_PROTOCOL` (default `http/protobuf`,
 * the specification's default, which every OTLP backend accepts).
 */
export function otlpChoice(env: Env, signal: 'TRACES' | 'METRICS'): OtlpChoice {
  if (setting(env, 'OTEL_SDK_DISABLED') === 'true') return 'none';
  const exporterVar = `OTEL_${signal}_EXPORTER`;
  const exporters = (setting(env, exporterVar) ?? 'otlp').split(',').map((e) => e.trim());
  if (exporters.includes('none')) return 'none';
  const other = exporters.find((e) => e !== 'otlp');
  if (other !== undefined)
    throw new LlmprocError(
      'INVALID_OPTION',
      `${exporterVar} is "${other}": --otel exports with "otlp" (the default) or "none"`,
    );
  const signalVar = `OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`;
  const protocolVar =
    setting(env, signalVar) === undefined ? 'OTEL_EXPORTER_OTLP_PROTOCOL' : signalVar;
  const protocol = setting(env, protocolVar) ?? 'http/protobuf';
  if (protocol === 'http/protobuf' || protocol === 'http/json') return protocol;
  throw new LlmprocError(
    'INVALID_OPTION',
    `${protocolVar} is "${protocol}": --otel sends OTLP over HTTP, "http/protobuf" (the default) or "http/json"`,
  );
}

/** The optional packages --otel needs, named when one is missing. */
const packages = [
  '@opentelemetry/api',
  '@opentelemetry/sdk-trace',
  '@opentelemetry/sdk-metrics',
  '@opentelemetry/resources',
  '@opentelemetry/exporter-trace-otlp-proto',
  '@opentelemetry/exporter-metrics-otlp-proto',
  '@opentelemetry/exporter-trace-otlp-http',
  '@opentelemetry/exporter-metrics-otlp-http',
];

async function load<T>(importing: () => Promise<T>): Promise<T> {
  try {
    return await importing();
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new LlmprocError(
      'DEPENDENCY_MISSING',
      `--otel needs the OpenTelemetry packages (optional dependencies of llmproc): npm install ${packages.join(' ')}`,
      { cause: error },
    );
  }
}

async function spanExporter(choice: Exclude<OtlpChoice, 'none'>) {
  return choice === 'http/json'
    ? new (await load(() => import('@opentelemetry/exporter-trace-otlp-http'))).OTLPTraceExporter()
    : new (
        await load(() => import('@opentelemetry/exporter-trace-otlp-proto'))
      ).OTLPTraceExporter();
}

async function metricExporter(choice: Exclude<OtlpChoice, 'none'>) {
  return choice === 'http/json'
    ? new (
        await load(() => import('@opentelemetry/exporter-metrics-otlp-http'))
      ).OTLPMetricExporter()
    : new (
        await load(() => import('@opentelemetry/exporter-metrics-otlp-proto'))
      ).OTLPMetricExporter();
}

/** The SDK reports a failed export as a serialized error (stack and all): keep its message. */
function readable(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : text;
  } catch {
    return text;
  }
}

export async function startOtelExport(env: Env = process.env): Promise<OtelExport> {
  const traces = otlpChoice(env, 'TRACES');
  const metrics = otlpChoice(env, 'METRICS');
  const [
    { diag, DiagLogLevel },
    { TracerProvider, BatchSpanProcessor },
    { MeterProvider, PeriodicExportingMetricReader },
    {
      defaultResource,
      detectResources,
      resourceAttributesEnvDetector,
      resourceFromAttributes,
      serviceNameEnvDetector,
    },
    { otelCallbacks },
  ] = await Promise.all([
    load(() => import('@opentelemetry/api')),
    load(() => import('@opentelemetry/sdk-trace')),
    load(() => import('@opentelemetry/sdk-metrics')),
    load(() => import('@opentelemetry/resources')),
    load(() => import('../otel.js')),
  ]);
  // An export that fails (no collector at the endpoint, a rejected body) is said on stderr, not lost
  // in silence; the run's own outcome and exit code do not change.
  const say = (message: string, ...args: unknown[]): void => {
    process.stderr.write(`llmproc --otel: ${readable(format(message, ...args))}\n`);
  };
  const quiet = (): void => undefined;
  diag.setLogger(
    { error: say, warn: say, info: quiet, debug: quiet, verbose: quiet },
    DiagLogLevel.WARN,
  );
  // The default service name is the CLI's; OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win.
  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': 'llmproc' }))
    .merge(detectResources({ detectors: [resourceAttributesEnvDetector, serviceNameEnvDetector] }));
  const tracerProvider = new TracerProvider({
    resource,
    spanProcessors:
      traces === 'none' ? [] : [new BatchSpanProcessor({ exporter: await spanExporter(traces) })],
  });
  const meterProvider = new MeterProvider({
    resource,
    readers:
      metrics === 'none'
        ? []
        : [
            new PeriodicExportingMetricReader({
              exporter: await metricExporter(metrics),
              // Runs are short: the points go at shutdown, not on a timer that keeps the CLI alive.
              exportIntervalMillis: 60_000,
            }),
          ],
  });
  return {
    callbacks: otelCallbacks({ tracerProvider, meterProvider }),
    shutdown: async () => {
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}
