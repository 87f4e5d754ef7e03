/**
 * Issue 11, the defects an outside probe found, black-box over HTTP, SSE and
 * WebSocket on a server in development mode (what .env.example sets):
 * operation cost, Device.track bounds, NUL characters, secrets in logs,
 * masked errors, CORS, tokens without exp, body size, device-token rotation
 * on open streams, and one bad subscribe on a shared WebSocket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { startTestServer, signUp, errorCodes, type TestServer, type SignedIn } from './helpers/server';
import { createDevice, recordPoint, subscribe, wsClient, sleep, type TestDevice } from './helpers/sharing-fixtures';
import { RECORD, point } from './helpers/devices';
import { createLogger } from '../api/logger';
import WebSocket from 'ws';

let server: TestServer;
let owner: SignedIn;
let device: TestDevice;

beforeAll(async () => {
  // Scheduled jobs off: their SQL would be counted with the request's (development mode runs them).
  server = await startTestServer({ env: { NODE_ENV: 'development', DEMO_DATA: 'false', DEMO_PAGE: 'false', JOBS: 'off' } });
  owner = await signUp(server);
  device = await createDevice(server, owner);
});
afterAll(async () => server?.stop());

const POINT_FIELDS = 'id recordedAt receivedAt latitude longitude accuracy altitude speed heading battery source';

describe('operation cost (QUERY_TOO_COMPLEX)', () => {
  it('passes a literal locations(first: 500) with all point fields', async () => {
    const r = await server.gql(
      `query($id: ID!) { device(id: $id) { locations(first: 500) { pageInfo { hasNextPage endCursor } edges { node { ${POINT_FIELDS} } } } } }`,
      { id: device.id },
      { token: owner.accessToken },
    );
    expect(r.errors).toBeUndefined();
  });

  it('refuses devices(first: $n) { locations(first: $n) } with n = 500 before execution, with the cost and the limit', async () => {
    const before = server.statements();
    const r = await server.gql(
      `query Nested($n: Int) { devices(first: $n) { edges { node { locations(first: $n) { edges { node { ${POINT_FIELDS} } } } } } } }`,
      { n: 500 },
      { token: owner.accessToken },
    );
    expect(errorCodes(r)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(r.errors![0].message).not.toMatch(/Syntax Error/);
    expect(r.errors![0].extensions!.cost).toBeGreaterThan(1_000_000);
    expect(r.errors![0].extensions!.limit).toBe(20_000);
    expect(r.data ?? null).toBeNull();
    // Refused before any resolver ran. (Only the viewer's session lookup touched the database.)
    expect(server.statements() - before).toBeLessThanOrEqual(2);
  });

  it('refuses a dozen aliased full tracks in one request', async () => {
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date().toISOString();
    const aliases = Array.from({ length: 12 }, (_, i) => `t${i}: track(from: $from, to: $to) { pointCount geojson }`).join(' ');
    const r = await server.gql(
      `query($id: ID!, $from: DateTime!, $to: DateTime!) { device(id: $id) { ${aliases} } }`,
      { id: device.id, from, to },
      { token: owner.accessToken },
    );
    expect(errorCodes(r)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('applies the same limit over SSE', async () => {
    const res = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${owner.accessToken}` },
      body: JSON.stringify({
        query: `query($n: Int) { devices(first: $n) { edges { node { locations(first: $n) { edges { node { ${POINT_FIELDS} } } } } } } }`,
        variables: { n: 500 },
      }),
    });
    const text = await res.text();
    expect(text).toContain('QUERY_TOO_COMPLEX');
    expect(text).not.toContain('"locations"');
  });

  it('bounds Device.track: more than 31 days is BAD_USER_INPUT on `to`', async () => {
    const r = await server.gql(
      `query($id: ID!, $from: DateTime!, $to: DateTime!) { device(id: $id) { track(from: $from, to: $to) { pointCount } } }`,
      { id: device.id, from: new Date(Date.now() - 40 * 86_400_000).toISOString(), to: new Date().toISOString() },
      { token: owner.accessToken },
    );
    expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
    expect(r.errors![0].extensions!.field).toBe('to');
  });
});

describe('NUL characters', () => {
  it('anonymous login with a NUL is BAD_USER_INPUT with the field path, in variables and in literals', async () => {
    const viaVariable = await server.gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, {
      i: { email: 'a\u0000@example.lv', password: 'x' },
    });
    expect(errorCodes(viaVariable)).toEqual(['BAD_USER_INPUT']);
    expect(viaVariable.errors![0].extensions!.field).toBe('i.email');
    const viaLiteral = await server.gql(`mutation { login(input: { email: "a@example.lv", password: "x\\u0000y" }) { accessToken } }`);
    expect(errorCodes(viaLiteral)).toEqual(['BAD_USER_INPUT']);
    expect(viaLiteral.errors![0].extensions!.field).toBe('input.password');
  });

  it('the anonymous cookie operations with a NUL are BAD_USER_INPUT, not INTERNAL_SERVER_ERROR', async () => {
    const read = await server.gql(`query($v: String!) { cookieConsent(visitorId: $v) { __typename } }`, { v: 'visitor-\u0000-0001' });
    expect(errorCodes(read)).toEqual(['BAD_USER_INPUT']);
    expect(read.errors![0].extensions!.field).toBe('v');
    const r = await server.gql(`mutation($input: SetCookieConsentInput!) { setCookieConsent(input: $input) { __typename } }`, {
      input: { visitorId: 'v\u00001', policyVersion: '2025-03-07', choices: [] },
    });
    expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
    expect(r.errors![0].extensions!.field).toBe('input.visitorId');
  });

  it('recordLocations rejects only the point whose clientId holds a NUL and stores the others', async () => {
    const points = [point(1), point(2, 58, { clientId: 'bad\u0000id' }), point(3)];
    const r = await server.gql(RECORD, { input: { points } }, { token: device.token });
    expect(r.errors).toBeUndefined();
    expect(r.data.recordLocations.accepted).toBe(2);
    expect(r.data.recordLocations.rejected).toEqual([expect.objectContaining({ index: 1, code: 'INVALID_CLIENT_ID' })]);
    expect(r.data.recordLocations.acknowledgedClientIds).toEqual(['c-1', 'c-3']);
  });
});

describe('errors: logs and clients', () => {
  it('logs a failed operation with its name, a hash and redacted variables, never the query text or its literals', async () => {
    const lines: string[] = [];
    const { services } = server.app;
    const logger = services.logger;
    const findUnique = services.prisma.account.findUnique;
    services.logger = createLogger('debug', (l) => lines.push(l));
    (services.prisma.account as any).findUnique = () => Promise.reject(new Error('connection reset while reading "secret-literal-pw"'));
    try {
      const r = await server.gql(
        `mutation SignIn { login(input: { email: "anna@example.lv", password: "secret-literal-pw LV80BANK0000435195001" }) { accessToken } }`,
      );
      expect(errorCodes(r)).toEqual(['INTERNAL_SERVER_ERROR']);
      const r2 = await server.gql(`mutation SignIn2($i: LoginInput!) { login(input: $i) { accessToken } }`, {
        i: { email: 'anna@example.lv', password: 'secret-variable-pw' },
      });
      expect(errorCodes(r2)).toEqual(['INTERNAL_SERVER_ERROR']);
    } finally {
      services.logger = logger;
      (services.prisma.account as any).findUnique = findUnique;
    }
    const log = lines.join('\n');
    expect(log).not.toContain('secret-literal-pw');
    expect(log).not.toContain('LV80BANK');
    expect(log).not.toContain('secret-variable-pw');
    expect(log).not.toContain('login(input');
    const failed = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'operation failed');
    expect(failed.map((l) => l.operationName)).toEqual(['SignIn', 'SignIn2']);
    expect(failed[0].queryHash).toMatch(/^[0-9a-f]{16}$/);
    expect(failed[1].variables).toEqual({ i: { email: 'anna@example.lv', password: '[redacted]' } });
  });

  it('masks unexpected errors in development mode too: no message, stack or Prisma details for the client', async () => {
    const findUnique = server.app.services.prisma.account.findUnique;
    // As `npm start` with .env.example runs: NODE_ENV=development in the process environment (Yoga reads it).
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'development';
    (server.app.services.prisma.account as any).findUnique = () =>
      Promise.reject(new Error('Invalid `prisma.account.findUnique()` invocation: table "Account"'));
    try {
      const res = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `mutation { login(input: { email: "a@example.lv", password: "x" }) { accessToken } }` }),
      });
      const text = await res.text();
      expect(text).toContain('INTERNAL_SERVER_ERROR');
      expect(text).not.toMatch(/prisma|invocation|stack|originalError|Account/i);
    } finally {
      process.env.NODE_ENV = nodeEnv;
      (server.app.services.prisma.account as any).findUnique = findUnique;
    }
  });
});

describe('CORS', () => {
  it('with CORS_ORIGINS empty, no origin gets cross-origin access', async () => {
    const preflight = await fetch(server.graphqlUrl, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const post = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('tokens', () => {
  it('refuses a properly signed access token without exp, and one without iat', async () => {
    const { keys: store, config: cfg } = server.app.services;
    const key = store.current;
    const real = (
      await server.gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, {
        i: { email: owner.email, password: owner.password },
      })
    ).data.login.accessToken;
    const claims = JSON.parse(Buffer.from(real.split('.')[1], 'base64url').toString());
    const { exp: _exp, iat: _iat, ...rest } = claims;
    const sign = (withExp: boolean, withIat: boolean) => {
      let jwt = new SignJWT(rest)
        .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })
        .setIssuer(cfg.jwt.issuer)
        .setAudience(cfg.jwt.audience);
      if (withExp) jwt = jwt.setExpirationTime('10m');
      if (withIat) jwt = jwt.setIssuedAt();
      return jwt.sign(key.privateKey);
    };
    const ME = `{ me { id } }`;
    expect((await server.gql(ME, {}, { token: await sign(true, true) })).data.me.id).toBe(owner.id);
    expect(errorCodes(await server.gql(ME, {}, { token: await sign(false, true) }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await server.gql(ME, {}, { token: await sign(true, false) }))).toEqual(['UNAUTHENTICATED']);
  });

  it('issues device tokens with exp and iat', async () => {
    const claims = JSON.parse(Buffer.from(device.token.split('.')[1], 'base64url').toString());
    expect(claims.exp).toBeGreaterThan(claims.iat);
  });
});

describe('request bodies', () => {
  it('answers 413 with a JSON error over the /graphql body limit, with and without Content-Length', async () => {
    const big = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(1_100_000) } });
    const res = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(res.status).toBe(413);
    expect((await res.json()).errors[0].extensions.limit).toBe(1_048_576);
    const chunked = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    const smallChunked = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Blob([JSON.stringify({ query: '{ __typename }' })]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(await smallChunked.json()).toEqual({ data: { __typename: 'Query' } });
    const small = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(small.status).toBe(200);
  });
});

describe('WebSocket', () => {
  it('ends a live stream opened with a device token as soon as the token is rotated', async () => {
    const d = await createDevice(server, owner, 'Rotating');
    const client = wsClient(server, d.token);
    try {
      const sub = subscribe(client, `subscription { locationUpdated { id } }`);
      await sleep(300);
      await recordPoint(server, d, new Date());
      await sub.waitFor(1);
      const rotated = await server.gql(
        `mutation($id: ID!) { rotateDeviceToken(deviceId: $id) { deviceToken } }`,
        { id: d.id },
        { token: owner.accessToken },
      );
      expect(rotated.errors).toBeUndefined();
      await sub.ended(3000);
      const last = sub.results[sub.results.length - 1];
      expect(last.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      await client.dispose();
    }
  });

  it('answers a broken or over-limit subscribe with an error for that id and keeps the socket and its other subscriptions', async () => {
    const client = wsClient(server, owner.accessToken);
    try {
      const good = subscribe(client, `subscription { locationUpdated { id } }`);
      await sleep(300);
      const broken = subscribe(client, `subscription { locationUpdated { id }`);
      await broken.ended();
      expect((broken.error as any[])[0].extensions.code).toBe('BAD_USER_INPUT');
      const heavy = subscribe(
        client,
        `query($n: Int) { devices(first: $n) { edges { node { locations(first: $n) { edges { node { ${POINT_FIELDS} } } } } } } }`,
        { n: 500 },
      );
      await heavy.ended();
      const heavyErrors = (heavy.error as any[]) ?? heavy.results[0]?.errors;
      expect(heavyErrors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
      await recordPoint(server, device, new Date());
      await good.waitFor(1);
      expect(good.error).toBeUndefined();
      expect(good.completed).toBe(false);
    } finally {
      await client.dispose();
    }
  });

  it('closes a socket whose message is over the body limit (1009)', async () => {
    const ws = new WebSocket(server.wsUrl, 'graphql-transport-ws');
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(1_100_000) } }));
    expect(await closed).toBe(1009);
  });
});
