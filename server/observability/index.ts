/**
 * Everything an operator looks at, assembled for one running server: access
 * log with request ids, Prometheus metrics (/metrics), readiness (/ready),
 * optional tracing. http-server.ts only wires these in.
 */
import type { TracerProvider } from '@opentelemetry/api';
import type { Plugin } from 'graphql-yoga';
import type { App } from '../app';
import { createMetrics, routeLabel, type Metrics } from './metrics';
import { createReadiness, type Readiness } from './readiness';
import { createTracing } from './tracing';
import { checkIdentity } from './identity';
import { useAccessLogFields, withAccessLog } from './request-log';

export interface Observability {
  metrics: Metrics;
  readiness: Readiness;
  yogaPlugins: Plugin[];
  /** Wraps the request handler with the access log, request id and HTTP metrics. */
  wrap(handle: (request: Request) => Promise<Response>): (request: Request) => Promise<Response>;
  /** Answers /metrics and /ready; null for other paths. */
  route(request: Request, path: string): Promise<Response> | null;
  close(): Promise<void>;
}

export async function createObservability(app: App, options: { tracerProvider?: TracerProvider } = {}): Promise<Observability> {
  const { services } = app;
  const metrics = createMetrics(services);
  const readiness = createReadiness(services);
  readiness.add('identity', await checkIdentity(services));
  const tracing = await createTracing(services.config, options.tracerProvider);
  return {
    metrics,
    readiness,
    yogaPlugins: [...tracing.plugins, ...metrics.yogaPlugins(), useAccessLogFields()],
    wrap: (handle) =>
      withAccessLog(
        {
          logger: services.logger,
          onDone: (_info, request, status, seconds) => {
            const route = routeLabel(new URL(request.url).pathname);
            metrics.httpRequests.inc({ method: request.method, route, status: String(status) });
            metrics.httpDuration.observe({ method: request.method, route }, seconds);
          },
        },
        handle,
      ),
    route: (request, path) => {
      if (path === '/metrics' && request.method === 'GET') return metrics.respond(request);
      if (path === '/ready') return readiness.respond();
      return null;
    },
    close: async () => {
      await readiness.close();
      await tracing.shutdown();
    },
  };
}
