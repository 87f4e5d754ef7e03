/**
 * Starts the real server on a random port against a fresh database, for
 * black-box tests over HTTP and WebSocket.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../api/config';
import { createApp, type App } from '../../server/app';
import { startServer, type RunningServer } from '../../server/http-server';
import { seedPolicies } from '../../seeds';
import { PRIVACY_POLICY_VERSION } from '../../seeds/policies';
import { createTestDatabase } from './database';
import type { StatementStats } from '../../api/db/adapters';
import { issueAccountToken } from '../../api/auth/account-tokens';

export interface TestServer {
  url: string;
  graphqlUrl: string;
  wsUrl: string;
  app: App;
  dataDir: string;
  gql<T = any>(query: string, variables?: Record<string, unknown>, options?: RequestOptions): Promise<GqlResult<T>>;
  /** SQL statements sent so far (read before and after an operation to count). */
  statements(): number;
  /** Runs `fn` and returns its result with the SQL text of every statement sent meanwhile (in order). */
  sqlDuring<T>(fn: () => Promise<T>): Promise<{ result: T; sql: string[] }>;
  stop(): Promise<void>;
}

export interface RequestOptions {
  token?: string | null;
  headers?: Record<string, string>;
}

export interface GqlResult<T> {
  status: number;
  data: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; field?: string; [k: string]: unknown } }[];
}

export interface TestServerOptions {
  /** Plugin folder names; default all bundled. */
  plugins?: string[] | null;
  env?: Record<string, string>;
  seedPolicies?: boolean;
}

/**
 * The environment of a test instance. Every test client is 127.0.0.1 and rate-limit counters may live in a shared
 * Redis: per-client limits high enough for whole suites, or other runs on the machine leave them RATE_LIMITED
 * (test/limits tests set their own).
 */
function testEnv(dataDir: string, databaseUrl: string | null, extra: Record<string, string | undefined>) {
  return {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    PUBLIC_URL: 'http://localhost:4000',
    RATE_LIMIT_REQUESTS: '1000000',
    RATE_LIMIT_SIGNIN_ATTEMPTS: '1000000',
    RATE_LIMIT_ANONYMOUS_WRITES: '1000000',
    // Every query runs compiled from its first run, as on a warm server (server/compiled-queries.ts); the
    // interpreter's answers for the same queries are compared in test/compiled-queries.test.ts.
    GRAPHQL_COMPILE_AFTER: '0',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...extra,
  };
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-test-'));
  const db = await createTestDatabase();
  const config = loadConfig(
    testEnv(dataDir, db.url, {
      ...(options.plugins !== undefined && options.plugins !== null ? { PLUGINS: options.plugins.join(',') || 'none' } : {}),
      ...options.env,
    }),
  );
  const app = await createApp(config, { database: db.database });
  if (options.seedPolicies !== false) await seedPolicies(app);
  const running: RunningServer = await startServer(app, { port: 0, host: '127.0.0.1' });
  return testServerFor(app, running, db.database, dataDir, async () => {
    await running.stop();
    await app.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });
}

/** One of several instances of the app on one database (several servers behind a load balancer). */
export interface Instance {
  app: App;
  running: RunningServer;
  server: TestServer;
}

/**
 * `count` instances sharing one fresh database, data directory (so keys) and `env`; policies seeded once.
 * `stop()` stops them all and drops the database.
 */
