/**
 * The HTTP server: GraphQL over HTTP and SSE (Yoga) and over WebSocket
 * (graphql-ws, same path), health and readiness probes, the JWKS, plugin
 * routes, optional TLS with HSTS, graceful shutdown.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServerAdapter } from '@whatwg-node/server';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { uploadLimits, useBodyLimits } from './body-limits';
import { useStreamingUploads } from './uploads/plugin';
import { openUploadRoot } from './uploads/upload-dir';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { App } from './app';
import { createContext, type Context } from '../api/context';
import { rememberClientAddress } from '../api/client-address';
import { bearerToken, viewerFromToken } from '../api/auth/viewer';
import { startJobs } from './jobs';
import { forWebSocket, maskError, useContractErrorCodes } from './error-codes';
import { hardeningPlugins } from './hardening';
import { useCompiledQueries, type QueryExecutor } from './compiled-queries';
import { corsOptions } from './cors';
import { clientAddress, guardRequest, operationLimitPlugins } from './limits';
import { describeError, logFailedOperations } from './error-log';
import { take } from '../api/rate-limits';
import { GraphQLError } from 'graphql';
import type { PluginRoute } from '../schema/plugin-api';
import { demoPageEnabled, handleDemoRequest } from './demo/route';
import { isAppError } from '../api/errors';
import { createObservability, type Observability } from './observability';
import { requestInfo } from './observability/request-log';
import { gracefulStop } from './shutdown';
import { useSharedLiveExecution } from './live-sharing';
import { offlineGraphiQL } from './graphiql';
import type { TracerProvider } from '@opentelemetry/api';
import { servePolicyDocument } from './policy-route';
import { loadManifest, resolveTrustedDocument, trustedDocumentsEnabled, trustedDocumentsPlugins } from './trusted-documents';

export interface RunningServer {
  server: Server;
  url: string;
  port: number;
  yoga: YogaServerInstance<Record<string, unknown>, Context>;
  observability: Observability;
  stop(): Promise<void>;
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

type YogaContextInput = { request: Request; req?: IncomingMessage; connectionParams?: Record<string, unknown> };

/** `countQuery`: told for each query execution which executor ran it (the metrics). */
export function createYogaFor(app: App, extraPlugins: Plugin[] = [], countQuery?: (executor: QueryExecutor) => void) {
  const { services } = app;
  return createYoga<Record<string, unknown>, Context>({
    schema: app.built.schema,
    graphqlEndpoint: '/graphql',
    graphiql:
      services.config.graphiql && services.config.limits.introspection
        ? { title: 'Location platform', subscriptionsProtocol: 'WS' }
        : false,
    landingPage: false,
    maskedErrors: { maskError, isDev: false },
    // Upload bodies (multipart, importLocations) are limited separately (server/body-limits.ts); others by GRAPHQL_MAX_BODY_BYTES.
    maxRequestBodySize: false,
    // Yoga's multipart parser buffers the whole body (request.formData()); uploads are streamed to disk by useStreamingUploads.
    multipart: false,
    renderGraphiQL: offlineGraphiQL,
    plugins: [
      ...hardeningPlugins(services.config),
      ...operationLimitPlugins(services),
      logFailedOperations(() => services.logger),
      useContractErrorCodes(),
      // Before useBodyLimits, which wraps the parser chosen so far and counts the bytes it reads.
      useStreamingUploads(openUploadRoot(services.config.dataDir), uploadLimits(services.config.limits.maxBodyBytes)),
      useBodyLimits(),
      ...trustedDocumentsPlugins(services),
      // One execution per live event and group of subscribers with the same result (after the plugins that may refuse).
      useSharedLiveExecution(),
      // Hot queries compiled (after the plugins above have had their say on the operation).
      ...(services.config.compileQueriesAfter === null
        ? []
        : [useCompiledQueries({ hotAfter: services.config.compileQueriesAfter, countQuery })]),
      ...extraPlugins,
    ],
    cors: corsOptions(services.config),
    // Never String(error): a GraphQLError prints the query's source lines, literals included.
    logging: {
      debug: (...a) => services.logger.debug(typeof a[0] === 'string' ? a[0] : 'yoga', a[0] instanceof Error ? describeError(a[0]) : {}),
      info: (...a) => services.logger.info(typeof a[0] === 'string' ? a[0] : 'yoga'),
      warn: (...a) => services.logger.warn(typeof a[0] === 'string' ? a[0] : 'yoga', a[0] instanceof Error ? describeError(a[0]) : {}),
      error: (...a) => services.logger.error('unexpected error', { errors: a.map(describeError) }),
    },
    context: async ({ request, req, connectionParams }: YogaContextInput) => {
      const fromParams = connectionParams?.authorization ?? connectionParams?.Authorization;
      const token = typeof fromParams === 'string' ? bearerToken(fromParams) : bearerToken(request.headers.get('authorization'));
      const viewer = await viewerFromToken(services, token);
      return createContext(services, viewer, request, clientAddress(req, services.config.limits.trustProxy));
    },
  });
}

export interface StartOptions {
  port?: number;
  host?: string;
  /** Traces GraphQL operations into this provider (tests: an in-memory exporter). */
  tracerProvider?: TracerProvider;
}

