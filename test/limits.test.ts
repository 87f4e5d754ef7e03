/**
 * Issue 11: per-client limits and production defaults, black-box over HTTP on
 * a production-mode server behind one trusted proxy (TRUST_PROXY=1, so the
 * client is the X-Forwarded-For entry our proxy added; each test is its own
 * client address). Also: every SDK operation at its documented maximum page
 * size stays under the cost limit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { parse, Kind, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, errorCodes, uniqueEmail, REGISTER, type TestServer } from './helpers/server';
import { PRIVACY_POLICY_VERSION } from '../seeds/policies';
import { loadConfig } from '../api/config';
import { clientAddress } from '../server/limits/client-address';
import { operationCost } from '../server/limits/cost';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    env: {
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://track.example.lv',
      MAIL: 'off',
      TRUST_PROXY: '1',
      RATE_LIMIT_REQUESTS: '40',
      RATE_LIMIT_SIGNIN_ATTEMPTS: '10',
      RATE_LIMIT_ANONYMOUS_WRITES: '5',
    },
  });
});
afterAll(async () => server?.stop());

const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { accessToken } }`;

async function registerFrom(ip: string) {
  const email = uniqueEmail();
  const password = 'correct horse battery';
  const input = { email, password, givenName: 'Test', familyName: 'User', privacyPolicyVersion: PRIVACY_POLICY_VERSION };
  const r = await server.gql(REGISTER, { input }, from(ip));
  return { r, email, password };
}

async function rawLogin(ip: string, email: string, password: string) {
  return fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ query: LOGIN, variables: { i: { email, password } } }),
  });
}

describe('sign-in throttling', () => {
  it("a stranger's failures block the stranger, not the owner; the refusal has retryAfter, a Retry-After header and 429", async () => {
    const { email, password } = await registerFrom('198.51.100.1');
    for (let i = 0; i < 5; i++) {
      expect(errorCodes(await server.gql(LOGIN, { i: { email, password: `wrong ${i}` } }, from('203.0.113.9')))).toEqual([
        'UNAUTHENTICATED',
      ]);
    }
    const res = await rawLogin('203.0.113.9', email, password);
    expect(res.status).toBe(429);
    const retryHeader = Number(res.headers.get('retry-after'));
    const body = await res.json();
    expect(body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(body.errors[0].extensions.retryAfter).toBeGreaterThan(0);
    expect(body.errors[0].extensions.retryAfter).toBeLessThanOrEqual(900);
    expect(body.errors[0].extensions.http).toBeUndefined();
    expect(retryHeader).toBe(body.errors[0].extensions.retryAfter);
    // The owner, from their own address, is not locked out.
    const owner = await server.gql(LOGIN, { i: { email, password } }, from('198.51.100.1'));
    expect(owner.errors).toBeUndefined();
  });

  it('limits sign-in attempts per client across accounts (password spraying)', async () => {
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 12; i++)
      codes.push(
        ...errorCodes(await server.gql(LOGIN, { i: { email: uniqueEmail('spray'), password: 'Summer2026!' } }, from('203.0.113.20'))),
      );
    expect(codes.slice(0, 10)).toEqual(Array(10).fill('UNAUTHENTICATED'));
    expect(codes.slice(10)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('ignores X-Forwarded-For without TRUST_PROXY, and takes the hop our proxy added with it', () => {
    const req = {
      socket: { remoteAddress: '::ffff:10.0.0.5' },
      headers: { 'x-forwarded-for': '1.2.3.4, 198.51.100.7' },
    } as unknown as IncomingMessage;
    expect(clientAddress(req, 0)).toBe('10.0.0.5');
    expect(clientAddress(req, 1)).toBe('198.51.100.7');
    expect(clientAddress(req, 2)).toBe('1.2.3.4');
    expect(clientAddress(req, 5)).toBe('1.2.3.4');
  });
});

describe('anonymous writes and requests per client', () => {
  it('limits register per client address', async () => {
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 6; i++) {
      const { r } = await registerFrom('203.0.113.30');
      codes.push(r.errors ? r.errors[0].extensions?.code : 'OK');
    }
    expect(codes).toEqual(['OK', 'OK', 'OK', 'OK', 'OK', 'RATE_LIMITED']);
    expect((await registerFrom('203.0.113.31')).r.errors).toBeUndefined();
  });

  it('limits requests per client per minute with 429 and Retry-After', async () => {
    const ask = (ip: string) =>
      fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
    for (let i = 0; i < 40; i++) expect((await ask('203.0.113.40')).status).toBe(200);
    const refused = await ask('203.0.113.40');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await refused.json()).errors[0].extensions.code).toBe('RATE_LIMITED');
    expect((await ask('203.0.113.41')).status).toBe(200);
  });
});

describe('production defaults', () => {
  it('refuses introspection and serves no GraphiQL', async () => {
    const r = await server.gql(`{ __schema { types { name } } }`, {}, from('203.0.113.50'));
    expect(r.data ?? null).toBeNull();
    expect(errorCodes(r).length).toBeGreaterThan(0);
    expect(new Set(errorCodes(r))).toEqual(new Set(['BAD_USER_INPUT']));
    const page = await fetch(server.graphqlUrl, { headers: { accept: 'text/html', 'x-forwarded-for': '203.0.113.50' } });
    expect(await page.text()).not.toMatch(/graphiql/i);
  });

  it('INTROSPECTION=on allows it in production; outside production it is on by default', () => {
    const base = { NODE_ENV: 'production', PUBLIC_URL: 'https://track.example.lv', MAIL: 'off' };
    expect(loadConfig(base).limits.introspection).toBe(false);
    expect(loadConfig({ ...base, INTROSPECTION: 'on' }).limits.introspection).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).limits.introspection).toBe(true);
  });
});

describe('cost limit and the SDK operations', () => {
  /** Documented maxima: connections take at most 500 per page; the /demo map documents 50 devices x 50 trail points. */
  const MAXIMA: Record<string, Record<string, number>> = { LiveMapDevices: { first: 50, trail: 50 } };
  const PAGE_VARIABLES = new Set(['first', 'last', 'trail']);

  it('every operation of schema/operations at its documented maximum page size is under the limit', () => {
    const dir = new URL('../schema/operations/', import.meta.url).pathname;
    const text = readdirSync(dir)
      .filter((f) => f.endsWith('.graphql'))
      .map((f) => readFileSync(dir + f, 'utf8'))
      .join('\n');
    const document = parse(text);
    const { schema } = server.app.built;
    const limit = server.app.services.config.limits.maxCost;
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    expect(operations.length).toBeGreaterThan(20);
    const costs: Record<string, number> = {};
    for (const op of operations) {
      const name = op.name!.value;
      const variables: Record<string, unknown> = {};
      for (const v of op.variableDefinitions ?? []) {
        const n = v.variable.name.value;
        if (PAGE_VARIABLES.has(n)) variables[n] = MAXIMA[name]?.[n] ?? 500;
      }
      costs[name] = operationCost(schema, document, name, variables);
    }
    const over = Object.entries(costs).filter(([, c]) => c > limit);
    expect(over).toEqual([]);
    expect(costs.LocationHistory).toBeGreaterThan(5000); // a full page of points is counted, not ignored
  });
});
