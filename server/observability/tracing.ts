/**
 * Optional OpenTelemetry tracing of GraphQL operations (@envelop/opentelemetry).
 * On when OTEL_EXPORTER_OTLP_ENDPOINT is set (spans go there over OTLP/HTTP,
 * batched) or when a tracer provider is passed in (tests use an in-memory
 * exporter). Variables and results are never put on spans: they hold
 * personal data.
 */
import { useOpenTelemetry } from '@envelop/opentelemetry';
import type { TracerProvider } from '@opentelemetry/api';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../../api/config';

export interface Tracing {
  plugins: Plugin[];
  shutdown(): Promise<void>;
}

export async function createTracing(config: Config, provided?: TracerProvider): Promise<Tracing> {
  const endpoint = config.raw.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!provided && !endpoint) return { plugins: [], shutdown: async () => {} };
  let provider = provided;
  let shutdown = async () => {};
  if (!provider) {
    // Loaded only when configured.
    const { BasicTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    const { resourceFromAttributes } = await import('@opentelemetry/resources');
    const sdk = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': config.raw.OTEL_SERVICE_NAME?.trim() || 'location-platform' }),
      // OTLP/HTTP traces path under the configured endpoint; OTEL_EXPORTER_OTLP_HEADERS is read by the exporter.
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint!.replace(/\/+$/, '')}/v1/traces` }))],
    });
    provider = sdk;
    shutdown = () => sdk.shutdown();
  }
  const plugin = useOpenTelemetry({ resolvers: false, variables: false, result: false, document: true }, provider) as unknown as Plugin;
  return { plugins: [plugin], shutdown };
}
