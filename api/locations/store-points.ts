/**
 * The one SQL statement behind an ingestion call. Data-modifying CTEs make it
 * atomic without an explicit transaction:
 *   1. INSERT of the points from one array per column (unnest), skipping
 *      (deviceId, clientId, recordedAt) that exist (the idempotency key holds
 *      the partition key: LocationPoint is partitioned by recordedAt, and a
 *      resend of a fix carries the recordedAt it was first sent with);
 *   2. the device's lastSeenAt, and its last location (lastLocationId,
 *      lastLocationRecordedAt) when the newest inserted point is newer
 *      (recordedAt, then id) than the current one, compared on Device alone;
 *   3. the owner's lastActiveAt (at most every 10 minutes, as on sign-in).
 * `hold` (optional, a condition on the device owner's id): when it holds,
 * nothing is written and the result says `held` (the caller then stores the
 * points in a transaction, with the writes that must commit with them).
 * Timestamps are bound as ISO strings and cast to timestamp(3): a zone in a
 * literal is ignored for `timestamp without time zone`, so the UTC wall time
 * is stored, as Prisma itself does.
 */
import { Prisma, type PrismaClient } from '../../generated/prisma/client';
import { notFound } from '../errors';
import { PREPARED } from '../db/adapters';

export interface PointRow {
  id: string;
  clientId: string;
  recordedAt: Date;
  receivedAt: Date;
  latitude: number;
  longitude: number;
  accuracy: number | null;
  altitude: number | null;
  speed: number | null;
  heading: number | null;
  battery: number | null;
  source: string;
}

export interface StoreResult {
  /** Ids of the rows this call inserted (the rest were duplicates). */
  insertedIds: Set<string>;
  ownerId: string;
  /** lastActiveAt moved (it was older than the activity resolution). */
  ownerBecameActive: boolean;
  /** `hold` held: nothing was written. */
  held: boolean;
}

const ACTIVITY_RESOLUTION_MS = 10 * 60 * 1000;

const ts = (d: Date) => Prisma.sql`${d.toISOString()}::timestamp(3)`;

export async function storePoints(
  prisma: PrismaClient | Prisma.TransactionClient,
  deviceId: string,
  rows: PointRow[],
  now: Date,
  hold: ((ownerId: Prisma.Sql) => Prisma.Sql) | null = null,
): Promise<StoreResult> {
  // One statement shape whatever the batch size: an array per column, unnested (a 500-row VALUES template cost more to
  // build and to plan than the insert itself).
  const column = <K extends keyof PointRow>(k: K) => rows.map((r) => r[k]);
  const timestamps = (k: 'recordedAt' | 'receivedAt') => rows.map((r) => r[k].toISOString());
  const values = Prisma.sql`SELECT u."id", ${deviceId}, u."clientId", u."recordedAt", u."receivedAt", u."latitude", u."longitude",
          u."accuracy", u."altitude", u."speed", u."heading", u."battery", u."source"::"LocationSource"
        FROM unnest(${column('id')}::text[], ${column('clientId')}::text[], ${timestamps('recordedAt')}::timestamp(3)[],
          ${timestamps('receivedAt')}::timestamp(3)[], ${column('latitude')}::double precision[], ${column('longitude')}::double precision[],
          ${column('accuracy')}::double precision[], ${column('altitude')}::double precision[], ${column('speed')}::double precision[],
          ${column('heading')}::double precision[], ${column('battery')}::double precision[], ${column('source')}::text[])
          AS u("id", "clientId", "recordedAt", "receivedAt", "latitude", "longitude", "accuracy", "altitude", "speed", "heading", "battery", "source")`;
  const activeBefore = new Date(now.getTime() - ACTIVITY_RESOLUTION_MS);
  // The hold: one row when its condition holds for the device's owner (then the INSERT and UPDATEs below write nothing).
  const holdCondition = hold ? hold(Prisma.sql`hd."ownerId"`) : Prisma.sql`false`;
  const held = Prisma.sql`EXISTS (SELECT 1 FROM hold)`;
  let result: { kind: string; value: string }[];
  try {
    // One text for every call (see PREPARED): PostgreSQL plans it once per connection.
    result = await prisma.$queryRaw<{ kind: string; value: string }[]>`${Prisma.raw(PREPARED)}
      WITH hold AS (
        SELECT 1 FROM "Device" hd WHERE hd."id" = ${deviceId} AND (${holdCondition})
      ),
      ins AS (
        INSERT INTO "LocationPoint"
          ("id", "deviceId", "clientId", "recordedAt", "receivedAt", "latitude", "longitude", "accuracy", "altitude", "speed", "heading", "battery", "source")
        ${values}
        WHERE NOT ${held}
        ON CONFLICT ("deviceId", "clientId", "recordedAt") DO NOTHING
        RETURNING "id", "recordedAt"
      ),
      newest AS (
        SELECT "id", "recordedAt" FROM ins ORDER BY "recordedAt" DESC, "id" DESC LIMIT 1
      ),
      dev AS (
        UPDATE "Device" d SET
          "lastSeenAt" = ${ts(now)},
          ("lastLocationId", "lastLocationRecordedAt") = (
            SELECT COALESCE(n."id", d."lastLocationId"), COALESCE(n."recordedAt", d."lastLocationRecordedAt")
            FROM (SELECT 1) one LEFT JOIN newest n
              ON d."lastLocationId" IS NULL OR (n."recordedAt", n."id") > (d."lastLocationRecordedAt", d."lastLocationId")
          )
        WHERE d."id" = ${deviceId} AND NOT ${held}
        RETURNING d."ownerId"
      ),
      acc AS (
        UPDATE "Account" a SET "lastActiveAt" = ${ts(now)}
        FROM dev WHERE a."id" = dev."ownerId" AND a."lastActiveAt" < ${ts(activeBefore)}
        RETURNING a."id"
      )
      SELECT 'inserted' AS "kind", "id" AS "value" FROM ins
      UNION ALL SELECT 'owner', "ownerId" FROM dev
      UNION ALL SELECT 'active', "id" FROM acc
      UNION ALL SELECT 'held', '' FROM hold`;
  } catch (e) {
    // The device went away between authorization and insert (foreign key).
    if (/foreign key|23503/i.test(String((e as Error)?.message ?? e))) throw notFound('Device');
    throw e;
  }
  if (result.some((r) => r.kind === 'held')) return { insertedIds: new Set(), ownerId: '', ownerBecameActive: false, held: true };
  const ownerId = result.find((r) => r.kind === 'owner')?.value;
  if (!ownerId) throw notFound('Device');
  return {
    held: false,
    insertedIds: new Set(result.filter((r) => r.kind === 'inserted').map((r) => r.value)),
    ownerId,
    ownerBecameActive: result.some((r) => r.kind === 'active'),
  };
}
