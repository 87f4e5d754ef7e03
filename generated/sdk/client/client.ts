/**
 * The SDK's client: typed queries and mutations over HTTP, subscriptions over
 * graphql-ws, and the session's tokens. Runs in Node 22+ and in browsers (it
 * uses only fetch and WebSocket), so the /demo page uses it unchanged.
 *
 *   const client = createClient({ url: 'http://localhost:4000/graphql' });
 *   await client.signIn({ email, password });
 *   const { devices } = await client.request(MyDevicesDocument, { first: 20 });
 *   for await (const { locationUpdated } of client.subscribe(LocationUpdatedDocument, {})) { ... }
 *
 * Tokens: the access token is sent as `Authorization: Bearer`; when the server
 * answers UNAUTHENTICATED and a refresh token is known, the client refreshes
 * the session once (one refresh at a time, shared by concurrent requests) and
 * retries. A device token is used when no account access token is set; an
 * API key (`lp_…`) can be given as `accessToken` (without a refresh token).
 *
 * Live streams survive restarts and network drops: when the WebSocket closes
 * abnormally the client reconnects with exponential backoff (with a fresh
 * access token, refreshed first when it has expired) and, for operations that
 * declare a `$since` variable (LocationUpdated, SharedLocationUpdated), resumes
 * from the `receivedAt` of the last item it delivered: the server replays what
 * was stored meanwhile, so nothing is lost and nothing arrives twice.
 */
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws/client';
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { SdkError, type GraphQLErrorInfo } from './errors';
import { LoginDocument, LogoutDocument, RefreshSessionDocument, type LoginInput, type LoginMutation } from '../operations/graphql';

export { SdkError, isSdkError, type SdkErrorCode, type ContractErrorCode, type GraphQLErrorInfo } from './errors';

/** Any generated operation (e.g. LoginDocument): its text plus its result and variable types. */
export type TypedDocument<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> & { toString(): string };

/** Variables may be left out when the operation has no required ones. */
export type VariablesArgument<TVariables> = {} extends TVariables ? [variables?: TVariables] : [variables: TVariables];

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt?: string;
}

export interface ClientOptions {
  /** The GraphQL endpoint, e.g. https://api.example.lv/graphql. */
  url: string;
  /** The WebSocket endpoint; default: url with ws(s):// instead of http(s)://. */
  wsUrl?: string;
  accessToken?: string | null;
  refreshToken?: string | null;
  /** A device's token (registerDevice / rotateDeviceToken), for recordLocations. */
  deviceToken?: string | null;
  /** Called whenever the session's tokens change (sign-in, refresh), with null when the session ends. Persist them here. */
  onTokens?: (tokens: SessionTokens | null) => void;
  /** Extra headers on every HTTP request (e.g. sec-gpc). */
  headers?: Record<string, string>;
  fetch?: typeof globalThis.fetch;
  /** A WebSocket implementation where there is no global one (Node < 22: the `ws` package). */
  webSocketImpl?: unknown;
  /**
   * Trusted documents: send operations by their hash (extensions.persistedQuery) instead of their text, as servers
   * with TRUSTED_DOCUMENTS=on require. Only the SDK's generated documents can be sent this way.
   */
  trustedDocuments?: boolean;
  /** Reconnecting live streams: attempts in a row before giving up (default 30) and the longest wait (default 10 s). */
  reconnect?: { attempts?: number; maxDelayMs?: number; initialDelayMs?: number };
}

