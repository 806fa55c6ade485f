/**
 * `--otel`: export the run's spans and metrics over OTLP/HTTP. The exporters read the standard
 * `OTEL_EXPORTER_OTLP_*` variables (endpoint, headers, timeout) and the resource reads
 * `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES`. Every package here is an optional dependency,
 * imported only when `--otel` is given, so a plain run loads none of OpenTelemetry.
 */
import type { Callbacks } from '../index.js';

export interface OtelExport {
  callbacks: Callbacks;
  /** Send what is buffered and stop the exporters; call before the CLI exits. */
  shutdown(): Promise<void>;
}

export async function startOtelExport(): Promise<OtelExport> {
  const [
    { TracerProvider, BatchSpanProcessor },
    { MeterProvider, PeriodicExportingMetricReader },
    { OTLPTraceExporter },
    { OTLPMetricExporter },
    {
      defaultResource,
      detectResources,
      resourceAttributesEnvDetector,
      resourceFromAttributes,
      serviceNameEnvDetector,
    },
    { otelCallbacks },
  ] = await Promise.all([
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/sdk-metrics'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/exporter-metrics-otlp-http'),
    import('@opentelemetry/resources'),
    import('../otel.js'),
  ]);
  // The default service name is the CLI's; OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win.
  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': 'llmproc' }))
    .merge(detectResources({ detectors: [resourceAttributesEnvDetector, serviceNameEnvDetector] }));
  const tracerProvider = new TracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  });
  const meterProvider = new MeterProvider({
    resource,
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter(),
        // Runs are short: export at shutdown, not on a timer that keeps the CLI alive.
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