export async function startServer(app: App, options: StartOptions = {}): Promise<RunningServer> {
  const { services } = app;
  const { config } = services;
  const observability = await createObservability(app, { tracerProvider: options.tracerProvider });
  const yoga = createYogaFor(app, observability.yogaPlugins, (executor) => observability.metrics.queryExecutions.inc({ executor }));
  const routes = new Map<string, PluginRoute>();
  for (const plugin of app.plugins) for (const r of plugin.routes ?? []) routes.set(`${r.method} ${r.path}`, r);

  const securityHeaders: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...(config.hsts ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };

  const demoPage = demoPageEnabled(config);
  const handle = async (incoming: Request, serverContext: { req?: IncomingMessage }): Promise<Response> => {
    const guarded = await guardRequest(services, incoming, serverContext.req);
    if (guarded instanceof Response) return guarded;
    const request = guarded;
    const url = new URL(request.url);
    if (url.pathname === '/health') return json({ status: 'ok' });
    const operational = observability.route(request, url.pathname);
    if (operational) return operational;
    if (url.pathname === '/.well-known/jwks.json') return json(services.keys.jwks(), 200, { 'cache-control': 'public, max-age=300' });
    if (url.pathname.startsWith('/policies/')) return servePolicyDocument(request, services, url.pathname);
    const route = routes.get(`${request.method} ${url.pathname}`);
    if (route) return route.handler(request, services);
    if (demoPage) {
      const demo = await handleDemoRequest(request);
      if (demo) return demo;
    }
    return yoga.fetch(request, serverContext);
  };

  // The Node <-> Fetch bridge is @whatwg-node/server's (the one Yoga itself uses): it streams bodies with
  // backpressure, aborts the request's signal when the client goes away, and keeps repeated headers.
  const listener = createServerAdapter<{ req?: IncomingMessage }>((incoming, serverContext) =>
    observability.wrap(async (request: Request): Promise<Response> => {
      // The client's address (socket, or X-Forwarded-For behind TRUST_PROXY hops), for per-client limits in plugins.
      rememberClientAddress(incoming, serverContext.req ? clientAddress(serverContext.req, config.limits.trustProxy) : undefined);
      let response: Response;
      try {
        response = await handle(request, serverContext);
      } catch (e) {
        (requestInfo(request)?.log ?? services.logger).error('request failed', { error: e });
        response = json({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }, 500);
      }
      for (const [k, v] of Object.entries(securityHeaders)) if (!response.headers.has(k)) response.headers.set(k, v);
      return response;
    })(incoming),
  );

  const server = config.tls
    ? createHttpsServer({ cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) }, listener)
    : createHttpServer(listener);
  // Longer than the idle timeouts of common proxies and clients (60 s), so an
  // idle keep-alive connection is never closed by us while a client reuses it.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  // WebSocket messages get the same size limit as /graphql bodies (ws would accept 100 MiB).
  // TRUSTED_DOCUMENTS=on: the same manifest decides over WebSocket (server/trusted-documents.ts).
  const trustedManifest = trustedDocumentsEnabled(services) ? loadManifest() : null;
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint, maxPayload: config.limits.maxBodyBytes });
  const wsServer = useServer(
    {
      execute: (args: any) => args.rootValue.execute(args),
      subscribe: (args: any) => args.rootValue.subscribe(args),
      // One bad operation answers an `error` message for its id; the socket and its other subscriptions stay.
      onError: (_ctx, _id, _payload, errors) => forWebSocket(errors),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors?.length ? { ...result, errors: forWebSocket(result.errors as GraphQLError[]) } : result,
      onSubscribe: async (ctx, _id, params) => {
        const limited = await take(services.limiters.requests, clientAddress(ctx.extra.request, config.limits.trustProxy));
        if (limited) return [limited];
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
          request: new Request(`http://localhost${yoga.graphqlEndpoint}`, {
            headers: { 'content-type': 'application/json' },
          }),
          connectionParams: ctx.connectionParams,
        });
        let contextValue;
        try {
          contextValue = await contextFactory();
        } catch (e) {
          // A refused token (UNAUTHENTICATED) is an error message for this subscription, not a dropped connection.
          if (isAppError(e)) return [e];
          throw e;
        }
        let query = params.query;
        if (trustedManifest) {
          try {
            query = resolveTrustedDocument(trustedManifest, (contextValue as unknown as Context).viewer, params);
          } catch (e) {
            if (isAppError(e)) return [e];
            throw e;
          }
        }
        let document;
        try {
          document = parse(query);
        } catch (e) {
          if (e instanceof GraphQLError) return forWebSocket([e]);
          throw e;
        }
        const args = {
          schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue,
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        if (errors.length) return forWebSocket(errors);
        return args;
      },
    },
    wss,
  );

  const jobs = await startJobs(app, observability.metrics);
  const port = options.port ?? config.port;
  const host = options.host ?? config.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const url = `${config.tls ? 'https' : 'http'}://${shownHost}:${address.port}`;

  const stop = gracefulStop({
    server,
    wss,
    disposeWebSockets: async () => void (await wsServer.dispose()),
    after: [() => jobs.stop(), () => observability.close()],
  });

  return { server, url, port: address.port, yoga, observability, stop };
}
