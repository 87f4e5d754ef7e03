/**
 * Prometheus metrics of one instance, served at /metrics (text format),
 * behind `Authorization: Bearer $METRICS_TOKEN` when METRICS_TOKEN is set.
 * GraphQL operation counters and durations come from
 * @graphql-yoga/plugin-prometheus; HTTP requests, live subscriptions,
 * ingested location points and job runs are ours. One registry per app, so
 * several instances in one process (tests) do not collide.
 */
import { timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import type { Plugin } from 'graphql-yoga';
import type { AppServices } from '../../api/context';

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  liveSubscriptions: Gauge;
  ingestedPoints: Counter;
  jobRuns: Counter<'job' | 'outcome'>;
  queryExecutions: Counter<'executor'>;
  /** Yoga plugins that feed the registry (operation metrics, live subscription gauge). */
  yogaPlugins(): Plugin[];
  /** The /metrics response (401 without the token when one is configured). */
  respond(request: Request): Promise<Response>;
}

const KNOWN_ROUTES = new Set(['/graphql', '/health', '/ready', '/metrics', '/.well-known/jwks.json']);

/** A bounded route label: known paths as they are, everything else "other". */
export function routeLabel(path: string): string {
  return KNOWN_ROUTES.has(path) ? path : 'other';
}

export function createMetrics(services: AppServices): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const liveSubscriptions = new Gauge({ name: 'graphql_live_subscriptions', help: 'Open GraphQL subscriptions', registers: [registry] });
  const ingestedPoints = new Counter({ name: 'location_points_ingested_total', help: 'Location points stored', registers: [registry] });
  const queryExecutions = new Counter({
    name: 'graphql_query_executions_total',
    help: 'GraphQL query executions by executor (compiled, interpreted; server/compiled-queries.ts)',
    labelNames: ['executor'] as const,
    registers: [registry],
  });
  const jobRuns = new Counter({
    name: 'job_runs_total',
    help: 'Job runs on this instance by job and outcome (ok, failed)',
    labelNames: ['job', 'outcome'] as const,
    registers: [registry],
  });
  services.events.on('location.recorded', (payload) => {
    ingestedPoints.inc(payload.count);
  });

  const token = services.config.raw.METRICS_TOKEN?.trim() || null;
  const authorized = (request: Request) => {
    if (!token) return true;
    const given = Buffer.from(request.headers.get('authorization') ?? '');
    const wanted = Buffer.from(`Bearer ${token}`);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  };

  const liveGauge: Plugin = {
    onSubscribe() {
      return {
        onSubscribeResult({ result }) {
          if (!result || !(Symbol.asyncIterator in result)) return;
          liveSubscriptions.inc();
          let ended = false;
          return {
            onEnd() {
              if (ended) return;
              ended = true;
              liveSubscriptions.dec();
            },
          };
        },
      };
    },
  };

  return {
    registry,
    httpRequests,
    httpDuration,
    liveSubscriptions,
    ingestedPoints,
    jobRuns,
    queryExecutions,
    yogaPlugins: () => [
      usePrometheus({
        registry,
        endpoint: false,
        metrics: {
          graphql_envelop_request: true,
          graphql_envelop_request_duration: true,
          graphql_envelop_error_result: true,
          graphql_envelop_phase_execute: true,
          graphql_envelop_phase_subscribe: true,
          // Off: the plugin's defaults would also walk every document for deprecated fields, keep a t-digest summary
          // per operation and a second HTTP histogram (ours is http_request_duration_seconds): about 1.5 ms a request
          // on a 100-device page, measured with a CPU profile (issue 11's hot-path budget).
          graphql_envelop_deprecated_field: false,
          graphql_envelop_request_time_summary: false,
          graphql_envelop_schema_change: false,
          graphql_yoga_http_duration: false,
        },
      }),
      liveGauge,
    ],
    respond: async (request) => {
      if (!authorized(request)) {
        return new Response('metrics need Authorization: Bearer <METRICS_TOKEN>\n', {
          status: 401,
          headers: { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' },
        });
      }
      return new Response(await registry.metrics(), { headers: { 'content-type': registry.contentType } });
    },
  };
}