export interface Client {
  /** Runs a query or mutation; resolves to its data or throws SdkError. */
  request<TResult, TVariables>(document: TypedDocument<TResult, TVariables>, ...variables: VariablesArgument<TVariables>): Promise<TResult>;
  /** Starts a subscription; iterate it with for await, break (or return()) to stop. Errors are thrown as SdkError. */
  subscribe<TResult, TVariables>(document: TypedDocument<TResult, TVariables>, ...variables: VariablesArgument<TVariables>): AsyncGenerator<TResult, void, unknown>;
  /** Signs in with e-mail and password and keeps the session's tokens. */
  signIn(input: LoginInput): Promise<LoginMutation['login']>;
  /** Ends the session on the server (when there is one) and forgets its tokens. */
  signOut(): Promise<void>;
  setTokens(tokens: SessionTokens | null): void;
  setDeviceToken(token: string | null): void;
  readonly tokens: Readonly<{ accessToken: string | null; refreshToken: string | null; deviceToken: string | null }>;
  /** Closes WebSocket connections (ending open subscriptions). */
  close(): Promise<void>;
}

interface Connection {
  ws: WsClient;
  token: string | null;
  active: number;
}

export function createClient(options: ClientOptions): Client {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const wsUrl = options.wsUrl ?? options.url.replace(/^http/, 'ws');
  let accessToken = options.accessToken ?? null;
  let refreshToken = options.refreshToken ?? null;
  let deviceToken = options.deviceToken ?? null;
  let refreshing: Promise<boolean> | null = null;
  let connection: Connection | null = null;
  const retired = new Set<Connection>();

  const bearer = () => accessToken ?? deviceToken;

  function setTokens(tokens: SessionTokens | null) {
    accessToken = tokens?.accessToken ?? null;
    refreshToken = tokens?.refreshToken ?? null;
    options.onTokens?.(tokens);
  }

  async function post(
    query: string,
    variables: unknown,
    token: string | null,
    hash?: string,
  ): Promise<{ data?: unknown; errors?: GraphQLErrorInfo[]; status: number }> {
    const payload =
      options.trustedDocuments && hash
        ? { variables: variables ?? {}, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }
        : { query, variables: variables ?? {} };
    let response: Response;
    try {
      response = await doFetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...options.headers,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(payload),
      });
    } catch (e) {
      throw new SdkError('NETWORK_ERROR', `Could not reach ${options.url}: ${(e as Error).message}`);
    }
    let body: { data?: unknown; errors?: GraphQLErrorInfo[] };
    try {
      body = await response.json();
    } catch {
      throw new SdkError('NETWORK_ERROR', `Unexpected ${response.status} answer (not GraphQL JSON).`, { status: response.status });
    }
    return { ...body, status: response.status };
  }

  /** Another call refreshed the session while this one was in flight (not: the session ended). */
  const renewedSince = (sentWith: string) => accessToken !== null && accessToken !== sentWith;

  /** Refreshes the session; concurrent callers share one refresh. Resolves false when the session cannot be renewed. */
  function refresh(): Promise<boolean> {
    if (!refreshToken) return Promise.resolve(false);
    refreshing ??= (async () => {
      try {
        const result = await post(RefreshSessionDocument.toString(), { refreshToken }, null, hashOf(RefreshSessionDocument));
        const payload = (result.data as { refreshSession?: SessionTokens } | null)?.refreshSession;
        if (result.errors?.length || !payload) {
          // Only a refused refresh token ends the session; a passing server problem keeps it for a later try.
          if (isUnauthenticated(result.errors)) setTokens(null);
          return false;
        }
        setTokens({ accessToken: payload.accessToken, refreshToken: payload.refreshToken, accessTokenExpiresAt: payload.accessTokenExpiresAt });
        return true;
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  async function request<TResult, TVariables>(document: TypedDocument<TResult, TVariables>, ...args: VariablesArgument<TVariables>): Promise<TResult> {
    const query = document.toString();
    const hash = hashOf(document);
    const variables = args[0];
    const sentWith = accessToken;
    let result = await post(query, variables, bearer(), hash);
    if (isUnauthenticated(result.errors) && sentWith && document !== (RefreshSessionDocument as unknown)) {
      const renewed = renewedSince(sentWith) || (await refresh());
      if (renewed) result = await post(query, variables, bearer(), hash);
    }
    if (result.errors?.length) throw SdkError.fromGraphQLErrors(result.errors, result.status);
    if (result.data == null) throw new SdkError('NETWORK_ERROR', `Unexpected ${result.status} answer without data.`, { status: result.status });
    return result.data as TResult;
  }

  /** Seconds until the access token expires (its JWT `exp`), or null when unknown (API keys, device tokens). */
  function accessTokenExpiresIn(): number | null {
    if (!accessToken || accessToken.startsWith('lp_')) return null;
    try {
      const payload = JSON.parse(atob(accessToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
      return typeof payload.exp === 'number' ? payload.exp - Date.now() / 1000 : null;
    } catch {
      return null;
    }
  }

  /** Before (re)connecting: refresh an access token that has expired or is about to, so the connection starts with a valid one. */
  async function freshTokenForConnect() {
    const left = accessTokenExpiresIn();
    if (left !== null && left < 30 && refreshToken) await refresh();
  }

  function webSocketAvailable() {
    return options.webSocketImpl !== undefined || typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'function';
  }

  /** Drops a connection that failed, so the next subscribe opens a new socket. */
  function discardConnection(c: Connection) {
    if (connection === c) {
      connection = null;
      retired.add(c);
    }
  }

  /** The WebSocket connection for the current token; a token change opens a new one (old subscriptions finish on the old). */
  function acquireConnection(): Connection {
    const token = bearer();
    if (connection && connection.token !== token) {
      retired.add(connection);
      releaseIfIdle(connection);
      connection = null;
    }
    connection ??= {
      token,
      active: 0,
      ws: createWsClient({
        url: wsUrl,
        lazy: true,
        webSocketImpl: options.webSocketImpl,
        // Reconnecting is done by subscribe() below (it resumes with `since`); graphql-ws must not retry on its own.
        retryAttempts: 0,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      }),
    };
    connection.active += 1;
    return connection;
  }

  function releaseIfIdle(c: Connection) {
    if (retired.has(c) && c.active === 0) {
      retired.delete(c);
      void c.ws.dispose();
    }
  }

  async function* subscribe<TResult, TVariables>(document: TypedDocument<TResult, TVariables>, ...args: VariablesArgument<TVariables>): AsyncGenerator<TResult, void, unknown> {
    if (!webSocketAvailable()) {
      throw new SdkError(
        'WEBSOCKET_UNAVAILABLE',
        'Subscriptions need a WebSocket: this runtime has no global WebSocket (Node < 22). Pass createClient({ webSocketImpl }) (e.g. the `ws` package) or use Node 22+.',
      );
    }
    const query = document.toString();
    const variables = { ...((args[0] ?? {}) as Record<string, unknown>) };
    const resumable = /\$since\b/.test(query);
    const maxAttempts = options.reconnect?.attempts ?? 30;
    const maxDelay = options.reconnect?.maxDelayMs ?? 10_000;
    const initialDelay = options.reconnect?.initialDelayMs ?? 250;
    let authRetried = false;
    let failures = 0;
    for (;;) {
      await freshTokenForConnect();
      const sentWith = accessToken;
      const c = acquireConnection();
      try {
        // Over WebSocket the text is always sent (the protocol requires it); a trusted server runs the hash's document.
        const hash = options.trustedDocuments ? hashOf(document) : undefined;
        const extensions = hash ? { persistedQuery: { version: 1, sha256Hash: hash } } : undefined;
        for await (const result of c.ws.iterate({ query, variables, ...(extensions ? { extensions } : {}) })) {
          if (result.errors?.length) throw SdkError.fromGraphQLErrors(result.errors as GraphQLErrorInfo[]);
          failures = 0;
          if (resumable) {
            const receivedAt = lastReceivedAt(result.data);
            if (receivedAt) variables.since = receivedAt;
          }
          yield result.data as TResult;
        }
        return;
      } catch (e) {
        const error = toSdkError(e, wsUrl);
        if (error.code === 'UNAUTHENTICATED' && !authRetried && sentWith && (renewedSince(sentWith) || (await refresh()))) {
          // An expired access token is refused when the subscription starts: renew it once and subscribe again.
          authRetried = true;
          continue;
        }
        if (error.code !== 'NETWORK_ERROR' || ++failures > maxAttempts) throw error;
        discardConnection(c);
        // The server restarted or the network dropped: wait (exponential backoff with jitter), then reconnect and resume.
        const delay = Math.min(maxDelay, initialDelay * 2 ** (failures - 1)) * (0.75 + Math.random() * 0.5);
        await new Promise((r) => setTimeout(r, delay));
      } finally {
        c.active -= 1;
        releaseIfIdle(c);
      }
    }
  }

  async function signIn(input: LoginInput) {
    const { login } = await request(LoginDocument, { input });
    setTokens({ accessToken: login.accessToken, refreshToken: login.refreshToken, accessTokenExpiresAt: login.accessTokenExpiresAt });
    return login;
  }

  async function signOut() {
    const token = refreshToken;
    setTokens(null);
    if (token) await request(LogoutDocument, { refreshToken: token });
  }

  async function close() {
    const all = [...retired, ...(connection ? [connection] : [])];
    retired.clear();
    connection = null;
    await Promise.all(all.map((c) => c.ws.dispose()));
  }

  return {
    request,
    subscribe,
    signIn,
    signOut,
    setTokens,
    setDeviceToken: (token) => {
      deviceToken = token;
    },
    get tokens() {
      return { accessToken, refreshToken, deviceToken };
    },
    close,
  };
}

function isUnauthenticated(errors: readonly GraphQLErrorInfo[] | undefined) {
  return !!errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
}

/** The trusted-document hash codegen put on a generated document (`__meta__.hash`), if any. */
function hashOf(document: unknown): string | undefined {
  const meta = (document as { __meta__?: { hash?: unknown } } | null)?.__meta__;
  return typeof meta?.hash === 'string' ? meta.hash : undefined;
}

/** The `receivedAt` of a subscription result's root field (where resuming continues from), if it has one. */
function lastReceivedAt(data: unknown): string | null {
  if (!data || typeof data !== 'object') return null;
  const root = Object.values(data as Record<string, unknown>)[0];
  const value = root && typeof root === 'object' ? (root as { receivedAt?: unknown }).receivedAt : null;
  return typeof value === 'string' ? value : null;
}

/** graphql-ws rejects with an error list (refused subscription), a CloseEvent, an ErrorEvent (socket failed) or an Error. */
function toSdkError(e: unknown, url: string): SdkError {
  if (e instanceof SdkError) return e;
  if (Array.isArray(e)) return SdkError.fromGraphQLErrors(e as GraphQLErrorInfo[]);
  if (e && typeof e === 'object' && 'code' in e && 'reason' in e) {
    const close = e as { code: number; reason: string };
    const detail = `${close.code}${close.reason ? `: ${close.reason}` : ''}`;
    // 4xxx: the server refused the connection (graphql-ws protocol); 1000-class closes are network trouble or a restart.
    if (close.code === 4401 || close.code === 4403) return new SdkError('UNAUTHENTICATED', `WebSocket refused (${detail}).`);
    if (close.code >= 4000 && close.code !== 4499) return new SdkError('PROTOCOL_ERROR', `WebSocket closed by the server (${detail}).`);
    return new SdkError('NETWORK_ERROR', `WebSocket to ${url} closed (${detail}).`);
  }
  if (e && typeof e === 'object' && 'type' in e && (e as { type: unknown }).type === 'error') {
    const message = (e as { message?: unknown }).message;
    return new SdkError('NETWORK_ERROR', `WebSocket to ${url} failed${typeof message === 'string' && message ? `: ${message}` : ''}.`);
  }
  return new SdkError('NETWORK_ERROR', e instanceof Error ? e.message : `WebSocket to ${url} failed.`);
}
