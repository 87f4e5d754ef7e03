/**
 * The request limits of docs/security.md in one place, for server/http-server.ts:
 * - per operation (envelop plugins: they run on execute/subscribe, so HTTP, SSE
 *   and WebSocket operations get the same checks): cost, NUL strings,
 *   introspection, anonymous writes;
 * - per HTTP request (before Yoga): request rate per client, body size.
 */
import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { AppServices } from '../../api/context';
import { take } from '../../api/rate-limits';
import { costLimit } from './cost';
import { rejectNulStrings } from './nul-strings';
import { disableIntrospection } from './introspection';
import { limitAnonymousWrites } from './anonymous-writes';
import { limitBody } from './body-size';
import { clientAddress } from './client-address';

export { clientAddress } from './client-address';

export function operationLimitPlugins(services: AppServices): Plugin[] {
  const { limits } = services.config;
  return [...(limits.introspection ? [] : [disableIntrospection()]), costLimit(limits.maxCost), rejectNulStrings(), limitAnonymousWrites()];
}

const json429 = (body: unknown, retryAfter: number) =>
  new Response(JSON.stringify(body), { status: 429, headers: { 'content-type': 'application/json', 'retry-after': String(retryAfter) } });

/** Paths that are never limited: probes of orchestrators and load balancers. */
const UNLIMITED = new Set(['/health', '/ready']);

/**
 * Before routing: the client's request allowance, and the /graphql body limit.
 * Returns the request to handle (maybe with a buffered body) or the refusal.
 */
export async function guardRequest(services: AppServices, request: Request, req: IncomingMessage | undefined): Promise<Request | Response> {
  const path = new URL(request.url).pathname;
  if (UNLIMITED.has(path)) return request;
  const { limits } = services.config;
  const limited = await take(services.limiters.requests, clientAddress(req, limits.trustProxy));
  if (limited) {
    const retryAfter = limited.extensions.retryAfter as number;
    const { http: _http, ...extensions } = limited.extensions;
    return json429({ errors: [{ message: limited.message, extensions }] }, retryAfter);
  }
  // File uploads (multipart, importLocations) have their own, larger limit (server/body-limits.ts).
  const upload = (request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data');
  return path === '/graphql' && !upload ? limitBody(request, limits.maxBodyBytes) : request;
}
