/**
 * The floor of the comparison: the same reads and writes as our API, as
 * hand-written SQL through node-postgres behind a bare node:http server (no
 * GraphQL, no tokens: the account or device is a header). One statement per
 * request where the partitioned layout allows it (the device list needs two);
 * JSON answers shaped like the GraphQL ones.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';

export interface RawServer {
  url: string;
  stop(): Promise<void>;
}

// Points are partitioned by day: the best hand-written read bounds recordedAt, as ours does (api/locations/history.ts):
// the last 3 days first, the rest only when they held less than a page. Unbounded, PostgreSQL would plan all ~95
// partitions for every request (3 ms of planning for 0.4 ms of work).
const HISTORY = `SELECT p.id, p."recordedAt", p.latitude, p.longitude, p.accuracy, p.speed
  FROM "LocationPoint" p JOIN "Device" d ON d.id = p."deviceId" AND d."ownerId" = $2
  WHERE p."deviceId" = $1 AND p."recordedAt" >= $3 ORDER BY p."recordedAt" DESC, p.id DESC LIMIT $4`;
const HISTORY_REST = `SELECT p.id, p."recordedAt", p.latitude, p.longitude, p.accuracy, p.speed
  FROM "LocationPoint" p JOIN "Device" d ON d.id = p."deviceId" AND d."ownerId" = $2
  WHERE p."deviceId" = $1 AND p."recordedAt" < $3 ORDER BY p."recordedAt" DESC, p.id DESC LIMIT $4`;

// The last locations by their keys in a second statement (a join on the pair would be planned over every partition).
const DEVICES = `SELECT d.id, d.name, d."lastLocationId", d."lastLocationRecordedAt", a."givenName", a."familyName", count(*) OVER () AS total
  FROM "Device" d JOIN "Account" a ON a.id = d."ownerId"
  WHERE d."ownerId" = $1 ORDER BY d."createdAt" DESC, d.id DESC LIMIT 100`;
const LAST_LOCATIONS = `SELECT id, latitude, longitude FROM "LocationPoint" WHERE id = ANY($1::text[]) AND "recordedAt" IN `;

const TRACK = `SELECT latitude, longitude, "recordedAt" FROM "LocationPoint"
  WHERE "deviceId" = $1 AND "recordedAt" >= $2 AND "recordedAt" <= $3 ORDER BY "recordedAt", id`;

interface Point {
  clientId: string;
  recordedAt: string;
  latitude: number;
  longitude: number;
  accuracy?: number;
  speed?: number;
  battery?: number;
}

/** One multi-row INSERT (duplicates skipped) that also moves the device's last location, in one statement. */
function insertSql(count: number): string {
  const rows = Array.from({ length: count }, (_, i) => {
    const b = i * 7 + 2;
    return `(gen_random_uuid()::text, $1, $${b}, $${b + 1}::timestamptz, $${b + 2}::float8, $${b + 3}::float8, $${b + 4}::float8, $${b + 5}::float8, $${b + 6}::float8, 'GPS'::"LocationSource")`;
  });
  return `WITH ins AS (
      INSERT INTO "LocationPoint" (id, "deviceId", "clientId", "recordedAt", latitude, longitude, accuracy, speed, battery, source)
      VALUES ${rows.join(', ')} ON CONFLICT ("deviceId", "clientId", "recordedAt") DO NOTHING RETURNING id, "recordedAt")
    UPDATE "Device" SET ("lastLocationId", "lastLocationRecordedAt") = (SELECT id, "recordedAt" FROM ins ORDER BY "recordedAt" DESC LIMIT 1),
      "lastSeenAt" = now()
    WHERE id = $1 AND EXISTS (SELECT 1 FROM ins) RETURNING (SELECT count(*) FROM ins) AS accepted`;
}

const R = 6371008.8;
const rad = (d: number) => (d * Math.PI) / 180;
function haversine(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }) {
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
}

async function handle(db: pg.Pool, req: IncomingMessage, res: ServerResponse) {
  const path = (req.url ?? '/').split('?')[0];
  const body = await readJson(req);
  const header = (name: string) => String(req.headers[name] ?? '');
  let answer: unknown;
  if (path === '/history') {
    const edge = new Date(Date.now() - 3 * 86_400_000);
    const near = (await db.query(HISTORY, [body.deviceId, header('x-account'), edge, 101])).rows;
    const r = {
      rows:
        near.length >= 101
          ? near
          : [...near, ...(await db.query(HISTORY_REST, [body.deviceId, header('x-account'), edge, 101 - near.length])).rows],
    };
    const rows = r.rows.slice(0, 100);
    answer = { data: { locations: { nodes: rows, hasNextPage: r.rows.length > 100, endCursor: rows.at(-1)?.id ?? null } } };
  } else if (path === '/devices') {
    const r = await db.query(DEVICES, [header('x-account')]);
    const keyed = r.rows.filter((d) => d.lastLocationId);
    const points = new Map<string, { latitude: number; longitude: number }>();
    if (keyed.length) {
      // recordedAt values as a literal list of parameters, so that PostgreSQL prunes partitions while planning.
      const at = keyed.map((_, i) => `$${i + 2}`).join(', ');
      const found = await db.query(`${LAST_LOCATIONS}(${at})`, [
        keyed.map((d) => d.lastLocationId),
        ...keyed.map((d) => d.lastLocationRecordedAt),
      ]);
      for (const p of found.rows) points.set(p.id, p);
    }
    for (const d of r.rows) Object.assign(d, points.get(d.lastLocationId) ?? { latitude: null, longitude: null });
    answer = {
      data: {
        devices: {
          totalCount: Number(r.rows[0]?.total ?? 0),
          nodes: r.rows.map((d) => ({
            id: d.id,
            name: d.name,
            lastLocation: d.latitude === null ? null : { latitude: d.latitude, longitude: d.longitude },
            owner: { displayName: `${d.givenName} ${d.familyName}` },
          })),
        },
      },
    };
  } else if (path === '/record') {
    const points = body.points as Point[];
    const params: unknown[] = [header('x-device')];
    for (const p of points)
      params.push(p.clientId, p.recordedAt, p.latitude, p.longitude, p.accuracy ?? null, p.speed ?? null, p.battery ?? null);
    const r = await db.query(insertSql(points.length), params);
    answer = { data: { recordLocations: { accepted: Number(r.rows[0]?.accepted ?? 0) } } };
  } else if (path === '/track') {
    const r = await db.query<{ latitude: number; longitude: number }>(TRACK, [body.deviceId, body.from, body.to]);
    let distance = 0;
    for (let i = 1; i < r.rows.length; i++) distance += haversine(r.rows[i - 1], r.rows[i]);
    answer = { data: { track: { pointCount: r.rows.length, distanceMeters: distance } } };
  } else {
    res.writeHead(404).end();
    return;
  }
  const text = JSON.stringify(answer);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

export async function startRawServer(db: pg.Pool): Promise<RawServer> {
  const server = createServer((req, res) => {
    handle(db, req, res).catch((e: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: String(e) }] }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
