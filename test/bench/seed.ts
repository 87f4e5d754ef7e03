/**
 * Bench data, written with plain SQL into our Prisma tables (the API would
 * take minutes for a million points): an account with 100 devices that each
 * have a last location (the device list), and an account with one device of
 * HISTORY_POINTS points (the history page), one of TRACK_POINTS points in
 * the last two days (Device.track), ingestion devices and a fan-out device.
 */
import type pg from 'pg';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { signUp, type SignedIn, type TestServer } from '../helpers/server';
import { ensurePartitions } from '../../api/locations/partitions';

export interface BenchDevice {
  rawId: string;
  id: string;
  token: string;
}

export interface BenchData {
  fleetOwner: SignedIn & { rawId: string };
  owner: SignedIn & { rawId: string };
  history: BenchDevice;
  track: BenchDevice;
  ingest: BenchDevice[];
  fanout: BenchDevice;
}

async function accountId(db: pg.Pool, email: string): Promise<string> {
  const r = await db.query<{ id: string }>(`SELECT id FROM "Account" WHERE email = $1`, [email]);
  return r.rows[0].id;
}

async function device(server: TestServer, db: pg.Pool, ownerId: string, name: string): Promise<BenchDevice> {
  const r = await db.query<{ id: string; tokenVersion: number }>(
    `INSERT INTO "Device" (id, "ownerId", name, kind) VALUES (gen_random_uuid()::text, $1, $2, 'TRACKER') RETURNING id, "tokenVersion"`,
    [ownerId, name],
  );
  const { id, tokenVersion } = r.rows[0];
  const token = await server.app.services.tokens.signDeviceToken({ deviceId: id, tokenVersion });
  return { rawId: id, id: encodeGlobalID('Device', id), token };
}

/** `count` points for a device, one per second ending now, in one statement; the newest becomes its last location. */
async function points(db: pg.Pool, deviceId: string, count: number) {
  await db.query(
    `INSERT INTO "LocationPoint" (id, "deviceId", "clientId", "recordedAt", "receivedAt", latitude, longitude, accuracy, speed, source)
     SELECT gen_random_uuid()::text, $1, 'g' || g, now() - ($2 - g) * interval '1 second', now(),
            56.9 + 0.05 * sin(g / 500.0), 24.0 + g / 100000.0, 5, 1.2, 'GPS'
     FROM generate_series(1, $2::int) g`,
    [deviceId, count],
  );
  await db.query(
    `UPDATE "Device" SET ("lastLocationId", "lastLocationRecordedAt") =
              (SELECT id, "recordedAt" FROM "LocationPoint" WHERE "deviceId" = $1 ORDER BY "recordedAt" DESC LIMIT 1),
            "lastSeenAt" = now() WHERE id = $1`,
    [deviceId],
  );
}

export async function seed(server: TestServer, db: pg.Pool, sizes: { historyPoints: number; trackPoints: number }): Promise<BenchData> {
  // Every day of the retention period has its partition, as in production once it has run for 90 days (and the days
  // the points below cover, else they would sit in DEFAULT): reads are measured against the steady-state layout.
  const span = Math.max(sizes.historyPoints, sizes.trackPoints, 92 * 86_400) * 1000;
  await ensurePartitions(server.app.services.prisma, new Date(Date.now() - span), new Date());
  const fleet = await signUp(server, { givenName: 'Fleet', familyName: 'Owner' });
  const fleetId = await accountId(db, fleet.email);
  await db.query(
    `INSERT INTO "Device" (id, "ownerId", name, kind, "createdAt")
     SELECT gen_random_uuid()::text, $1, 'Fleet ' || g, 'TRACKER', now() - g * interval '1 second' FROM generate_series(1, 100) g`,
    [fleetId],
  );
  await db.query(
    `INSERT INTO "LocationPoint" (id, "deviceId", "clientId", "recordedAt", latitude, longitude, source)
     SELECT gen_random_uuid()::text, d.id, 'seed', now(), 56.95, 24.1, 'GPS' FROM "Device" d WHERE d."ownerId" = $1`,
    [fleetId],
  );
  await db.query(
    `UPDATE "Device" d SET "lastLocationId" = p.id, "lastLocationRecordedAt" = p."recordedAt", "lastSeenAt" = now() FROM "LocationPoint" p WHERE p."deviceId" = d.id AND d."ownerId" = $1`,
    [fleetId],
  );

  const owner = await signUp(server, { givenName: 'History', familyName: 'Owner' });
  const ownerId = await accountId(db, owner.email);
  const history = await device(server, db, ownerId, 'History device');
  await points(db, history.rawId, sizes.historyPoints);
  const track = await device(server, db, ownerId, 'Track device');
  await points(db, track.rawId, sizes.trackPoints);
  const ingest: BenchDevice[] = [];
  for (let i = 0; i < 8; i++) ingest.push(await device(server, db, ownerId, `Ingest ${i}`));
  const fanout = await device(server, db, ownerId, 'Fan-out device');
  await db.query(`ANALYZE`);
  return { fleetOwner: { ...fleet, rawId: fleetId }, owner: { ...owner, rawId: ownerId }, history, track, ingest, fanout };
}
