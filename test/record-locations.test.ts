import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, signUp, errorCodes, type TestServer } from './helpers/server';
import { registerDevice, point, RECORD } from './helpers/devices';
import { ingestLocations } from '../api/locations/ingest';
import { PREPARED } from '../api/db/adapters';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ plugins: [], env: { RETENTION_LOCATION_POINTS: 'P30D' } });
});
afterAll(() => server?.stop());

const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
const LAST = `query($id: ID!) { device(id: $id) { lastSeenAt lastLocation { id recordedAt latitude } } }`;

describe('recordLocations: who may record', () => {
  it('a device token records for its own device with or without deviceId; another deviceId is FORBIDDEN', async () => {
    const owner = await signUp(server);
    const d = await registerDevice(server, owner);
    const other = await registerDevice(server, await signUp(server));
    expect((await server.gql(RECORD, { input: { points: [point(1)] } }, { token: d.token })).data.recordLocations.accepted).toBe(1);
    expect(
      (await server.gql(RECORD, { input: { deviceId: d.id, points: [point(2)] } }, { token: d.token })).data.recordLocations.accepted,
    ).toBe(1);
    const r = await server.gql(RECORD, { input: { deviceId: other.id, points: [point(3)] } }, { token: d.token });
    expect(errorCodes(r)).toEqual(['FORBIDDEN']);
    expect(await server.app.services.prisma.locationPoint.count({ where: { deviceId: other.rawId } })).toBe(0);
  });

  it('the owner records with a deviceId (required); strangers get NOT_FOUND, anonymous UNAUTHENTICATED', async () => {
    const owner = await signUp(server);
    const d = await registerDevice(server, owner);
    const ok = await server.gql(RECORD, { input: { deviceId: d.id, points: [point(1)] } }, { token: owner.accessToken });
    expect(ok.data.recordLocations.accepted).toBe(1);
    const missing = await server.gql(RECORD, { input: { points: [point(2)] } }, { token: owner.accessToken });
    expect(missing.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.deviceId' });
    const stranger = await server.gql(
      RECORD,
      { input: { deviceId: d.id, points: [point(3)] } },
      { token: (await signUp(server)).accessToken },
    );
    expect(errorCodes(stranger)).toEqual(['NOT_FOUND']);
    expect(errorCodes(await server.gql(RECORD, { input: { deviceId: d.id, points: [point(4)] } }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('recordLocations: validation', () => {
  it('rejects each invalid point with its own code and stores the valid ones', async () => {
    const d = await registerDevice(server, await signUp(server));
    const cases: [Record<string, unknown>, string][] = [
      [{ latitude: 90.0001 }, 'LATITUDE_OUT_OF_RANGE'],
      [{ latitude: -91 }, 'LATITUDE_OUT_OF_RANGE'],
      [{ longitude: 180.5 }, 'LONGITUDE_OUT_OF_RANGE'],
      [{ longitude: -181 }, 'LONGITUDE_OUT_OF_RANGE'],
      [{ accuracy: -1 }, 'ACCURACY_OUT_OF_RANGE'],
      [{ speed: -0.1 }, 'SPEED_OUT_OF_RANGE'],
      [{ heading: 360.1 }, 'HEADING_OUT_OF_RANGE'],
      [{ heading: -1 }, 'HEADING_OUT_OF_RANGE'],
      [{ battery: 101 }, 'BATTERY_OUT_OF_RANGE'],
      [{ battery: -5 }, 'BATTERY_OUT_OF_RANGE'],
      [{ recordedAt: minutesFromNow(6) }, 'RECORDED_IN_FUTURE'],
      [{ recordedAt: minutesFromNow(-31 * 24 * 60) }, 'RECORDED_BEFORE_RETENTION'],
      [{ clientId: '' }, 'INVALID_CLIENT_ID'],
      [{ clientId: 'x'.repeat(129) }, 'INVALID_CLIENT_ID'],
    ];
    const valid = [
      point(100, 10, { accuracy: 0, speed: 0, heading: 360, battery: 100, latitude: 90, longitude: -180 }),
      point(101, 10, { heading: 0, battery: 0, latitude: -90, longitude: 180, recordedAt: minutesFromNow(4) }),
      point(102, 10, { recordedAt: minutesFromNow(-29 * 24 * 60), altitude: -20 }),
    ];
    const points = [...cases.map(([extra], i) => point(i, 10, extra)), ...valid];
    const r = await server.gql(RECORD, { input: { points } }, { token: d.token });
    expect(r.errors).toBeUndefined();
    const out = r.data.recordLocations;
    expect(out.rejected.map((x: any) => [x.index, x.code])).toEqual(cases.map(([, code], i) => [i, code]));
    expect(out.rejected[0]).toMatchObject({ clientId: 'c-0', message: expect.stringContaining('latitude') });
    expect(out.accepted).toBe(3);
    expect(out.duplicates).toBe(0);
    expect(out.acknowledgedClientIds).toEqual(['c-100', 'c-101', 'c-102']);
    expect(await server.app.services.prisma.locationPoint.count({ where: { deviceId: d.rawId } })).toBe(3);
  });

  it('non-finite numbers cannot reach the API (GraphQL Float), and a bad date is a request error', async () => {
    const d = await registerDevice(server, await signUp(server));
    const r = await server.gql(RECORD, { input: { points: [point(1, 1, { recordedAt: 'yesterday' })] } }, { token: d.token });
    expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
  });

  it('takes 1 to 1000 points a call: 0 or 1001 is BAD_USER_INPUT and nothing is stored', async () => {
    const d = await registerDevice(server, await signUp(server));
    const none = await server.gql(RECORD, { input: { points: [] } }, { token: d.token });
    expect(none.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.points' });
    const many = Array.from({ length: 1001 }, (_, i) => point(i, 1000 - i / 10));
    const tooMany = await server.gql(RECORD, { input: { points: many } }, { token: d.token });
    expect(tooMany.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.points' });
    expect(await server.app.services.prisma.locationPoint.count({ where: { deviceId: d.rawId } })).toBe(0);
    const max = await server.gql(RECORD, { input: { points: many.slice(0, 1000) } }, { token: d.token });
    expect(max.data.recordLocations.accepted).toBe(1000);
  });
});

describe('recordLocations: idempotency and acknowledgement', () => {
  it('a resent batch is counted as duplicates, never stored twice, and acknowledged again', async () => {
    const d = await registerDevice(server, await signUp(server));
    const batch = [point(1), point(2), point(3)];
    const first = await server.gql(RECORD, { input: { points: batch } }, { token: d.token });
    expect(first.data.recordLocations).toMatchObject({ accepted: 3, duplicates: 0, acknowledgedClientIds: ['c-1', 'c-2', 'c-3'] });
    const again = await server.gql(RECORD, { input: { points: [...batch, point(4)] } }, { token: d.token });
    expect(again.data.recordLocations).toMatchObject({ accepted: 1, duplicates: 3, acknowledgedClientIds: ['c-1', 'c-2', 'c-3', 'c-4'] });
    expect(await server.app.services.prisma.locationPoint.count({ where: { deviceId: d.rawId } })).toBe(4);
  });

  it('duplicates within one call are stored once', async () => {
    const d = await registerDevice(server, await signUp(server));
    const r = await server.gql(RECORD, { input: { points: [point(1), point(1), point(2)] } }, { token: d.token });
    expect(r.data.recordLocations).toMatchObject({ accepted: 2, duplicates: 1, acknowledgedClientIds: ['c-1', 'c-2'] });
  });

  it('concurrent resends of the same batch store every point exactly once and all acknowledge it', async () => {
    const d = await registerDevice(server, await signUp(server));
    const batch = Array.from({ length: 50 }, (_, i) => point(i));
    const results = await Promise.all(
      Array.from({ length: 6 }, () => server.gql(RECORD, { input: { points: batch } }, { token: d.token })),
    );
    for (const r of results) expect(r.errors).toBeUndefined();
    const payloads = results.map((r) => r.data.recordLocations);
    expect(payloads.reduce((n, p) => n + p.accepted, 0)).toBe(50);
    expect(payloads.reduce((n, p) => n + p.duplicates, 0)).toBe(250);
    for (const p of payloads) expect(p.acknowledgedClientIds).toEqual(batch.map((b) => b.clientId));
    expect(await server.app.services.prisma.locationPoint.count({ where: { deviceId: d.rawId } })).toBe(50);
  });

  it('a clientId used again for a fix taken at another time is a new fix (an app reinstalled restarts its sequence), not a lost one', async () => {
    const d = await registerDevice(server, await signUp(server));
    const before = { clientId: '1', recordedAt: minutesFromNow(-60), latitude: 56.9, longitude: 24.1 };
    const after = { ...before, recordedAt: minutesFromNow(-1), latitude: 57.1 };
    await server.gql(RECORD, { input: { points: [before] } }, { token: d.token });
    const r = await server.gql(RECORD, { input: { points: [after, before] } }, { token: d.token });
    expect(r.data.recordLocations).toMatchObject({ accepted: 1, duplicates: 1, acknowledgedClientIds: ['1'] });
    const stored = await server.app.services.prisma.locationPoint.findMany({
      where: { deviceId: d.rawId },
      orderBy: { recordedAt: 'asc' },
    });
    expect(stored.map((p) => p.latitude)).toEqual([56.9, 57.1]);
  });

  it('a point without clientId gets one derived from time and position, so its resend deduplicates', async () => {
    const d = await registerDevice(server, await signUp(server));
    const p = { recordedAt: minutesFromNow(-3), latitude: 56.9, longitude: 24.1 };
    const a = await server.gql(RECORD, { input: { points: [p] } }, { token: d.token });
    const b = await server.gql(RECORD, { input: { points: [p] } }, { token: d.token });
    expect(a.data.recordLocations.accepted).toBe(1);
    expect(b.data.recordLocations).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(b.data.recordLocations.acknowledgedClientIds).toEqual(a.data.recordLocations.acknowledgedClientIds);
    expect(a.data.recordLocations.acknowledgedClientIds[0]).toMatch(/^h:/);
  });

  it('stores a batch with one INSERT statement, not one per point', async () => {
    const d = await registerDevice(server, await signUp(server));
    const small = Array.from({ length: 2 }, (_, i) => point(i));
    const big = Array.from({ length: 400 }, (_, i) => point(1000 + i, 500 - i / 10));
    // The token's first use reads the device (then the viewer cache has it): both measured calls come after it.
    await server.gql(RECORD, { input: { points: [point(5000)] } }, { token: d.token });
    let before = server.statements();
    await server.gql(RECORD, { input: { points: small } }, { token: d.token });
    const forTwo = server.statements() - before;
    before = server.statements();
    const r = await server.gql(RECORD, { input: { points: big } }, { token: d.token });
    const forFourHundred = server.statements() - before;
    expect(r.data.recordLocations.accepted).toBe(400);
    expect(forFourHundred).toBe(forTwo);
  });

  it('a 1-point call from a device token sends 1 statement (the store, no transaction) once its token is checked', async () => {
    const d = await registerDevice(server, await signUp(server));
    // The first call checks the token; then the viewer cache keeps the device (api/auth/viewer-cache.ts).
    const first = await server.sqlDuring(() => server.gql(RECORD, { input: { points: [point(1)] } }, { token: d.token }));
    expect(first.sql).toHaveLength(2);
    expect(first.sql[0]).toMatch(/FROM "public"\."Device"/);
    await server.gql(RECORD, { input: { points: [point(2)] } }, { token: d.token });
    const { result, sql } = await server.sqlDuring(() => server.gql(RECORD, { input: { points: [point(3)] } }, { token: d.token }));
    expect(result.data.recordLocations.accepted).toBe(1);
    expect(sql).toHaveLength(1);
    expect(sql[0]).toMatch(/INSERT INTO "LocationPoint"/);
    // Sent as a named prepared statement on PostgreSQL (planned once per connection).
    expect(sql[0].startsWith(PREPARED)).toBe(true);
  });

  it('a checked device token is refused on the very next call after rotation or removal', async () => {
    const owner = await signUp(server);
    const ROTATE = `mutation($id: ID!) { rotateDeviceToken(deviceId: $id) { deviceToken } }`;
    const REMOVE = `mutation($id: ID!) { removeDevice(deviceId: $id) { deletedLocations } }`;
    for (const [change, vars] of [
      [ROTATE, (id: string) => ({ id })],
      [REMOVE, (id: string) => ({ id })],
    ] as const) {
      const d = await registerDevice(server, owner);
      await server.gql(RECORD, { input: { points: [point(1)] } }, { token: d.token });
      await server.gql(RECORD, { input: { points: [point(2)] } }, { token: d.token });
      // Cached now: no token check left in the call.
      const cached = await server.sqlDuring(() => server.gql(RECORD, { input: { points: [point(3)] } }, { token: d.token }));
      expect(cached.sql).toHaveLength(1);
      expect((await server.gql(change, vars(d.id), { token: owner.accessToken })).errors).toBeUndefined();
      expect(errorCodes(await server.gql(RECORD, { input: { points: [point(4)] } }, { token: d.token }))).toEqual(['UNAUTHENTICATED']);
    }
  });
});

describe('recordLocations: effects', () => {
  it('moves lastLocation only forward in recordedAt, and sets lastSeenAt', async () => {
    const owner = await signUp(server);
    const d = await registerDevice(server, owner);
    await server.gql(RECORD, { input: { points: [point(1, 30), point(2, 20)] } }, { token: d.token });
    let r = await server.gql(LAST, { id: d.id }, { token: owner.accessToken });
    expect(r.data.device.lastLocation.latitude).toBeCloseTo(56.9502, 6);
    expect(r.data.device.lastSeenAt).not.toBeNull();
    // A late upload of an older fix does not replace the last location.
    await server.gql(RECORD, { input: { points: [point(3, 40)] } }, { token: d.token });
    r = await server.gql(LAST, { id: d.id }, { token: owner.accessToken });
    expect(r.data.device.lastLocation.latitude).toBeCloseTo(56.9502, 6);
    await server.gql(RECORD, { input: { points: [point(4, 5)] } }, { token: d.token });
    r = await server.gql(LAST, { id: d.id }, { token: owner.accessToken });
    expect(r.data.device.lastLocation.latitude).toBeCloseTo(56.9504, 6);
  });

  it("updates the owner's lastActiveAt, emits location.recorded and publishes each stored point", async () => {
    const owner = await signUp(server);
    const d = await registerDevice(server, owner);
    const prisma = server.app.services.prisma;
    const ownerRow = await prisma.account.findUniqueOrThrow({ where: { email: owner.email } });
    const longAgo = new Date(Date.now() - 3 * 24 * 3600_000);
    await prisma.account.update({ where: { id: ownerRow.id }, data: { lastActiveAt: longAgo } });

    const recorded: any[] = [];
    const off = server.app.services.events.on('location.recorded', (p) => void recorded.push(p));
    const live: any[] = [];
    const iterator = server.app.services.pubsub.subscribe('location:device', d.rawId)[Symbol.asyncIterator]();
    const collect = (async () => {
      for (let i = 0; i < 2; i++) live.push((await iterator.next()).value);
    })();
    // Called as the protocol routes do (no request sign-in that would touch lastActiveAt itself).
    const points = [point(1, 20), point(2, 10), point(2, 10)].map((p) => ({ ...p, recordedAt: new Date(p.recordedAt) }));
    const r = await ingestLocations(server.app.services, d.rawId, points, { kind: 'DEVICE', accountId: ownerRow.id, deviceId: d.rawId });
    await collect;
    off();
    await iterator.return?.();

    expect(r).toMatchObject({ accepted: 2, duplicates: 1 });
    expect((await prisma.account.findUniqueOrThrow({ where: { id: ownerRow.id } })).lastActiveAt.getTime()).toBeGreaterThan(
      longAgo.getTime(),
    );
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ deviceId: d.rawId, ownerId: ownerRow.id, count: 2 });
    expect(live.map((p) => p.latitude.toFixed(4))).toEqual(['56.9501', '56.9502']);
    expect(live[0]).toMatchObject({ deviceId: d.rawId, ownerId: ownerRow.id, source: 'UNKNOWN' });
    expect(recorded[0].pointIds).toEqual(live.map((p) => p.id));
  });
});