export async function startInstances(
  count: number,
  env: Record<string, string> = {},
): Promise<{ instances: Instance[]; stop(): Promise<void> }> {
  const db = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-instances-'));
  const instances: Instance[] = [];
  const stop = async () => {
    for (const i of instances) {
      await i.running.stop();
      await i.app.close();
    }
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < count; i++) {
      const config = loadConfig(testEnv(dataDir, db.url, { PLUGINS: 'none', ...env }));
      const app = await createApp(config, { database: db.database });
      if (i === 0) await seedPolicies(app);
      const running = await startServer(app, { port: 0, host: '127.0.0.1' });
      instances.push({ app, running, server: testServerFor(app, running, db.database, dataDir) });
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { instances, stop };
}

/** The TestServer view of an app already started on the loopback (tests that start several instances build their own). */
export function testServerFor(
  app: App,
  running: RunningServer,
  database: { stats: StatementStats },
  dataDir: string,
  stop: () => Promise<void> = async () => {},
): TestServer {
  const url = `http://127.0.0.1:${running.port}`;
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    wsUrl: `ws://127.0.0.1:${running.port}/graphql`,
    app,
    dataDir,
    gql: (query, variables, opts) => gql(`${url}/graphql`, query, variables, opts),
    statements: () => database.stats.statements,
    sqlDuring: async (fn) => {
      const sql: string[] = [];
      database.stats.trace = sql;
      try {
        return { result: await fn(), sql };
      } finally {
        if (database.stats.trace === sql) delete database.stats.trace;
      }
    },
    stop,
  };
}

export async function gql<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: RequestOptions = {},
): Promise<GqlResult<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Omit<GqlResult<T>, 'status'>;
  return { status: res.status, ...body };
}

let counter = 0;
export const uniqueEmail = (prefix = 'user') => `${prefix}.${Date.now().toString(36)}.${++counter}@example.test`;

export const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      accessToken
      accessTokenExpiresAt
      refreshToken
      account {
        id
        email
        roles
      }
    }
  }
`;

export interface SignedIn {
  id: string;
  email: string;
  accessToken: string;
  refreshToken: string;
  password: string;
}

/**
 * Verifies an account's current address as clicking the mailed link would:
 * a fresh VERIFY_EMAIL token (the mailed one is only stored hashed) sent to
 * the public verifyEmail mutation. Tests of the mail itself use test/helpers/smtp.ts.
 */
export async function verifyEmailOf(server: TestServer, email: string): Promise<void> {
  const { prisma } = server.app.services;
  const account = await prisma.account.findUniqueOrThrow({ where: { email: email.toLowerCase() }, select: { id: true } });
  const { token } = await issueAccountToken(prisma, { accountId: account.id, purpose: 'VERIFY_EMAIL', email: email.toLowerCase() });
  const r = await server.gql(`mutation($t: String!) { verifyEmail(token: $t) { id } }`, { t: token });
  if (r.errors) throw new Error(`verifyEmail failed: ${JSON.stringify(r.errors)}`);
}

/** Registers a new customer (with a verified address unless `verified: false`) and returns its tokens. */
export async function signUp(
  server: TestServer,
  overrides: Record<string, unknown> = {},
  options: { verified?: boolean } = {},
): Promise<SignedIn> {
  const password = 'correct horse battery';
  const input = {
    email: uniqueEmail(),
    password,
    givenName: 'Test',
    familyName: 'User',
    privacyPolicyVersion: PRIVACY_POLICY_VERSION,
    ...overrides,
  };
  const r = await server.gql(REGISTER, { input });
  if (r.errors) throw new Error(`register failed: ${JSON.stringify(r.errors)}`);
  const p = r.data.register;
  if (options.verified !== false) await verifyEmailOf(server, p.account.email);
  return { id: p.account.id, email: p.account.email, accessToken: p.accessToken, refreshToken: p.refreshToken, password };
}

/** Creates a staff account directly (as the admin CLI does) and signs it in. */
export async function signUpStaff(
  server: TestServer,
  roles: ('SUPPORT' | 'MARKETING' | 'DPO' | 'ADMIN' | 'ACCOUNTING')[],
): Promise<SignedIn> {
  const user = await signUp(server);
  await server.app.services.prisma.account.update({ where: { email: user.email }, data: { roles } });
  const r = await server.gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken } }`, {
    i: { email: user.email, password: user.password },
  });
  return { ...user, accessToken: r.data.login.accessToken, refreshToken: r.data.login.refreshToken };
}

export function errorCodes(r: GqlResult<unknown>): (string | undefined)[] {
  return (r.errors ?? []).map((e) => e.extensions?.code);
}
