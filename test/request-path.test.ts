/**
 * The query hot path in SQL statements (issue 18): a history page and a device
 * list cost a fixed, small number of statements whatever the page size, for the
 * owner and for a grantee, and the shortcuts that make them cheap (the session
 * remembered between requests by the viewer cache, the device row the access rule read reused,
 * owners primed from rows already read, one decision per object) leave every
 * refusal as it was: a logged-out token is refused on the very next request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, signUp, errorCodes, type TestServer, type SignedIn } from './helpers/server';
import { registerDevice, point, grant, RECORD, type RegisteredDevice } from './helpers/devices';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ plugins: [] });
});
afterAll(() => server?.stop());

const POINT_FIELDS = 'id recordedAt receivedAt latitude longitude accuracy altitude speed heading battery source';
const HISTORY = `query($id: ID!, $first: Int) { device(id: $id) { id locations(first: $first) { pageInfo { hasNextPage endCursor } edges { node { ${POINT_FIELDS} } } } } }`;
const LIST = `{ devices(first: 100) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name kind identifier accessRole createdAt lastSeenAt owner { id displayName } lastLocation { ${POINT_FIELDS} } } } } }`;

async function deviceWithPoints(owner: SignedIn, count: number): Promise<RegisteredDevice> {
  const d = await registerDevice(server, owner);
  const points = Array.from({ length: count }, (_, i) => point(i, 600 - i));
  const r = await server.gql(RECORD, { input: { points } }, { token: d.token });
  expect(r.data.recordLocations.accepted).toBe(count);
  return d;
}

/** The statements one request sends (after a warm-up request of the same shape), and its result. */
async function measure(query: string, variables: Record<string, unknown>, token: string) {
  await server.gql(query, variables, { token });
  const { result, sql } = await server.sqlDuring(() => server.gql(query, variables, { token }));
  expect(result.errors).toBeUndefined();
  return { result, sql };
}

describe('history page', () => {
  it('costs 2 statements for the owner (device with access facts, the page; the session is cached), for 10 and 100 points', async () => {
    const owner = await signUp(server);
    const d = await deviceWithPoints(owner, 120);
    const ten = await measure(HISTORY, { id: d.id, first: 10 }, owner.accessToken);
    const hundred = await measure(HISTORY, { id: d.id, first: 100 }, owner.accessToken);
    expect(ten.result.data.device.locations.edges).toHaveLength(10);
    expect(hundred.result.data.device.locations.edges).toHaveLength(100);
    expect(hundred.result.data.device.locations.edges[0].node.latitude).toBeTypeOf('number');
    expect(hundred.sql).toHaveLength(2);
    expect(ten.sql).toHaveLength(2);
    // The session comes from the viewer cache (the warm-up request read it); the device row is read once.
    expect(hundred.sql.filter((s) => /"Session"/.test(s))).toHaveLength(0);
    expect(hundred.sql.filter((s) => /FROM ("public"\.)?"Device"/.test(s))).toHaveLength(1);
  });

  it('costs the same 2 statements for a grantee with an active HISTORY grant, who sees only from historyFrom', async () => {
    const owner = await signUp(server);
    const friend = await signUp(server);
    const d = await deviceWithPoints(owner, 120);
    // Points are 600-i minutes old: from 500 minutes ago, the 20 newest... i >= 100.
    await grant(server, owner, friend, d, 'HISTORY', { historyFrom: new Date(Date.now() - 500.5 * 60_000) });
    const { result, sql } = await measure(HISTORY, { id: d.id, first: 100 }, friend.accessToken);
    expect(result.data.device.locations.edges).toHaveLength(20);
    expect(sql).toHaveLength(2);
  });

  it('is NOT_FOUND for a stranger and FORBIDDEN for a LIVE grantee, as before', async () => {
    const owner = await signUp(server);
    const stranger = await signUp(server);
    const live = await signUp(server);
    const d = await deviceWithPoints(owner, 3);
    await grant(server, owner, live, d, 'LIVE');
    expect(errorCodes(await server.gql(HISTORY, { id: d.id, first: 10 }, { token: stranger.accessToken }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await server.gql(HISTORY, { id: d.id, first: 10 }, { token: live.accessToken }))).toEqual(['FORBIDDEN']);
  });

  it('refuses a logged-out access token on the very next request', async () => {
    const owner = await signUp(server);
    const d = await deviceWithPoints(owner, 3);
    expect((await server.gql(HISTORY, { id: d.id, first: 10 }, { token: owner.accessToken })).errors).toBeUndefined();
    const out = await server.gql(`mutation($t: String!) { logout(refreshToken: $t) }`, { t: owner.refreshToken });
    expect(out.errors).toBeUndefined();
    expect(errorCodes(await server.gql(HISTORY, { id: d.id, first: 10 }, { token: owner.accessToken }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('device list', () => {
  async function listStatements(count: number) {
    const owner = await signUp(server);
    for (let i = 0; i < count; i++) await deviceWithPoints(owner, 1);
    const { result, sql } = await measure(LIST, {}, owner.accessToken);
    expect(result.data.devices.totalCount).toBe(count);
    expect(result.data.devices.edges.every((e: any) => e.node.lastLocation.latitude && e.node.owner.displayName)).toBe(true);
    expect(result.data.devices.edges.every((e: any) => e.node.accessRole === 'OWNER')).toBe(true);
    return sql;
  }

  it('costs 3 statements (the devices with owner, their last locations by key, the count; the session is cached) for 3 and 30 devices', async () => {
    const three = await listStatements(3);
    const thirty = await listStatements(30);
    expect(thirty).toHaveLength(3);
    expect(three).toHaveLength(3);
    // Last locations by (id, recordedAt), not a join: PostgreSQL plans only the partitions of those days.
    const byKey = thirty.filter((s) => /FROM ("public"\.)?"LocationPoint"/.test(s));
    expect(byKey).toHaveLength(1);
    expect(byKey[0]).toMatch(/"recordedAt" = ANY\(\$2\)/);
    // The first page with its owners, read past Prisma's engine (api/devices/device-rows.ts).
    expect(thirty.filter((s) => /FROM "Device" d JOIN "Account" a/.test(s))).toHaveLength(1);
  });
});
