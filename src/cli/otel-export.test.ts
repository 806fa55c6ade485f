import { describe, expect, it } from 'vitest';
import { otlpChoice } from './otel-export.js';

describe('otlpChoice: the standard OTEL_* variables, read as the OpenTelemetry SDKs read them', () => {
  it('defaults to OTLP/HTTP protobuf for both signals', () => {
    expect([otlpChoice({}, 'TRACES'), otlpChoice({}, 'METRICS')]).toEqual([
      'http/protobuf',
      'http/protobuf',
    ]);
  });

  it('takes the signal’s own protocol over the shared one', () => {
    const env = {
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: ' HTTP/Protobuf ',
    };
    expect([otlpChoice(env, 'TRACES'), otlpChoice(env, 'METRICS')]).toEqual([
      'http/json',
      'http/protobuf',
    ]);
  });

  it('turns a signal off with OTEL_<SIGNAL>_EXPORTER=none, and both with OTEL_SDK_DISABLED=true', () => {
    expect(otlpChoice({ OTEL_METRICS_EXPORTER: 'none' }, 'METRICS')).toBe('none');
    expect(otlpChoice({ OTEL_METRICS_EXPORTER: 'none' }, 'TRACES')).toBe('http/protobuf');
    expect(otlpChoice({ OTEL_SDK_DISABLED: 'true' }, 'TRACES')).toBe('none');
  });

  it('names the variable and what it accepts when it cannot honour it', () => {
    expect(() => otlpChoice({ OTEL_TRACES_EXPORTER: 'zipkin' }, 'TRACES')).toThrow(
      'OTEL_TRACES_EXPORTER is "zipkin": --otel exports with "otlp" (the default) or "none"',
    );
    expect(() => otlpChoice({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'METRICS')).toThrow(
      'OTEL_EXPORTER_OTLP_PROTOCOL is "grpc"',
    );
  });
});
