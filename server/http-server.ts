/**
 * The HTTP server: GraphQL over HTTP and SSE (Yoga) and over WebSocket
 * (graphql-ws, same path), health and readiness probes, the JWKS, plugin
 * routes, optional TLS with HSTS, graceful shutdown.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServerAdapter } from '@whatwg-node/server';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { App } from './app';
import { createContext, type Context } from '../api/context';
import { bearerToken, viewerFromToken } from '../api/auth/viewer';
import { startJobs } from './jobs';
import { maskError, useContractErrorCodes } from './error-codes';
import { hardeningPlugins } from './hardening';
import type { PluginRoute } from '../schema/plugin-api';
import { demoPageEnabled, handleDemoRequest } from './demo/route';
import { isAppError } from '../api/errors';
import { loadManifest, resolveTrustedDocument, trustedDocumentsEnabled, trustedDocumentsPlugins } from './trusted-documents';

export interface RunningServer {
  server: Server;
  url: string;
  port: number;
  yoga: YogaServerInstance<Record<string, unknown>, Context>;
  stop(): Promise<void>;
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

export function createYogaFor(app: App) {
  const { services } = app;
  return createYoga<Record<string, unknown>, Context>({
    schema: app.built.schema,
    graphqlEndpoint: '/graphql',
    graphiql: services.config.graphiql ? { title: 'Location platform', subscriptionsProtocol: 'WS' } : false,
    landingPage: false,
    maskedErrors: { maskError },
    plugins: [...hardeningPlugins(services.config), useContractErrorCodes(), ...trustedDocumentsPlugins(services)],
    cors: services.config.corsOrigins.length
      ? { origin: services.config.corsOrigins, credentials: false, allowedHeaders: ['authorization', 'content-type', 'sec-gpc'] }
      : undefined,
    logging: {
      debug: (...a) => services.logger.debug(String(a[0])),
      info: (...a) => services.logger.info(String(a[0])),
      warn: (...a) => services.logger.warn(String(a[0])),
      error: (...a) => services.logger.error(String(a[0]), { detail: a.slice(1).map(String) }),
    },
    context: async ({ request, connectionParams }: { request: Request; connectionParams?: Record<string, unknown> }) => {
      const fromParams = connectionParams?.authorization ?? connectionParams?.Authorization;
      const token = typeof fromParams === 'string' ? bearerToken(fromParams) : bearerToken(request.headers.get('authorization'));
      const viewer = await viewerFromToken(services, token);
      return createContext(services, viewer, request);
    },
  });
}

export async function startServer(app: App, options: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const { services } = app;
  const { config } = services;
  const yoga = createYogaFor(app);
  const routes = new Map<string, PluginRoute>();
  for (const plugin of app.plugins) for (const r of plugin.routes ?? []) routes.set(`${r.method} ${r.path}`, r);

  const securityHeaders: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...(config.hsts ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };

  const demoPage = demoPageEnabled(config);
  const handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (url.pathname === '/health') return json({ status: 'ok' });
    if (url.pathname === '/ready') {
      try {
        await services.prisma.$queryRawUnsafe('SELECT 1');
        return json({ status: 'ready' });
      } catch {
        return json({ status: 'unavailable' }, 503);
      }
    }
    if (url.pathname === '/.well-known/jwks.json') return json(services.keys.jwks(), 200, { 'cache-control': 'public, max-age=300' });
    const route = routes.get(`${request.method} ${url.pathname}`);
    if (route) return route.handler(request, services);
    if (demoPage) {
      const demo = await handleDemoRequest(request);
      if (demo) return demo;
    }
    return yoga.fetch(request);
  };

  // The Node <-> Fetch bridge is @whatwg-node/server's (the one Yoga itself uses): it streams bodies with
  // backpressure, aborts the request's signal when the client goes away, and keeps repeated headers.
  const listener = createServerAdapter(async (request: Request): Promise<Response> => {
    let response: Response;
    try {
      response = await handle(request);
    } catch (e) {
      services.logger.error('request failed', { error: e });
      response = json({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }, 500);
    }
    for (const [k, v] of Object.entries(securityHeaders)) if (!response.headers.has(k)) response.headers.set(k, v);
    return response;
  });

  const server = config.tls
    ? createHttpsServer({ cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) }, listener)
    : createHttpServer(listener);
  // Longer than the idle timeouts of common proxies and clients (60 s), so an
  // idle keep-alive connection is never closed by us while a client reuses it.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  // TRUSTED_DOCUMENTS=on: the same manifest decides over WebSocket (server/trusted-documents.ts).
  const trustedManifest = trustedDocumentsEnabled(services) ? loadManifest() : null;
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  const wsServer = useServer(
    {
      execute: (args: any) => args.rootValue.execute(args),
      subscribe: (args: any) => args.rootValue.subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
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
        const args = {
          schema,
          operationName: params.operationName,
          document: parse(query),
          variableValues: params.variables,
          contextValue,
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        if (errors.length) return errors;
        return args;
      },
    },
    wss,
  );

  const stopJobs = startJobs(app);
  const port = options.port ?? config.port;
  const host = options.host ?? config.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const url = `${config.tls ? 'https' : 'http'}://${shownHost}:${address.port}`;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      stopJobs();
      await wsServer.dispose();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections?.();
        setTimeout(() => server.closeAllConnections?.(), 5000).unref();
      });
    })());

  return { server, url, port: address.port, yoga, stop };
}
