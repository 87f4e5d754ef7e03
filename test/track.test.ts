import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, signUp, type TestServer, type SignedIn } from './helpers/server';
import { registerDevice, RECORD } from './helpers/devices';
import { EARTH_RADIUS_M, haversineMeters, routeLengthMeters, simplify } from '../api/locations/geometry';
import { validatePoint } from '../api/locations/validate-point';

/** One degree along a meridian with the IUGG mean radius: 2πR/360. */
const ONE_DEGREE_M = (2 * Math.PI * EARTH_RADIUS_M) / 360;

describe('geometry', () => {
  it('haversine: one degree of latitude along a meridian is 111,195 m', () => {
    expect(ONE_DEGREE_M).toBeCloseTo(111_195.08, 1);
    expect(haversineMeters(56, 24, 57, 24)).toBeCloseTo(ONE_DEGREE_M, 3);
    expect(haversineMeters(0, 0, 0, 1)).toBeCloseTo(ONE_DEGREE_M, 3);
    // Riga (Old Town) to Tallinn (Old Town): about 280 km as the crow flies.
    expect(haversineMeters(56.9496, 24.1052, 59.437, 24.7536) / 1000).toBeCloseTo(279.2, 0);
    expect(haversineMeters(10, 10, 10, 10)).toBe(0);
  });

  it('route length sums every leg', () => {
    const lat = [56, 56.5, 57, 56.5];
    const lon = [24, 24, 24, 24];
    expect(routeLengthMeters(lat, lon)).toBeCloseTo(1.5 * ONE_DEGREE_M, 3);
  });

  it('Douglas-Peucker keeps corners and drops points within the tolerance', () => {
    // East along a parallel, then north: an L with 11 points per leg.
    const lat: number[] = [];
    const lon: number[] = [];
    for (let i = 0; i <= 10; i++) {
      lat.push(56);
      lon.push(24 + i * 0.001);
    }
    for (let i = 1; i <= 10; i++) {
      lat.push(56 + i * 0.001);
      lon.push(24.01);
    }
    // A 33 m bump (0.0003 degrees of latitude) in the middle of the first leg.
    lat[5] += 0.0003;
    expect(simplify(lat, lon, 0)).toHaveLength(21);
    expect(simplify(lat, lon, 10)).toEqual([0, 4, 5, 6, 10, 20]);
    expect(simplify(lat, lon, 50)).toEqual([0, 10, 20]);
    expect(simplify(lat, lon, 1e9)).toEqual([0, 20]);
  });

  it('Douglas-Peucker: every dropped point of a random walk lies within the tolerance of the kept route', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const n = 5000;
    const lat = [56.95];
    const lon = [24.1];
    for (let i = 1; i < n; i++) {
      lat.push(lat[i - 1] + (random() - 0.5) * 2e-4);
      lon.push(lon[i - 1] + (random() - 0.4) * 2e-4);
    }
    const tolerance = 15;
    const kept = simplify(lat, lon, tolerance);
    expect(kept.length).toBeGreaterThan(2);
    expect(kept.length).toBeLessThan(n / 3);
    // Independent check in a local metric projection: distance to the kept segment around each dropped point.
    const ky = (Math.PI / 180) * EARTH_RADIUS_M;
    const kx = ky * Math.cos((56.95 * Math.PI) / 180);
    const xy = (i: number) => [lon[i] * kx, lat[i] * ky];
    let worst = 0;
    for (let k = 0; k + 1 < kept.length; k++) {
      const [ax, ay] = xy(kept[k]);
      const [bx, by] = xy(kept[k + 1]);
      for (let i = kept[k] + 1; i < kept[k + 1]; i++) {
        const [px, py] = xy(i);
        const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
        worst = Math.max(worst, Math.hypot(ax + t * (bx - ax) - px, ay + t * (by - ay) - py));
      }
    }
    expect(worst).toBeGreaterThan(tolerance / 3);
    expect(worst).toBeLessThanOrEqual(tolerance * 1.01);
  });

  it('ingestion validation rejects non-finite numbers (protocol routes can send them)', () => {
    const now = new Date();
    const p = { recordedAt: now, latitude: Number.NaN, longitude: 24 };
    expect(validatePoint(p, now, new Date(0))?.code).toBe('NOT_A_FINITE_NUMBER');
    expect(validatePoint({ ...p, latitude: 56, speed: Number.POSITIVE_INFINITY }, now, new Date(0))?.code).toBe('NOT_A_FINITE_NUMBER');
    expect(validatePoint({ ...p, latitude: 56 }, now, new Date(0))).toBeNull();
  });
});

