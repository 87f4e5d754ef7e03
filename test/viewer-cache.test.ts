/**
 * The viewer cache (api/auth/viewer-cache.ts) saves the session or device read
 * on every request, and must never let a token work once its session, roles
 * or device token changed: whoever made the change. Changes here are made
 * with plain SQL (as the admin CLI, a job or another instance would: no app
 * code path tells the cache), so only the database triggers' notifications
 * can invalidate it; a second instance on the same database hears a logout
 * made on the first; and while the listener is disconnected nothing is
 * served from the cache.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { errorCodes, signUp, startInstances, startTestServer, type Instance, type TestServer } from './helpers/server';
import { point, RECORD, registerDevice } from './helpers/devices';

const ME = `{ me { id } }`;
const PUBLISH = `mutation($i: PublishPolicyDocumentInput!) { publishPolicyDocument(input: $i) { version } }`;
const EMPTY_POLICY = { kind: 'PRIVACY_POLICY', locale: 'EN', version: '2099-01-01', text: '' };

/** Statements one request sends. */
async function statementsOf(server: TestServer, fn: () => Promise<unknown>) {
  const { sql } = await server.sqlDuring(fn);
  return sql.length;
}

describe('viewer cache on one instance', () => {
  let server: TestServer;
  let sql: (text: string, values?: unknown[]) => Promise<void>;
  beforeAll(async () => {
    server = await startTestServer({ plugins: [] });
    // Plain SQL on the same database, outside every app code path.
    sql = async (text, values = []) => {
      await server.app.services.prisma.$executeRawUnsafe(text, ...values);
    };
  });
  afterAll(() => server?.stop());

  it('serves a repeated request without reading the session, and the cache holds it', async () => {
    const owner = await signUp(server);
    expect((await server.gql(ME, {}, { token: owner.accessToken })).data.me.id).toBeTruthy();
    const sent = await statementsOf(server, () => server.gql(ME, {}, { token: owner.accessToken }));
    const { sql: trace } = await server.sqlDuring(() => server.gql(ME, {}, { token: owner.accessToken }));
    expect(trace.filter((s) => /"Session"/.test(s))).toHaveLength(0);
    expect(sent).toBe(trace.length);
    expect(server.app.services.viewerCache.size).toBeGreaterThan(0);
  });

  it('refuses an access token once its session is revoked by plain SQL', async () => {
    const owner = await signUp(server);
    expect((await server.gql(ME, {}, { token: owner.accessToken })).errors).toBeUndefined();
    await sql(`UPDATE "Session" SET "revokedAt" = now() WHERE "accountId" = $1`, [accountIdOf(owner.accessToken)]);
    await vi.waitFor(async () => expect(errorCodes(await server.gql(ME, {}, { token: owner.accessToken }))).toEqual(['UNAUTHENTICATED']));
  });

  it('takes a role away (plain SQL) from an access token that was cached with it', async () => {
    const admin = await signUp(server);
    await sql(`UPDATE "Account" SET "roles" = ARRAY['CUSTOMER','ADMIN']::"Role"[] WHERE "id" = $1`, [accountIdOf(admin.accessToken)]);
    await vi.waitFor(async () =>
      expect(errorCodes(await server.gql(PUBLISH, { i: EMPTY_POLICY }, { token: admin.accessToken }))).toEqual(['BAD_USER_INPUT']),
    );
    // Cached now, with the ADMIN role.
    expect(errorCodes(await server.gql(PUBLISH, { i: EMPTY_POLICY }, { token: admin.accessToken }))).toEqual(['BAD_USER_INPUT']);
    await sql(`UPDATE "Account" SET "roles" = ARRAY['CUSTOMER']::"Role"[] WHERE "id" = $1`, [accountIdOf(admin.accessToken)]);
    await vi.waitFor(async () =>
      expect(errorCodes(await server.gql(PUBLISH, { i: EMPTY_POLICY }, { token: admin.accessToken }))).toEqual(['FORBIDDEN']),
    );
  });

  it("a write through the app's Prisma client takes effect on the very next request, before any notification", async () => {
    const admin = await signUp(server);
    const id = accountIdOf(admin.accessToken);
    const publish = async () => errorCodes(await server.gql(PUBLISH, { i: EMPTY_POLICY }, { token: admin.accessToken }));
    // Notifications held back (as when PostgreSQL delivers them late): only the write-through can make this pass.
    const handlers = server.app.services.viewerCache.handlers;
    const deliver = handlers.message;
    handlers.message = () => {};
    try {
      expect(await publish()).toEqual(['FORBIDDEN']);
      await server.app.services.prisma.account.update({ where: { id }, data: { roles: ['CUSTOMER', 'ADMIN'] } });
      expect(await publish()).toEqual(['BAD_USER_INPUT']);
      await server.app.services.prisma.account.update({ where: { email: admin.email }, data: { roles: ['CUSTOMER'] } });
      expect(await publish()).toEqual(['FORBIDDEN']);
      await server.app.services.prisma.session.updateMany({ where: { accountId: id }, data: { revokedAt: new Date() } });
      expect(await publish()).toEqual(['UNAUTHENTICATED']);
    } finally {
      handlers.message = deliver;
    }
  });

  it('refuses a device token once its version is bumped by plain SQL, and after the device is deleted', async () => {
    const owner = await signUp(server);
    const d = await registerDevice(server, owner);
    const record = (i: number) => server.gql(RECORD, { input: { points: [point(i)] } }, { token: d.token });
    expect((await record(1)).data.recordLocations.accepted).toBe(1);
    expect((await record(2)).data.recordLocations.accepted).toBe(1);
    await sql(`UPDATE "Device" SET "tokenVersion" = "tokenVersion" + 1 WHERE "id" = $1`, [d.rawId]);
    await vi.waitFor(async () => expect(errorCodes(await record(3))).toEqual(['UNAUTHENTICATED']));

    const other = await registerDevice(server, owner, 'Other');
    const recordOther = () => server.gql(RECORD, { input: { points: [point(9)] } }, { token: other.token });
    expect((await recordOther()).errors).toBeUndefined();
    await sql(`DELETE FROM "Device" WHERE "id" = $1`, [other.rawId]);
    await vi.waitFor(async () => expect(errorCodes(await recordOther())).toEqual(['UNAUTHENTICATED']));
  });

  it('ends every session of an account deleted by plain SQL', async () => {
    const owner = await signUp(server);
    expect((await server.gql(ME, {}, { token: owner.accessToken })).errors).toBeUndefined();
    await sql(`DELETE FROM "Account" WHERE "id" = $1`, [accountIdOf(owner.accessToken)]);
    await vi.waitFor(async () => expect(errorCodes(await server.gql(ME, {}, { token: owner.accessToken }))).toEqual(['UNAUTHENTICATED']));
  });

  it('refuses a logged-out token on the very next request, without waiting for the notification', async () => {
    const owner = await signUp(server);
    expect((await server.gql(ME, {}, { token: owner.accessToken })).errors).toBeUndefined();
    const out = await server.gql(`mutation($t: String!) { logout(refreshToken: $t) }`, { t: owner.refreshToken });
    expect(out.errors).toBeUndefined();
    expect(errorCodes(await server.gql(ME, {}, { token: owner.accessToken }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('viewer cache across two instances on one database', () => {
  let instances: Instance[] = [];
  let stop = async () => {};
  beforeAll(async () => {
    ({ instances, stop } = await startInstances(2));
  });
  afterAll(() => stop());

  it('a logout on one instance ends the token on the other, which had it cached', async () => {
    const [a, b] = instances.map((i) => i.server);
    const owner = await signUp(a);
    for (let i = 0; i < 2; i++) expect((await b.gql(ME, {}, { token: owner.accessToken })).errors).toBeUndefined();
    expect(instances[1].app.services.viewerCache.session(sessionIdOf(owner.accessToken))).toBeDefined();
    expect((await a.gql(`mutation($t: String!) { logout(refreshToken: $t) }`, { t: owner.refreshToken })).errors).toBeUndefined();
    await vi.waitFor(async () => expect(errorCodes(await b.gql(ME, {}, { token: owner.accessToken }))).toEqual(['UNAUTHENTICATED']));
  });
});

const claimsOf = (accessToken: string) => JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8'));
const sessionIdOf = (accessToken: string): string => claimsOf(accessToken).sid;
const accountIdOf = (accessToken: string): string => claimsOf(accessToken).sub;

describe('viewer cache while its listener is disconnected (PostgreSQL)', () => {
  const base = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
  let server: TestServer;
  let admin: pg.Client;
  const previous = process.env.TEST_DATABASE_URL;
  beforeAll(async () => {
    process.env.TEST_DATABASE_URL = base;
    try {
      server = await startTestServer({ plugins: [] });
    } finally {
      if (previous === undefined) delete process.env.TEST_DATABASE_URL;
      else process.env.TEST_DATABASE_URL = previous;
    }
    admin = new pg.Client({ connectionString: server.app.services.config.databaseUrl! });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await server?.stop();
  });

  it('reads the database on every request until it listens again, then caches again', async () => {
    const owner = await signUp(server);
    const me = () => server.gql(ME, {}, { token: owner.accessToken });
    await me();
    const cached = await statementsOf(server, me);
    // The listener's own connection goes away (a restart, a network cut): notifications may be missed from now on.
    const killed = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'location-platform listener'`,
    );
    expect(killed.rowCount).toBe(1);
    await vi.waitFor(() => expect(server.app.services.viewerCache.session(sessionIdOf(owner.accessToken))).toBeUndefined());
    const uncached = await statementsOf(server, me);
    expect(uncached).toBe(cached + 1);
    // It reconnects by itself; caching resumes.
    await vi.waitFor(
      async () => {
        await me();
        expect(await statementsOf(server, me)).toBe(cached);
      },
      { timeout: 10_000, interval: 200 },
    );
    await admin.query(`UPDATE "Session" SET "revokedAt" = now() WHERE "accountId" = $1`, [accountIdOf(owner.accessToken)]);
    await vi.waitFor(async () => expect(errorCodes(await me())).toEqual(['UNAUTHENTICATED']));
  });
});
