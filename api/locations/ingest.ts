/**
 * The one ingestion path for location points (recordLocations and the device
 * protocol routes both call it). CONTRACT (implementation in progress):
 * validates each point on its own, stores valid ones with one multi-row
 * insert, is idempotent by (device, clientId, recordedAt) also under concurrent resends,
 * updates device lastSeenAt/lastLocation and the owner's lastActiveAt, and
 * publishes each stored point to live subscribers.
 *
 * How: one SQL statement per call (store-points.ts), no transaction, inserts
 * every valid point with INSERT ... ON CONFLICT ("deviceId","clientId","recordedAt")
 * DO NOTHING and, in the same statement, moves the device's lastLocation and the
 * owner's lastActiveAt. (When an outbox, e.g. a webhook, has something to
 * write for the owner, that statement writes nothing and the same statement
 * runs again in a transaction with the outbox's writes.) When it returns,
 * every acknowledged clientId is committed:
 * ours were inserted, the others already existed (PostgreSQL waits for a
 * concurrent insert of the same key to commit before calling it a conflict).
 */
import { Prisma } from '../../generated/prisma/client';
import type { AppServices } from '../context';
import type { Actor } from '../events';
import type { LivePoint } from '../pubsub';
import { badInput } from '../errors';
import { subtractDuration } from '../util/duration';
import { uuidv7 } from '../util/uuid';
import { derivedClientId, validatePoint } from './validate-point';
import { storePoints, type PointRow, type StoreResult } from './store-points';
import type { IngestPoint } from './point';

export type { IngestPoint } from './point';

export interface RejectedPoint {
  index: number;
  clientId: string | null;
  /** e.g. LATITUDE_OUT_OF_RANGE, RECORDED_IN_FUTURE */
  code: string;
  message: string;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: RejectedPoint[];
  /** clientIds now durably stored (accepted or duplicate). */
  acknowledgedClientIds: string[];
}

export const MAX_POINTS_PER_CALL = 1000;

export async function ingestLocations(app: AppServices, deviceId: string, points: IngestPoint[], actor: Actor): Promise<IngestResult> {
  if (points.length < 1 || points.length > MAX_POINTS_PER_CALL) {
    throw badInput('input.points', `Send 1 to ${MAX_POINTS_PER_CALL} points per call (got ${points.length}).`);
  }
  const now = new Date();
  const oldestAllowed = retentionCutoff(locationRetentionPeriod(app), now);

  const rejected: RejectedPoint[] = [];
  const acknowledged: string[] = [];
  /** First valid point per clientId; later ones in the same call are duplicates. */
  const rows = new Map<string, PointRow>();
  points.forEach((p, index) => {
    const problem = validatePoint(p, now, oldestAllowed);
    if (problem) {
      rejected.push({ index, clientId: p.clientId ?? null, ...problem });
      return;
    }
    const clientId = p.clientId ?? derivedClientId(p);
    if (rows.has(clientId)) return;
    acknowledged.push(clientId);
    rows.set(clientId, {
      id: uuidv7(now.getTime()),
      clientId,
      recordedAt: p.recordedAt,
      receivedAt: now,
      latitude: p.latitude,
      longitude: p.longitude,
      accuracy: p.accuracy ?? null,
      altitude: p.altitude ?? null,
      speed: p.speed ?? null,
      heading: p.heading ?? null,
      battery: p.battery ?? null,
      source: p.source ?? 'UNKNOWN',
    });
  });
  const validCount = points.length - rejected.length;
  if (rows.size === 0) return { accepted: 0, duplicates: validCount, rejected, acknowledgedClientIds: acknowledged };

  const list = [...rows.values()];
  const inserted = (stored: StoreResult) => list.filter((r) => stored.insertedIds.has(r.id));
  // One statement, no transaction, unless an outbox (e.g. a webhook) has something to write for the owner: then the
  // statement writes nothing and the points and the outbox rows commit together in a transaction, or not at all.
  const { outboxes, hold } = outboxHold(app);
  let stored = await storePoints(app.prisma, deviceId, list, now, hold);
  if (stored.held) {
    stored = await app.prisma.$transaction(async (tx) => {
      const inTx = await storePoints(tx, deviceId, list, now);
      const points = inserted(inTx);
      if (points.length) for (const outbox of outboxes) await outbox.write(tx, { deviceId, ownerId: inTx.ownerId, points });
      return inTx;
    });
  }
  const insertedRows = inserted(stored);
  if (insertedRows.length) {
    await app.events.emit(
      'location.recorded',
      { deviceId, ownerId: stored.ownerId, pointIds: insertedRows.map((r) => r.id), count: insertedRows.length },
      { actor },
    );
  }

  if (stored.ownerBecameActive) {
    await app.events.emit('account.active', { accountId: stored.ownerId, at: now }, { actor });
  }
  if (insertedRows.length) {
    for (const r of insertedRows.sort((a, b) => a.recordedAt.getTime() - b.recordedAt.getTime())) {
      app.pubsub.publish('location:device', deviceId, livePoint(deviceId, stored.ownerId, r));
    }
  }
  return {
    accepted: insertedRows.length,
    duplicates: validCount - insertedRows.length,
    rejected,
    acknowledgedClientIds: acknowledged,
  };
}

/** The hold of the one-statement store: any outbox's condition on the owner (null without outboxes). */
function outboxHold(app: AppServices) {
  const outboxes = app.extensions.locationOutboxes;
  const hold = outboxes.length
    ? (owner: Prisma.Sql) =>
        Prisma.join(
          outboxes.map((o) => Prisma.sql`(${o.sqlCondition(owner)})`),
          ' OR ',
        )
    : null;
  return { outboxes, hold };
}

const DAY_MS = 86_400_000;
let cutoffOfDay: { period: string; day: number; cutoff: number } | null = null;

/**
 * now minus the retention period. Calendar arithmetic in UTC keeps the time of day, so the cutoff of the day's start
 * plus the time since is the same: luxon runs once a day (per period), not on every call.
 */
function retentionCutoff(period: string, now: Date): Date {
  const day = now.getTime() - (now.getTime() % DAY_MS);
  if (cutoffOfDay?.period !== period || cutoffOfDay.day !== day) {
    cutoffOfDay = { period, day, cutoff: subtractDuration(new Date(day), period).getTime() };
  }
  return new Date(cutoffOfDay.cutoff + (now.getTime() - day));
}

/** How long location points are kept (env RETENTION_LOCATION_POINTS, ISO-8601, default 90 days). */
export function locationRetentionPeriod(app: Pick<AppServices, 'config'>): string {
  return app.config.locationRetention;
}

function livePoint(deviceId: string, ownerId: string, r: PointRow): LivePoint {
  return {
    id: r.id,
    deviceId,
    ownerId,
    recordedAt: r.recordedAt.toISOString(),
    receivedAt: r.receivedAt.toISOString(),
    latitude: r.latitude,
    longitude: r.longitude,
    accuracy: r.accuracy,
    altitude: r.altitude,
    speed: r.speed,
    heading: r.heading,
    battery: r.battery,
    source: r.source,
  };
}
