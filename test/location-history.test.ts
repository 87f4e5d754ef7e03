import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, signUp, type TestServer, type SignedIn } from './helpers/server';
import { registerDevice, RECORD, type RegisteredDevice } from './helpers/devices';
import { uuidv7 } from '../api/util/uuid';
import { historyRows } from '../api/locations/history';
import { pointByKey } from '../api/locations/point-key';
import { createContext } from '../api/context';

let server: TestServer;
let owner: SignedIn;
let device: RegisteredDevice;
/** 23 fixes one minute apart, ending 10 minutes ago; two share one timestamp (ties broken by id). */
const base = Date.now() - 40 * 60_000;
const times = Array.from({ length: 23 }, (_, i) => new Date(base + Math.min(i, 21) * 60_000).toISOString());

beforeAll(async () => {
  server = await startTestServer({ plugins: [] });
  owner = await signUp(server);
  device = await registerDevice(server, owner);
  const points = times.map((recordedAt, i) => ({ clientId: `p${i}`, recordedAt, latitude: i, longitude: 0 }));
  const r = await server.gql(RECORD, { input: { points } }, { token: device.token });
  expect(r.data.recordLocations.accepted).toBe(23);
  // Points 21 and 22 share a timestamp: their order is their ids' order.
  const tied = await server.app.services.prisma.locationPoint.findMany({
    where: { deviceId: device.rawId, clientId: { in: ['p21', 'p22'] } },
    orderBy: { id: 'asc' },
  });
  ascending = [...Array.from({ length: 21 }, (_, i) => i), ...tied.map((p) => p.latitude)];
});
let ascending: number[];
const descending = () => [...ascending].reverse();
afterAll(() => server?.stop());

