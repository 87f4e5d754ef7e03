/**
 * Issue 18, live fan-out: delivering a fix to many subscribers sends no SQL
 * (the streams decide from the access they checked last, kept current by
 * wake-ups and timers), and because they no longer re-check per event, every
 * action that ends access must end a running stream at once by itself, with
 * no further point recorded. Black-box over graphql-ws; statements counted at
 * the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { eraseAccount } from '../api/accounts/erasure';
import { liveExecutionStats, shareableOperation } from '../server/live-sharing';
import { parse } from 'graphql';
import { startTestServer, signUp, type TestServer, type SignedIn } from './helpers/server';
import {
  createDevice,
  recordPoint,
  grant,
  wsClient,
  subscribe,
  sleep,
  REVOKE,
  type Subscription,
  type TestDevice,
} from './helpers/sharing-fixtures';

let server: TestServer;
let owner: SignedIn;
let device: TestDevice;
const clients: Client[] = [];

beforeAll(async () => {
  // Scheduled jobs off: their SQL would be counted with the delivery's.
  server = await startTestServer({ plugins: [], env: { JOBS: 'off' } });
  owner = await signUp(server);
  device = await createDevice(server, owner, 'Fan-out phone');
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await server?.stop();
});

const client = (token: string) => {
  const c = wsClient(server, token);
  clients.push(c);
  return c;
};

/** The SDK's LocationPointFields (schema/operations/devices.graphql): what a dashboard selects. */
const POINT_FIELDS = 'id recordedAt receivedAt latitude longitude accuracy altitude speed heading battery source';
const LOCATION_UPDATED = `subscription($ids: [ID!]) { locationUpdated(deviceIds: $ids) { ${POINT_FIELDS} } }`;

let lat = 56.9;
const codesOf = (sub: Subscription) => sub.results.flatMap((r) => (r.errors ?? []).map((e) => e.extensions?.code));

/** Records points until every subscription has delivered one (all streams are open and checked). */
async function untilAllLive(subs: Subscription[], d = device) {
  const deadline = Date.now() + 20_000;
  const before = subs.map((s) => s.results.length);
  while (subs.some((s, i) => s.results.length === before[i])) {
    if (Date.now() > deadline) throw new Error('not every stream delivered');
    await recordPoint(server, d, new Date(), (lat += 0.001));
    await sleep(150);
  }
}

/** Statements the server sends for one recorded fix until every subscription got it. */
async function statementsForOneFix(subs: Subscription[], d = device) {
  await sleep(200); // Nothing still in flight from earlier steps.
  const counts = subs.map((s) => s.results.length);
  const before = server.statements();
  await recordPoint(server, d, new Date(), (lat += 0.001));
  await Promise.all(subs.map((s, i) => s.waitFor(counts[i] + 1, 10_000)));
  await sleep(200); // Anything a delivery sent late would be counted too.
  return server.statements() - before;
}

describe('fan-out without SQL per delivery', () => {
  it('50 subscribers (owner, LIVE and HISTORY grantees) get a fix for no more statements than the ingestion alone (1)', async () => {
    const quiet = await createDevice(server, owner, 'Nobody watches');
    await recordPoint(server, quiet, new Date(), lat);
    // A device token is checked once, then kept (api/auth/viewer-cache.ts): a fix is then one statement.
    await recordPoint(server, quiet, new Date(), (lat += 0.001));
    await recordPoint(server, device, new Date(), (lat += 0.001));
    const ingestionOnly = await statementsForOneFix([], quiet);
    expect(ingestionOnly).toBe(1);

    const viewers = [owner];
    for (const scope of ['LIVE', 'LIVE', 'HISTORY', 'HISTORY'] as const) {
      const v = await signUp(server);
      await grant(server, owner, device, { granteeEmail: v.email, scope });
      viewers.push(v);
    }
    const subs: Subscription[] = [];
    const few = viewers.map((v) => subscribe(client(v.accessToken), LOCATION_UPDATED, { ids: [device.id] }));
    subs.push(...few);
    await untilAllLive(few);
    const withFive = await statementsForOneFix(few);

    for (const v of viewers) {
      const c = client(v.accessToken);
      for (let i = 0; i < 9; i++) subs.push(subscribe(c, LOCATION_UPDATED, { ids: [device.id] }));
    }
    expect(subs).toHaveLength(50);
    await untilAllLive(subs);
    const stats = { ...liveExecutionStats };
    const withFifty = await statementsForOneFix(subs);
    // One execution per viewer (the owner, 4 grantees: each its own decision), handed to its other 9 subscriptions.
    expect(liveExecutionStats.executed - stats.executed).toBe(5);
    expect(liveExecutionStats.reused - stats.reused).toBe(45);

    for (const s of subs) {
      expect(s.results.every((r) => !r.errors)).toBe(true);
      expect(s.results.at(-1)?.data?.locationUpdated).toMatchObject({ latitude: lat, accuracy: 5, battery: 80, source: 'GPS' });
    }
    // Delivering costs nothing on top of storing the point, for 5 subscribers as for 50.
    expect(withFive).toBe(ingestionOnly);
    expect(withFifty).toBe(ingestionOnly);
    subs.forEach((s) => s.dispose());
  });
});

