/**
 * Location points by key. LocationPoint is partitioned by recordedAt (daily)
 * and keyed by (id, recordedAt): a query that gives no recordedAt bound is
 * planned over every partition (about 3 ms at 90 days' retention, more than
 * it takes to run) and a lookup by id alone probes every partition's index.
 * Fine for node(id); lists load by the full key (pointByKey) or in time
 * windows (history.ts).
 */
import type { LocationPoint } from '../../generated/prisma/client';
import type { Context, Db } from '../context';
import { POINT_COLUMNS, pointFromRow } from './point-rows';
import { TEXTS, TIMES } from '../db/arg-types';

export function locationPointKey(db: Db, id: string): Promise<{ id: string; deviceId: string; recordedAt: Date } | null> {
  return db.locationPoint.findFirst({ where: { id }, select: { id: true, deviceId: true, recordedAt: true } });
}

export interface PointKey {
  id: string;
  recordedAt: Date;
}

/**
 * Points by their full key, batched per request into one statement whose
 * recordedAt values let PostgreSQL plan only the partitions that hold them
 * (Device.lastLocation of a whole page: a join on the pair would be planned
 * over every partition, about 3 ms at 90 daily partitions).
 */
export function pointByKey(ctx: Context, key: PointKey): Promise<LocationPoint | null> {
  return ctx
    .loader<PointKey, LocationPoint | null>(
      'locationPoint.byKey',
      async (keys) => {
        // Two lists rather than pairs: ids are unique, so the pairs are picked out below; the recordedAt list is what
        // lets PostgreSQL skip other days. Read past Prisma's engine (point-rows.ts): a device list asks for 100s.
        const { rows } = await ctx.app.db.queryRows({
          sql: `SELECT ${POINT_COLUMNS} FROM "LocationPoint" WHERE "id" = ANY($1) AND "recordedAt" = ANY($2)`,
          args: [keys.map((k) => k.id), keys.map((k) => k.recordedAt)],
          argTypes: [TEXTS, TIMES],
        });
        const found = new Map(rows.map(pointFromRow).map((r) => [keyText(r), r]));
        return keys.map((k) => found.get(keyText(k)) ?? null);
      },
      keyText,
    )
    .load(key);
}

const keyText = (k: PointKey) => `${k.id}@${k.recordedAt.getTime()}`;