const PAGE = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $order: SortOrder, $from: DateTime, $to: DateTime) {
  device(id: $id) {
    locations(first: $first, after: $after, last: $last, before: $before, order: $order, from: $from, to: $to) {
      edges { cursor node { latitude recordedAt } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}`;

async function page(vars: Record<string, unknown>) {
  const r = await server.gql(PAGE, { id: device.id, ...vars }, { token: owner.accessToken });
  if (r.errors) throw Object.assign(new Error('query failed'), { result: r });
  return r.data.device.locations as {
    edges: { cursor: string; node: { latitude: number; recordedAt: string } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
}
const lats = (p: Awaited<ReturnType<typeof page>>) => p.edges.map((e) => e.node.latitude);

describe('Device.locations', () => {
  it('is newest first by default', async () => {
    const p = await page({ first: 3 });
    expect(lats(p)).toEqual(descending().slice(0, 3));
    expect(p.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it('walks forward with first/after through every point exactly once, both orders (ties broken by id)', async () => {
    for (const order of ['ASC', 'DESC'] as const) {
      const seen: number[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 20; guard++) {
        const p = await page({ first: 5, after, order });
        seen.push(...lats(p));
        if (!p.pageInfo.hasNextPage) break;
        after = p.pageInfo.endCursor;
      }
      expect(seen).toEqual(order === 'ASC' ? ascending : descending());
    }
  });

  it('walks backward with last/before and returns each page in the requested order', async () => {
    const seen: number[][] = [];
    let before: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const p = await page({ last: 10, before, order: 'ASC' });
      seen.push(lats(p));
      if (!p.pageInfo.hasPreviousPage) break;
      before = p.pageInfo.startCursor;
    }
    expect(seen).toEqual([ascending.slice(13), ascending.slice(3, 13), ascending.slice(0, 3)]);
    const middle = await page({ last: 2, before: (await page({ first: 5, order: 'ASC' })).pageInfo.endCursor, order: 'ASC' });
    expect(lats(middle)).toEqual([2, 3]);
    expect(middle.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  it('filters by from and to (both inclusive)', async () => {
    const p = await page({ first: 50, order: 'ASC', from: times[5], to: times[8] });
    expect(lats(p)).toEqual([5, 6, 7, 8]);
  });

  it('refuses pages above 500, negative sizes, mixed directions and bad cursors (BAD_USER_INPUT)', async () => {
    const bad = [
      [{ first: 501 }, 'first'],
      [{ last: 501 }, 'last'],
      [{ first: -1 }, 'first'],
      [{ first: 5, last: 5 }, 'last'],
      [{ after: 'garbage!' }, 'after'],
    ] as const;
    for (const [vars, field] of bad) {
      const r = await server.gql(PAGE, { id: device.id, ...vars }, { token: owner.accessToken });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(lats(await page({ first: 500 }))).toHaveLength(23);
  });

  it('pages by keyset, not OFFSET: a point inserted before the cursor does not shift the next page', async () => {
    const first = await page({ first: 5, order: 'ASC' });
    // The cursor carries (recordedAt, id), not a position.
    expect(Buffer.from(first.pageInfo.endCursor!, 'base64url').toString('utf8')).toMatch(/^\d+:[0-9a-f-]{36}$/);
    // A late upload of an old fix sorts before the cursor and must not reappear on the next page.
    await server.gql(
      RECORD,
      { input: { points: [{ clientId: 'late', recordedAt: new Date(base - 60_000).toISOString(), latitude: -1, longitude: 0 }] } },
      { token: device.token },
    );
    const next = await page({ first: 5, order: 'ASC', after: first.pageInfo.endCursor });
    expect(lats(next)).toEqual([5, 6, 7, 8, 9]);
    expect(uuidv7()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('lastLocation is the point the device refers to (kept on ingestion), not a scan of history', async () => {
    const q = `query($id: ID!) { device(id: $id) { lastLocation { latitude } } }`;
    const r = await server.gql(q, { id: device.id }, { token: owner.accessToken });
    expect(r.data.device.lastLocation.latitude).toBe(ascending.at(-1));
    // Point the device at an older fix: the field follows the reference.
    const prisma = server.app.services.prisma;
    const older = await prisma.locationPoint.findFirstOrThrow({ where: { deviceId: device.rawId, clientId: 'p3' } });
    const current = await prisma.device.findUniqueOrThrow({ where: { id: device.rawId } });
    // The reference is the pair (id, recordedAt): LocationPoint is partitioned by recordedAt.
    await prisma.device.update({
      where: { id: device.rawId },
      data: { lastLocationId: older.id, lastLocationRecordedAt: older.recordedAt },
    });
    const moved = await server.gql(q, { id: device.id }, { token: owner.accessToken });
    await prisma.device.update({
      where: { id: device.rawId },
      data: { lastLocationId: current.lastLocationId, lastLocationRecordedAt: current.lastLocationRecordedAt },
    });
    expect(moved.data.device.lastLocation.latitude).toBe(3);
  });
});

describe('Device.locations across days (the first read covers a window of days; LocationPoint is partitioned by day)', () => {
  const DAY = 86_400_000;
  /** Ages in days, chosen around the 3-day read window and its multiples, oldest last. */
  const ages = [0.01, 0.5, 2.9, 2.99, 3.01, 3.5, 6.1, 9, 20, 45, 80];
  let spread: RegisteredDevice;
  let newestFirst: number[];
  beforeAll(async () => {
    spread = await registerDevice(server, owner, 'Spread');
    const points = ages.map((age, i) => ({
      clientId: `s${i}`,
      recordedAt: new Date(Date.now() - age * DAY).toISOString(),
      latitude: i,
      longitude: 1,
    }));
    const r = await server.gql(RECORD, { input: { points } }, { token: spread.token });
    expect(r.data.recordLocations.accepted).toBe(ages.length);
    newestFirst = ages.map((_, i) => i);
  });
  const spreadPage = async (vars: Record<string, unknown>) => {
    const r = await server.gql(PAGE, { id: spread.id, ...vars }, { token: owner.accessToken });
    expect(r.errors).toBeUndefined();
    return r.data.device.locations as Awaited<ReturnType<typeof page>>;
  };

  it('pages every point exactly once in both orders and both directions, with any page size', async () => {
    for (const size of [1, 2, 3, 5, 20]) {
      for (const order of ['DESC', 'ASC'] as const) {
        const expected = order === 'DESC' ? newestFirst : [...newestFirst].reverse();
        const forward: number[] = [];
        let after: string | null = null;
        for (let guard = 0; guard < 20; guard++) {
          const p = await spreadPage({ first: size, after, order });
          forward.push(...lats(p));
          if (!p.pageInfo.hasNextPage) break;
          after = p.pageInfo.endCursor;
        }
        expect(forward, `first ${size} ${order}`).toEqual(expected);
        const backward: number[] = [];
        let before: string | null = null;
        for (let guard = 0; guard < 20; guard++) {
          const p = await spreadPage({ last: size, before, order });
          backward.unshift(...lats(p));
          if (!p.pageInfo.hasPreviousPage) break;
          before = p.pageInfo.startCursor;
        }
        expect(backward, `last ${size} ${order}`).toEqual(expected);
      }
    }
  });

  it('honours from and to on either side of the window', async () => {
    const at = (days: number) => new Date(Date.now() - days * DAY).toISOString();
    expect(lats(await spreadPage({ first: 20, from: at(7) }))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(lats(await spreadPage({ first: 20, to: at(3.2) }))).toEqual([5, 6, 7, 8, 9, 10]);
    expect(lats(await spreadPage({ first: 20, from: at(50), to: at(2.95), order: 'ASC' }))).toEqual([9, 8, 7, 6, 5, 4, 3]);
    expect(lats(await spreadPage({ first: 2, from: at(50), to: at(2.95), order: 'ASC' }))).toEqual([9, 8]);
  });

  it('reads a full page within the window in one statement, and a page past it in two, each bounded in recordedAt', async () => {
    await spreadPage({ first: 2 });
    const near = await server.sqlDuring(() => spreadPage({ first: 1 }));
    const far = await server.sqlDuring(() => spreadPage({ first: 20 }));
    const pageReads = (sql: string[]) => sql.filter((s) => /FROM ("public"\.)?"LocationPoint"/.test(s));
    expect(pageReads(near.sql)).toHaveLength(1);
    expect(pageReads(far.sql)).toHaveLength(2);
    for (const s of [...pageReads(near.sql), ...pageReads(far.sql)]) expect(s).toMatch(/"recordedAt" (>=|<)/);
  });
});

describe('points read past Prisma (api/locations/point-rows.ts)', () => {
  it('are the objects Prisma returns for the same rows, every column and type (history page and by key)', async () => {
    const full = {
      clientId: 'full',
      recordedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      latitude: 56.123456789,
      longitude: -24.5,
      accuracy: 3.5,
      altitude: 12.25,
      speed: 0,
      heading: 359.5,
      battery: 77,
      source: 'WIFI',
    };
    const d = await registerDevice(server, owner);
    const stored = await server.gql(
      RECORD,
      {
        input: {
          points: [
            full,
            { ...full, clientId: 'bare', accuracy: null, altitude: null, speed: null, heading: null, battery: null, source: undefined },
          ],
        },
      },
      { token: d.token },
    );
    expect(stored.data.recordLocations.accepted).toBe(2);
    const viaPrisma = await server.app.services.prisma.locationPoint.findMany({
      where: { deviceId: d.rawId },
      orderBy: [{ recordedAt: 'desc' }, { id: 'desc' }],
    });
    expect(viaPrisma).toHaveLength(2);
    const page = await historyRows(server.app.services.db, d.rawId, {}, null, { limit: 10, inverted: false });
    expect(page).toEqual(viaPrisma);
    for (const [a, b] of page.map((p, i) => [p, viaPrisma[i]] as const)) {
      expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
      expect(a.recordedAt).toBeInstanceOf(Date);
      expect(a.receivedAt.getTime()).toBe(b.receivedAt.getTime());
    }
    const ctx = createContext(server.app.services, { kind: 'anonymous' }, new Request('http://localhost/'));
    const byKey = await Promise.all(viaPrisma.map((p) => pointByKey(ctx, { id: p.id, recordedAt: p.recordedAt })));
    expect(byKey).toEqual(viaPrisma);
    expect(await pointByKey(ctx, { id: viaPrisma[0].id, recordedAt: new Date(0) })).toBeNull();
  });
});