describe('which subscriptions share one execution per event', () => {
  it('locationUpdated with scalar point fields (also through fragments); not nested objects or other operations', () => {
    const { schema } = server.app.built;
    const ok = (query: string, operationName?: string) => shareableOperation({ schema, document: parse(query), operationName });
    expect(ok(LOCATION_UPDATED)).toBeTruthy();
    expect(
      ok(
        `subscription S { l: locationUpdated { __typename ...F ... on LocationPoint { source } } } fragment F on LocationPoint { id latitude }`,
      ),
    ).toBeTruthy();
    expect(ok(`subscription { locationUpdated { id device { id } } }`)).toBeNull();
    expect(ok(`subscription { sharingGrantChanged { id } }`)).toBeNull();
    expect(ok(`query { __typename }`)).toBeNull();
    expect(ok(`subscription A { locationUpdated { id } } subscription B { sharingGrantChanged { id } }`, 'B')).toBeNull();
  });

  it('subscriptions of one viewer with the same document share; a different selection executes on its own', async () => {
    const c = client(owner.accessToken);
    const same = [0, 1, 2].map(() => subscribe(c, LOCATION_UPDATED, { ids: [device.id] }));
    const other = subscribe(c, `subscription($ids: [ID!]) { locationUpdated(deviceIds: $ids) { id latitude } }`, { ids: [device.id] });
    await untilAllLive([...same, other]);
    const stats = { ...liveExecutionStats };
    await statementsForOneFix([...same, other]);
    expect(liveExecutionStats.executed - stats.executed).toBe(2);
    expect(liveExecutionStats.reused - stats.reused).toBe(2);
    expect(other.results.at(-1)?.data?.locationUpdated).toEqual({ id: same[0].results.at(-1)?.data?.locationUpdated.id, latitude: lat });
    [...same, other].forEach((s) => s.dispose());
  });
});

describe('every action that ends access ends a running stream at once (no further point needed)', () => {
  async function liveGrantee() {
    const viewer = await signUp(server);
    const g = await grant(server, owner, device, { granteeEmail: viewer.email, scope: 'LIVE' });
    return { viewer, grantId: g.id };
  }
  async function expectEndsAfter(sub: Subscription, action: () => Promise<unknown>, code: string, d = device) {
    await untilAllLive([sub], d);
    const at = Date.now();
    await action();
    await sub.ended(2000);
    expect(Date.now() - at).toBeLessThan(2000);
    expect(sub.completed).toBe(true);
    expect(codesOf(sub).at(-1)).toBe(code);
  }

  it('the owner revokes the grant', async () => {
    const { viewer, grantId } = await liveGrantee();
    const sub = subscribe(client(viewer.accessToken), LOCATION_UPDATED, { ids: [device.id] });
    await expectEndsAfter(sub, () => server.gql(REVOKE, { id: grantId }, { token: owner.accessToken }), 'FORBIDDEN');
  });

  it('the viewer logs out', async () => {
    const { viewer } = await liveGrantee();
    const sub = subscribe(client(viewer.accessToken), LOCATION_UPDATED, { ids: [device.id] });
    await expectEndsAfter(
      sub,
      () => server.gql(`mutation($t: String!) { logout(refreshToken: $t) }`, { t: viewer.refreshToken }),
      'UNAUTHENTICATED',
    );
  });

  it('a spent refresh token is presented again (the session is revoked for safety)', async () => {
    const { viewer } = await liveGrantee();
    const sub = subscribe(client(viewer.accessToken), LOCATION_UPDATED, { ids: [device.id] });
    const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }`;
    const first = await server.gql(REFRESH, { t: viewer.refreshToken });
    expect(first.errors).toBeUndefined();
    await expectEndsAfter(sub, () => server.gql(REFRESH, { t: viewer.refreshToken }), 'UNAUTHENTICATED');
  });

  it('the password is changed in another session', async () => {
    const { viewer } = await liveGrantee();
    const sub = subscribe(client(viewer.accessToken), LOCATION_UPDATED, { ids: [device.id] });
    const other = await server.gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, {
      i: { email: viewer.email, password: viewer.password },
    });
    await expectEndsAfter(
      sub,
      () =>
        server.gql(
          `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`,
          { c: viewer.password, n: `${viewer.password}-new-1` },
          { token: other.data.login.accessToken },
        ),
      'UNAUTHENTICATED',
    );
  });

  it('the owner removes the device (owner and grantee streams end)', async () => {
    const phone = await createDevice(server, owner, 'Removed phone');
    const viewer = await signUp(server);
    await grant(server, owner, phone, { granteeEmail: viewer.email, scope: 'LIVE' });
    const mine = subscribe(client(owner.accessToken), LOCATION_UPDATED, { ids: [phone.id] });
    const theirs = subscribe(client(viewer.accessToken), LOCATION_UPDATED, { ids: [phone.id] });
    await untilAllLive([mine], phone);
    await expectEndsAfter(
      theirs,
      () =>
        server.gql(
          `mutation($id: ID!) { removeDevice(deviceId: $id) { deletedLocations } }`,
          { id: phone.id },
          { token: owner.accessToken },
        ),
      'FORBIDDEN',
      phone,
    );
    await mine.ended(2000);
    expect(codesOf(mine).at(-1)).toBe('FORBIDDEN');
  });

  it("the owner's account is erased (deleteMyAccount, a rights request): the grantee's stream ends", async () => {
    const other = await signUp(server);
    const phone = await createDevice(server, other, 'Erased phone');
    const viewer = await signUp(server);
    await grant(server, other, phone, { granteeEmail: viewer.email, scope: 'LIVE' });
    const sub = subscribe(client(viewer.accessToken), LOCATION_UPDATED, { ids: [phone.id] });
    await untilAllLive([sub], phone);
    const at = Date.now();
    // The erasure every path goes through (deleteMyAccount and erasure requests live in the rights plugin).
    const otherId = Buffer.from(other.id, 'base64').toString('utf8').split(':')[1];
    expect(await eraseAccount(server.app.services, otherId, 'request', { kind: 'CUSTOMER', accountId: otherId })).toBe(true);
    await sub.ended(2000);
    expect(Date.now() - at).toBeLessThan(2000);
    expect(codesOf(sub).at(-1)).toBe('FORBIDDEN');
  });
});