describe('Device.track over HTTP', () => {
  let server: TestServer;
  let owner: SignedIn;
  beforeAll(async () => {
    server = await startTestServer({ plugins: [] });
    owner = await signUp(server);
  });
  afterAll(() => server?.stop());

  const TRACK = `query($id: ID!, $from: DateTime!, $to: DateTime!, $tol: Float) {
    device(id: $id) { track(from: $from, to: $to, toleranceMeters: $tol) { deviceId from to pointCount simplifiedPointCount distanceMeters geojson } }
  }`;

  it('returns the route as a GeoJSON LineString with times, its haversine length, and a simplified shape', async () => {
    const d = await registerDevice(server, owner);
    const start = Date.now() - 60 * 60_000;
    // North along the 24th meridian, 0.1 degree per minute, with one stop off the line.
    const points = Array.from({ length: 11 }, (_, i) => ({
      clientId: `m${i}`,
      recordedAt: new Date(start + i * 60_000).toISOString(),
      latitude: 56 + i * 0.1,
      longitude: 24,
    }));
    await server.gql(RECORD, { input: { points } }, { token: d.token });
    const vars = { id: d.id, from: new Date(start).toISOString(), to: new Date(start + 10 * 60_000).toISOString() };

    const full = await server.gql(TRACK, { ...vars, tol: 0 }, { token: owner.accessToken });
    expect(full.errors).toBeUndefined();
    const t = full.data.device.track;
    expect(t).toMatchObject({ deviceId: d.id, pointCount: 11, simplifiedPointCount: 11 });
    expect(t.distanceMeters).toBeCloseTo(ONE_DEGREE_M, 1);
    expect(t.geojson.type).toBe('Feature');
    expect(t.geojson.geometry.type).toBe('LineString');
    expect(t.geojson.geometry.coordinates[0]).toEqual([24, 56]);
    expect(t.geojson.geometry.coordinates[10][1]).toBeCloseTo(57, 9);
    expect(t.geojson.properties.times).toHaveLength(11);
    expect(t.geojson.properties.times[0]).toBe(new Date(start).toISOString());

    const simple = await server.gql(TRACK, { ...vars, tol: 5 }, { token: owner.accessToken });
    expect(simple.data.device.track).toMatchObject({ pointCount: 11, simplifiedPointCount: 2 });
    // The distance is always that of the full route.
    expect(simple.data.device.track.distanceMeters).toBeCloseTo(ONE_DEGREE_M, 1);

    const narrow = await server.gql(TRACK, { ...vars, from: points[2].recordedAt, to: points[4].recordedAt }, { token: owner.accessToken });
    expect(narrow.data.device.track.pointCount).toBe(3);
    expect(narrow.data.device.track.distanceMeters).toBeCloseTo(ONE_DEGREE_M / 5, 1);

    const bad = await server.gql(TRACK, { ...vars, tol: -1 }, { token: owner.accessToken });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'toleranceMeters' });
  });

  it('handles 100,000 points in one call', async () => {
    const d = await registerDevice(server, owner);
    const start = Date.now() - 2 * 24 * 3600_000;
    // 100k fixes one second apart, north along a meridian over exactly one degree.
    // Inserted in chunks: PGlite runs on this thread, and one long statement
    // would stall the event loop past the HTTP keep-alive timeout.
    for (let from = 0; from < 100_000; from += 10_000) {
      await server.app.services.prisma.$executeRaw`
        INSERT INTO "LocationPoint" ("id", "deviceId", "clientId", "recordedAt", "latitude", "longitude")
        SELECT gen_random_uuid()::text, ${d.rawId}, 'bulk-' || i,
               ${new Date(start).toISOString()}::timestamp(3) + i * interval '1 second', 56 + i / 99999.0, 24
        FROM generate_series(${from}::int, ${from + 9_999}::int) AS i`;
    }
    // The inserts kept this thread busy past the server's keep-alive timeout:
    // let the client find out its pooled connection was closed (idempotent
    // GETs are retried), so the POST below goes out on a fresh one.
    for (let i = 0; i < 2; i++) await fetch(`${server.url}/health`).catch(() => undefined);
    const vars = { id: d.id, from: new Date(start).toISOString(), to: new Date(start + 100_000_000).toISOString(), tol: 1 };
    const r = await server.gql(TRACK, vars, { token: owner.accessToken });
    expect(r.errors).toBeUndefined();
    expect(r.data.device.track).toMatchObject({ pointCount: 100_000, simplifiedPointCount: 2 });
    expect(r.data.device.track.distanceMeters).toBeCloseTo(ONE_DEGREE_M, 0);
    expect(r.data.device.track.geojson.properties.times).toEqual([
      new Date(start).toISOString(),
      new Date(start + 99_999_000).toISOString(),
    ]);
  }, 120_000);
});
