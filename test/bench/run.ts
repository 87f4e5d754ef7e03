/**
 * `npm run bench`: measures the hot paths on the embedded database (or
 * PostgreSQL with BENCH_DATABASE_URL). Numbers here, never in unit tests.
 *
 *  1. devices(first: 100) with lastLocation and owner: latency and SQL
 *     statements per request, with graphql-shield and without (its price);
 *  2. recordLocations: 1000-point batches, points per second;
 *  3. Device.track over 100,000 points: full and simplified;
 *  4. the protocol routes (plugin protocols): fixes per second through
 *     OsmAnd GET (one fix per request, as Traccar Client sends) and Overland
 *     batches of 100 (HTTP + auth + parse + ingestion).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createYoga } from 'graphql-yoga';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { startTestServer, signUp, type TestServer } from '../helpers/server';
import { createContext } from '../../api/context';
import { viewerFromToken } from '../../api/auth/viewer';

if (process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;
process.env.NODE_ENV = 'test';

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const ms = (n: number) => Math.round(n * 100) / 100;

async function timeIt<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

async function seedDevices(server: TestServer, ownerToken: string, count: number) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = await server.gql(
      `mutation($i: RegisterDeviceInput!) { registerDevice(input: $i) { device { id } deviceToken } }`,
      { i: { name: `Bench device ${i}`, kind: 'TRACKER' } },
      { token: ownerToken },
    );
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    const id = r.data.registerDevice.device.id;
    ids.push(id);
    await server.gql(
      `mutation($i: RecordLocationsInput!) { recordLocations(input: $i) { accepted } }`,
      { i: { points: [{ clientId: 'p1', recordedAt: new Date().toISOString(), latitude: 56.95, longitude: 24.1 }] } },
      { token: r.data.registerDevice.deviceToken },
    );
  }
  return ids;
}

async function main() {
  const results: Record<string, unknown> = { database: process.env.TEST_DATABASE_URL ? 'postgresql' : 'pglite', node: process.version };
  const server = await startTestServer({ env: { LOG_LEVEL: 'error' } });
  try {
    const owner = await signUp(server);

    // 1. devices(first: 100)
    await seedDevices(server, owner.accessToken, 100);
    const query = `{ devices(first: 100) { totalCount edges { node { id name lastLocation { latitude longitude } owner { displayName } } } } }`;
    const runs = 60;
    const viaHttp: number[] = [];
    let statements = 0;
    for (let i = 0; i < runs; i++) {
      const before = server.statements();
      const [t, r] = await timeIt(() => server.gql(query, {}, { token: owner.accessToken }));
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      if (i >= 10) viaHttp.push(t);
      statements = server.statements() - before;
    }
    // Same operation executed in-process with and without the permission layer.
    const bare = createYoga({
      schema: server.app.built.declared,
      context: async ({ request }) =>
        createContext(server.app.services, await viewerFromToken(server.app.services, owner.accessToken), request),
      logging: false,
    });
    const guarded = createYoga({
      schema: server.app.built.schema,
      context: async ({ request }) =>
        createContext(server.app.services, await viewerFromToken(server.app.services, owner.accessToken), request),
      logging: false,
    });
    const inProcess = async (yoga: typeof bare) => {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const [t] = await timeIt(async () => {
          const res = await yoga.fetch('http://bench/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query }),
          });
          await res.json();
        });
        if (i >= 10) times.push(t);
      }
      return times;
    };
    const withShield = await inProcess(guarded);
    const withoutShield = await inProcess(bare);
    results.devicesFirst100 = {
      sqlStatementsPerRequest: statements,
      httpP50ms: ms(quantile(viaHttp, 0.5)),
      httpP95ms: ms(quantile(viaHttp, 0.95)),
      inProcessWithShieldP50ms: ms(quantile(withShield, 0.5)),
      inProcessWithoutShieldP50ms: ms(quantile(withoutShield, 0.5)),
      shieldOverheadP50ms: ms(quantile(withShield, 0.5) - quantile(withoutShield, 0.5)),
    };

    // 2. recordLocations, 1000-point batches
    const dev = await server.gql(
      `mutation { registerDevice(input: { name: "Ingest bench", kind: PHONE }) { device { id } deviceToken } }`,
      {},
      { token: owner.accessToken },
    );
    const deviceToken = dev.data.registerDevice.deviceToken;
    const batches = 20;
    const start = Date.now() - 3 * 24 * 3600 * 1000;
    const batchTimes: number[] = [];
    for (let b = 0; b < batches; b++) {
      const points = Array.from({ length: 1000 }, (_, i) => ({
        clientId: `b${b}-${i}`,
        recordedAt: new Date(start + (b * 1000 + i) * 1000).toISOString(),
        latitude: 56.9 + (i % 100) / 1000,
        longitude: 24.0 + (b % 100) / 1000,
        accuracy: 5,
        speed: 1.2,
      }));
      const [t, r] = await timeIt(() =>
        server.gql(
          `mutation($i: RecordLocationsInput!) { recordLocations(input: $i) { accepted duplicates } }`,
          { i: { points } },
          { token: deviceToken },
        ),
      );
      if (r.errors || r.data.recordLocations.accepted !== 1000) throw new Error(JSON.stringify(r.errors ?? r.data));
      batchTimes.push(t);
    }
    const total = batchTimes.reduce((a, b) => a + b, 0);
    results.recordLocations = {
      batchSize: 1000,
      batches,
      p50msPerBatch: ms(quantile(batchTimes, 0.5)),
      pointsPerSecond: Math.round((batches * 1000) / (total / 1000)),
    };

    // 3. track over 100,000 points (inserted with SQL directly to keep setup fast)
    const { prisma } = server.app.services;
    const trackDevice = await prisma.device.create({
      data: {
        ownerId: (await prisma.account.findUniqueOrThrow({ where: { email: owner.email } })).id,
        name: 'Track bench',
        kind: 'VEHICLE',
      },
    });
    await prisma.$executeRawUnsafe(
      `INSERT INTO "LocationPoint" ("id","deviceId","clientId","recordedAt","receivedAt","latitude","longitude","source")
       SELECT gen_random_uuid()::text, $1, 'g' || g, $2::timestamp + (g || ' seconds')::interval, now(),
              56.9 + 0.05 * sin(g / 500.0), 24.0 + g / 100000.0, 'GPS'
       FROM generate_series(1, 100000) g`,
      trackDevice.id,
      new Date(Date.now() - 2 * 24 * 3600 * 1000),
    );
    const id = encodeGlobalID('Device', trackDevice.id);
    const from = new Date(Date.now() - 3 * 24 * 3600 * 1000).toISOString();
    const to = new Date().toISOString();
    const track = async (tolerance: number) => {
      const [t, r] = await timeIt(() =>
        server.gql(
          `query($id: ID!, $from: DateTime!, $to: DateTime!, $tol: Float) { device(id: $id) { track(from: $from, to: $to, toleranceMeters: $tol) { pointCount simplifiedPointCount distanceMeters } } }`,
          { id, from, to, tol: tolerance },
          { token: owner.accessToken },
        ),
      );
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return { ms: Math.round(t), ...r.data.device.track, distanceMeters: Math.round(r.data.device.track.distanceMeters) };
    };
    results.track100k = { full: await track(0), simplified10m: await track(10) };

    // 4. protocol routes: OsmAnd one fix per request (sequential, like a phone draining its buffer), Overland batches of 100
    if (server.app.services.plugins.includes('protocols')) {
      const reg = await server.gql(
        `mutation { registerDevice(input: { name: "Protocol bench", kind: PHONE }) { deviceToken } }`,
        {},
        { token: owner.accessToken },
      );
      const token = reg.data.registerDevice.deviceToken as string;
      const osmandRequests = 500;
      const t0 = Date.now() / 1000 - 3600;
      const [osmandMs] = await timeIt(async () => {
        for (let i = 0; i < osmandRequests; i++) {
          const res = await fetch(
            `${server.url}/ingest/osmand?token=${token}&lat=${56.9 + i / 1e5}&lon=24.1&timestamp=${Math.floor(t0 + i)}&speed=3&batt=80`,
          );
          if (res.status !== 200) throw new Error(`osmand ${res.status}`);
        }
      });
      const overlandBatches = 20;
      const [overlandMs] = await timeIt(async () => {
        for (let b = 0; b < overlandBatches; b++) {
          const locations = Array.from({ length: 100 }, (_, i) => ({
            type: 'Feature',
            geometry: { type: 'Point', coordinates: [24.2, 56.9 + (b * 100 + i) / 1e5] },
            properties: {
              timestamp: new Date((t0 + 1000 + b * 100 + i) * 1000).toISOString(),
              speed: 3,
              horizontal_accuracy: 10,
              battery_level: 0.8,
            },
          }));
          const res = await fetch(`${server.url}/ingest/overland`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ locations }),
          });
          if (res.status !== 200) throw new Error(`overland ${res.status}`);
        }
      });
      results.protocolRoutes = {
        osmandGet: {
          requests: osmandRequests,
          msPerRequest: ms(osmandMs / osmandRequests),
          fixesPerSecond: Math.round(osmandRequests / (osmandMs / 1000)),
        },
        overlandBatch100: {
          batches: overlandBatches,
          msPerBatch: ms(overlandMs / overlandBatches),
          fixesPerSecond: Math.round((overlandBatches * 100) / (overlandMs / 1000)),
        },
      };
    }
  } finally {
    await server.stop();
  }
  mkdirSync('test-artifacts', { recursive: true });
  writeFileSync('test-artifacts/bench.json', JSON.stringify(results, null, 2));
  console.log(JSON.stringify(results, null, 2));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
