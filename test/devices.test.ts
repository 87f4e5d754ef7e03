import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { startTestServer, signUp, errorCodes, type TestServer } from './helpers/server';
import { registerDevice, point, grant, accountRowId, RECORD, REGISTER_DEVICE } from './helpers/devices';
import { ownDevicesFirstPage } from '../api/devices/device-rows';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ plugins: [] });
});
afterAll(() => server?.stop());

const DEVICE = `query($id: ID!) { device(id: $id) { id name kind identifier accessRole owner { displayName } lastLocation { latitude longitude } } }`;
const NODE = `query($id: ID!) { node(id: $id) { id ... on Device { name } ... on LocationPoint { latitude } } }`;
const ROTATE = `mutation($id: ID!) { rotateDeviceToken(deviceId: $id) { deviceToken device { id } } }`;
const REMOVE = `mutation($id: ID!) { removeDevice(deviceId: $id) { deviceId deletedLocations } }`;
const UPDATE = `mutation($input: UpdateDeviceInput!) { updateDevice(input: $input) { id name kind } }`;

describe('device lifecycle', () => {
  it('registers a device, returns a working device token once, and lists it under devices', async () => {
    const owner = await signUp(server);
    const r = await server.gql(
      REGISTER_DEVICE,
      { input: { name: '  Car  ', kind: 'VEHICLE', identifier: 'IMEI-7' } },
      { token: owner.accessToken },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.registerDevice.device).toMatchObject({ name: 'Car', kind: 'VEHICLE', identifier: 'IMEI-7' });
    const token = r.data.registerDevice.deviceToken;
    const rec = await server.gql(RECORD, { input: { points: [point(1)] } }, { token });
    expect(rec.data.recordLocations.accepted).toBe(1);

    const list = await server.gql(
      `{ devices(first: 10) { totalCount edges { cursor node { id name } } pageInfo { hasNextPage } } }`,
      {},
      { token: owner.accessToken },
    );
    expect(list.errors).toBeUndefined();
    expect(list.data.devices.totalCount).toBe(1);
    expect(list.data.devices.edges.map((e: any) => e.node.id)).toEqual([r.data.registerDevice.device.id]);

    const me = await server.gql(`{ me { devices(first: 5) { totalCount edges { node { name } } } } }`, {}, { token: owner.accessToken });
    expect(me.data.me.devices).toEqual({ totalCount: 1, edges: [{ node: { name: 'Car' } }] });
  });

  it('refuses an empty name with the field at fault', async () => {
    const owner = await signUp(server);
    const r = await server.gql(REGISTER_DEVICE, { input: { name: '  ', kind: 'PHONE' } }, { token: owner.accessToken });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
  });

  it('requires a signed-in account to register', async () => {
    const r = await server.gql(REGISTER_DEVICE, { input: { name: 'X', kind: 'PHONE' } });
    expect(errorCodes(r)).toEqual(['UNAUTHENTICATED']);
  });

  it('renames a device for its owner; others get NOT_FOUND', async () => {
    const owner = await signUp(server);
    const other = await signUp(server);
    const d = await registerDevice(server, owner);
    const ok = await server.gql(UPDATE, { input: { deviceId: d.id, name: 'Bike', kind: 'TRACKER' } }, { token: owner.accessToken });
    expect(ok.data.updateDevice).toMatchObject({ name: 'Bike', kind: 'TRACKER' });
    const no = await server.gql(UPDATE, { input: { deviceId: d.id, name: 'Mine now' } }, { token: other.accessToken });
    expect(errorCodes(no)).toEqual(['NOT_FOUND']);
  });

  it('rotating the token revokes the previous one at once', async () => {
    const owner = await signUp(server);
    const d = await registerDevice(server, owner);
    const r = await server.gql(ROTATE, { id: d.id }, { token: owner.accessToken });
    expect(r.errors).toBeUndefined();
    const fresh = r.data.rotateDeviceToken.deviceToken;
    expect(fresh).not.toBe(d.token);
    const old = await server.gql(RECORD, { input: { points: [point(1)] } }, { token: d.token });
    expect(errorCodes(old)).toEqual(['UNAUTHENTICATED']);
    const now = await server.gql(RECORD, { input: { points: [point(1)] } }, { token: fresh });
    expect(now.data.recordLocations.accepted).toBe(1);
  });

  it('only the owner rotates or removes; a device token may not', async () => {
    const owner = await signUp(server);
    const other = await signUp(server);
    const d = await registerDevice(server, owner);
    expect(errorCodes(await server.gql(ROTATE, { id: d.id }, { token: other.accessToken }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await server.gql(REMOVE, { id: d.id }, { token: other.accessToken }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await server.gql(REMOVE, { id: d.id }, { token: d.token }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.gql(REMOVE, { id: 'not-an-id' }, { token: owner.accessToken }))).toEqual(['NOT_FOUND']);
  });

  it('removeDevice deletes the device, all its points, grants and links in one go and returns the count', async () => {
    const owner = await signUp(server);
    const friend = await signUp(server);
    const d = await registerDevice(server, owner);
    const keep = await registerDevice(server, owner, 'Other');
    await server.gql(RECORD, { input: { points: [point(1), point(2), point(3)] } }, { token: d.token });
    await server.gql(RECORD, { input: { points: [point(1)] } }, { token: keep.token });
    await grant(server, owner, friend, d, 'HISTORY');
    const prisma = server.app.services.prisma;
    await prisma.shareLink.create({
      data: {
        deviceId: d.rawId,
        ownerId: await accountRowId(server, owner),
        tokenHash: `h-${d.rawId}`,
        expiresAt: new Date(Date.now() + 3600_000),
      },
    });
    const removed: unknown[] = [];
    const off = server.app.services.events.on('device.removed', (p) => void removed.push(p));
    // Open live subscriptions listen here to end themselves.
    const accessChanges = server.app.services.pubsub.subscribe('access:device', d.rawId)[Symbol.asyncIterator]();
    const accessChange = accessChanges.next();

    const r = await server.gql(REMOVE, { id: d.id }, { token: owner.accessToken });
    off();
    expect((await accessChange).value).toEqual({ reason: 'device.removed' });
    await accessChanges.return?.();
    expect(r.errors).toBeUndefined();
    expect(r.data.removeDevice).toEqual({ deviceId: d.id, deletedLocations: 3 });
    expect(removed).toEqual([{ deviceId: d.rawId, ownerId: await accountRowId(server, owner), deletedLocations: 3 }]);
    expect(await prisma.device.count({ where: { id: d.rawId } })).toBe(0);
    expect(await prisma.locationPoint.count({ where: { deviceId: d.rawId } })).toBe(0);
    expect(await prisma.sharingGrant.count({ where: { deviceId: d.rawId } })).toBe(0);
    expect(await prisma.shareLink.count({ where: { deviceId: d.rawId } })).toBe(0);
    expect(await prisma.locationPoint.count({ where: { deviceId: keep.rawId } })).toBe(1);
    // Its token is dead, and the device is gone for the owner too.
    expect(errorCodes(await server.gql(RECORD, { input: { points: [point(9)] } }, { token: d.token }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await server.gql(DEVICE, { id: d.id }, { token: owner.accessToken }))).toEqual(['NOT_FOUND']);
  });
});

describe('who sees a device', () => {
  it('strangers get NOT_FOUND through device(id) and node(id), for devices and points', async () => {
    const owner = await signUp(server);
    const stranger = await signUp(server);
    const d = await registerDevice(server, owner);
    await server.gql(RECORD, { input: { points: [point(1)] } }, { token: d.token });
    const pointId = (
      await server.gql(`query($id: ID!) { device(id: $id) { lastLocation { id } } }`, { id: d.id }, { token: owner.accessToken })
    ).data.device.lastLocation.id;

    const viaDevice = await server.gql(DEVICE, { id: d.id }, { token: stranger.accessToken });
    expect(viaDevice.data.device).toBeNull();
    expect(errorCodes(viaDevice)).toEqual(['NOT_FOUND']);
    const missing = await server.gql(
      DEVICE,
      { id: encodeGlobalID('Device', '00000000-0000-7000-8000-000000000000') },
      { token: stranger.accessToken },
    );
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(missing.errors?.[0].message).toBe(viaDevice.errors?.[0].message);

    const nonexistent = await server.gql(NODE, { id: encodeGlobalID('Device', 'no-such-device') }, { token: stranger.accessToken });
    for (const id of [d.id, pointId]) {
      const viaNode = await server.gql(NODE, { id }, { token: stranger.accessToken });
      expect(viaNode.data.node).toBeNull();
      expect(viaNode.errors).toEqual(nonexistent.errors);
      // Not even the type name leaks.
      const typename = await server.gql(`query($id: ID!) { node(id: $id) { __typename } }`, { id }, { token: stranger.accessToken });
      expect(typename.data.node).toBeNull();
      expect(errorCodes(typename)).toEqual(['NOT_FOUND']);
      const anonymous = await server.gql(NODE, { id });
      expect(anonymous.data.node).toBeNull();
      const own = await server.gql(NODE, { id }, { token: owner.accessToken });
      expect(own.errors).toBeUndefined();
      expect(own.data.node.id).toBe(id);
    }
  });

  it('a LIVE grantee sees the device and its last location, not its history, identifier or other points', async () => {
    const owner = await signUp(server);
    const friend = await signUp(server);
    const d = await registerDevice(server, owner, 'Watch', 'SERIAL-1');
    await server.gql(RECORD, { input: { points: [point(1, 30), point(2, 10)] } }, { token: d.token });
    await grant(server, owner, friend, d, 'LIVE');

    const r = await server.gql(DEVICE, { id: d.id }, { token: friend.accessToken });
    expect(r.errors).toBeUndefined();
    expect(r.data.device).toMatchObject({
      name: 'Watch',
      identifier: null,
      accessRole: 'LIVE_VIEWER',
      owner: { displayName: 'Test User' },
    });
    expect(r.data.device.lastLocation.latitude).toBeCloseTo(56.9502, 6);

    const history = await server.gql(
      `query($id: ID!) { device(id: $id) { locations(first: 5) { edges { node { id } } } } }`,
      { id: d.id },
      { token: friend.accessToken },
    );
    expect(errorCodes(history)).toEqual(['FORBIDDEN']);
    const track = await server.gql(
      `query($id: ID!, $f: DateTime!, $t: DateTime!) { device(id: $id) { track(from: $f, to: $t) { pointCount } } }`,
      { id: d.id, f: new Date(Date.now() - 86400_000).toISOString(), t: new Date().toISOString() },
      { token: friend.accessToken },
    );
    expect(errorCodes(track)).toEqual(['FORBIDDEN']);

    const older = await server.app.services.prisma.locationPoint.findFirstOrThrow({ where: { deviceId: d.rawId, clientId: 'c-1' } });
    const viaNode = await server.gql(NODE, { id: encodeGlobalID('LocationPoint', older.id) }, { token: friend.accessToken });
    expect(errorCodes(viaNode)).toContain('NOT_FOUND');

    const shared = await server.gql(
      `{ sharedDevices(first: 10) { totalCount edges { node { id accessRole } } } }`,
      {},
      { token: friend.accessToken },
    );
    expect(shared.data.sharedDevices).toEqual({ totalCount: 1, edges: [{ node: { id: d.id, accessRole: 'LIVE_VIEWER' } }] });
  });

  it('a HISTORY grantee sees history only from historyFrom', async () => {
    const owner = await signUp(server);
    const friend = await signUp(server);
    const d = await registerDevice(server, owner);
    await server.gql(RECORD, { input: { points: [point(1, 50), point(2, 40), point(3, 20), point(4, 10)] } }, { token: d.token });
    await grant(server, owner, friend, d, 'HISTORY', { historyFrom: new Date(Date.now() - 30 * 60_000) });
    const q = `query($id: ID!) { device(id: $id) { accessRole locations(first: 10, order: ASC) { edges { node { latitude } } } } }`;
    const r = await server.gql(q, { id: d.id }, { token: friend.accessToken });
    expect(r.errors).toBeUndefined();
    expect(r.data.device.accessRole).toBe('HISTORY_VIEWER');
    expect(r.data.device.locations.edges.map((e: any) => e.node.latitude.toFixed(4))).toEqual(['56.9503', '56.9504']);
    const t = await server.gql(
      `query($id: ID!, $f: DateTime!, $t: DateTime!) { device(id: $id) { track(from: $f, to: $t) { pointCount } } }`,
      { id: d.id, f: new Date(Date.now() - 86400_000).toISOString(), t: new Date().toISOString() },
      { token: friend.accessToken },
    );
    expect(t.data.device.track.pointCount).toBe(2);
  });

  it('an expired or revoked grant gives nothing (NOT_FOUND), and sharedDevices leaves it out', async () => {
    const owner = await signUp(server);
    const friend = await signUp(server);
    const d1 = await registerDevice(server, owner, 'A');
    const d2 = await registerDevice(server, owner, 'B');
    await grant(server, owner, friend, d1, 'LIVE', { expiresAt: new Date(Date.now() - 1000) });
    await grant(server, owner, friend, d2, 'LIVE', { revokedAt: new Date() });
    for (const d of [d1, d2])
      expect(errorCodes(await server.gql(DEVICE, { id: d.id }, { token: friend.accessToken }))).toEqual(['NOT_FOUND']);
    const shared = await server.gql(`{ sharedDevices { totalCount edges { node { id } } } }`, {}, { token: friend.accessToken });
    expect(shared.data.sharedDevices).toEqual({ totalCount: 0, edges: [] });
  });
});

describe('performance', () => {
  const LIST = `{ devices(first: 100) { edges { node { lastLocation { latitude } owner { displayName } } } } }`;

  async function statementsForDeviceList(count: number) {
    const owner = await signUp(server);
    for (let i = 0; i < count; i++) {
      const d = await registerDevice(server, owner, `D${i}`);
      await server.gql(RECORD, { input: { points: [point(i)] } }, { token: d.token });
    }
    // Warm-up (first use of a query shape may prepare statements).
    await server.gql(LIST, {}, { token: owner.accessToken });
    const before = server.statements();
    const r = await server.gql(LIST, {}, { token: owner.accessToken });
    const used = server.statements() - before;
    expect(r.errors).toBeUndefined();
    expect(r.data.devices.edges).toHaveLength(count);
    expect(r.data.devices.edges.every((e: any) => e.node.lastLocation && e.node.owner.displayName)).toBe(true);
    return used;
  }

  it('devices(first: 100) with lastLocation and owner costs the same number of SQL statements for 5 and 50 devices', async () => {
    const five = await statementsForDeviceList(5);
    const fifty = await statementsForDeviceList(50);
    expect(fifty).toBe(five);
    expect(five).toBeLessThanOrEqual(3);
  });

  it('sharedDevices(first: 100) for a LIVE grantee also costs a constant number of statements (rules are batched)', async () => {
    const SHARED = `{ sharedDevices(first: 100) { edges { node { accessRole identifier lastLocation { latitude } owner { displayName } } } } }`;
    const measure = async (count: number) => {
      const owner = await signUp(server);
      const friend = await signUp(server);
      for (let i = 0; i < count; i++) {
        const d = await registerDevice(server, owner, `S${i}`, `ID-${i}`);
        await server.gql(RECORD, { input: { points: [point(i)] } }, { token: d.token });
        await grant(server, owner, friend, d, 'LIVE');
      }
      await server.gql(SHARED, {}, { token: friend.accessToken });
      const before = server.statements();
      const r = await server.gql(SHARED, {}, { token: friend.accessToken });
      expect(r.errors).toBeUndefined();
      expect(r.data.sharedDevices.edges).toHaveLength(count);
      expect(r.data.sharedDevices.edges.every((e: any) => e.node.identifier === null && e.node.lastLocation)).toBe(true);
      return server.statements() - before;
    };
    expect(await measure(50)).toBe(await measure(5));
  });
});

describe('devices: the first page past Prisma (api/devices/device-rows.ts)', () => {
  it('reads the rows Prisma reads for the same page, owner summary included, in the same order', async () => {
    const owner = await signUp(server, { givenName: 'Anna', familyName: 'Bērziņa' });
    const a = await registerDevice(server, owner, 'Car', 'IMEI-1');
    await registerDevice(server, owner, 'Bike');
    await registerDevice(server, await signUp(server), 'Not mine');
    await server.gql(RECORD, { input: { points: [point(1)] } }, { token: a.token });
    const ownerId = await accountRowId(server, owner);
    const prisma = server.app.services.prisma;
    for (const take of [10, 1]) {
      const expected = await prisma.device.findMany({
        where: { ownerId },
        include: { owner: { select: { id: true, givenName: true, familyName: true } } },
        orderBy: { id: 'asc' },
        take,
      });
      expect(expected.length).toBe(Math.min(take, 2));
      expect(expected[0].owner).toEqual({ id: ownerId, givenName: 'Anna', familyName: 'Bērziņa' });
      expect(await ownDevicesFirstPage(server.app.services.db, ownerId, take)).toEqual(expected);
    }
  });

  it('pages through first/after and last/before the same way whichever path reads a page', async () => {
    const owner = await signUp(server);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await registerDevice(server, owner, `D${i}`)).id);
    const PAGE = `query($first: Int, $after: String, $last: Int, $before: String) {
      devices(first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { id owner { displayName } } } pageInfo { hasNextPage hasPreviousPage endCursor startCursor } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const r: { errors?: unknown; data: any } = await server.gql(PAGE, { first: 2, after }, { token: owner.accessToken });
      expect(r.errors).toBeUndefined();
      seen.push(...r.data.devices.edges.map((e: any) => e.node.id));
      if (!r.data.devices.pageInfo.hasNextPage) break;
      after = r.data.devices.pageInfo.endCursor;
    }
    expect(seen).toEqual([...ids].sort((x, y) => (decodeId(x) < decodeId(y) ? -1 : 1)));
    const last = await server.gql(PAGE, { last: 2 }, { token: owner.accessToken });
    expect(last.data.devices.edges.map((e: any) => e.node.id)).toEqual(seen.slice(3));
  });
});

const decodeId = (id: string) => Buffer.from(id, 'base64').toString('utf8');
