/**
 * The partitions of LocationPoint (range-partitioned by recordedAt since the
 * migration partition_location_points; the same layout on PostgreSQL and
 * PGlite). One partition per UTC day, named LocationPoint_pYYYYMMDD, holds
 * [day 00:00, next day 00:00) in the stored UTC wall time; LocationPoint_default
 * takes everything else (old imports, far-future stamps), so an insert never
 * fails for want of a partition.
 *
 * - maintainLocationPartitions (at start and as the core job
 *   `core.location-partitions`): today's partition and the next DAYS_AHEAD.
 * - ensurePartitions: any day range; a day whose rows already sit in DEFAULT
 *   gets them moved into its new partition in the same transaction.
 * - dropPartition: the retention purge of a whole expired day (see
 *   plugins/retention/categories.ts): devices' last locations in it are
 *   set null (as the foreign key's ON DELETE SET NULL does), it is detached,
 *   rows of held accounts are copied back (they land in DEFAULT), and it is dropped.
 */
import type { Db } from '../context';
import type { PrismaClient } from '../../generated/prisma/client';

export const PARENT = 'LocationPoint';
export const DEFAULT_PARTITION = 'LocationPoint_default';
export const DAYS_AHEAD = 3;
const DAY_MS = 86_400_000;

export interface Partition {
  name: string;
  /** Inclusive start and exclusive end of the range (UTC). */
  from: Date;
  to: Date;
}

/** 00:00 UTC of the day `d` falls in. */
export function utcDay(d: Date): Date {
  return new Date(Math.floor(d.getTime() / DAY_MS) * DAY_MS);
}

export function partitionName(day: Date): string {
  return `${PARENT}_p${utcDay(day).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** A timestamp literal in the stored form (timestamp(3) without time zone, UTC wall time). */
const literal = (d: Date) => `'${d.toISOString().slice(0, 23).replace('T', ' ')}'`;
const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const fromStored = (s: string) => new Date(`${s.replace(' ', 'T')}Z`);

/** Whether LocationPoint is a partitioned table (it is after the migration; false would mean a database older than it). */
export async function isPartitioned(db: Db): Promise<boolean> {
  const rows = await db.$queryRawUnsafe<{ kind: string }[]>(
    `SELECT c.relkind::text AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relname = $1 AND n.nspname = current_schema()`,
    PARENT,
  );
  return rows[0]?.kind === 'p';
}

/** The range partitions (not DEFAULT), oldest first. */
export async function listPartitions(db: Db): Promise<Partition[]> {
  const rows = await db.$queryRawUnsafe<{ name: string; bound: string }[]>(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = (SELECT oid FROM pg_class WHERE relname = $1 AND relnamespace = current_schema()::regnamespace)`,
    PARENT,
  );
  const out: Partition[] = [];
  for (const r of rows) {
    const m = /FROM \('([^']+)'\) TO \('([^']+)'\)/.exec(r.bound);
    if (m) out.push({ name: r.name, from: fromStored(m[1]), to: fromStored(m[2]) });
  }
  return out.sort((a, b) => a.from.getTime() - b.from.getTime());
}

/** Partitions whose whole range is older than the cutoff. */
export async function expiredPartitions(db: Db, cutoff: Date): Promise<Partition[]> {
  return (await listPartitions(db)).filter((p) => p.to.getTime() <= cutoff.getTime());
}

/**
 * Creates the daily partitions of [from, to] (whole UTC days) that do not
 * exist; returns their names. Each is its own transaction. Several instances
 * may run this at once: a transaction-level advisory lock serializes them.
 */
export async function ensurePartitions(prisma: PrismaClient, from: Date, to: Date): Promise<string[]> {
  if (!(await isPartitioned(prisma))) return [];
  const created: string[] = [];
  for (let day = utcDay(from); day.getTime() <= to.getTime(); day = new Date(day.getTime() + DAY_MS)) {
    const next = new Date(day.getTime() + DAY_MS);
    const name = partitionName(day);
    const done = await prisma.$transaction(
      async (tx) => {
        await tx.$queryRawUnsafe(`SELECT 1 AS ok FROM pg_advisory_xact_lock(hashtext($1))`, `${PARENT}:partitions`);
        const existing = await listPartitions(tx);
        if (existing.some((p) => p.from < next && p.to > day)) return false;
        await createPartition(tx, name, day, next);
        return true;
      },
      { timeout: 600_000 },
    );
    if (done) created.push(name);
  }
  return created;
}

/**
 * One new partition. When DEFAULT holds rows of its range (ATTACH would
 * refuse), the table is built standalone, the rows move out of DEFAULT into
 * it, and it is attached: deleting them from DEFAULT sets the last location
 * of devices that pointed at them to null (the foreign key's action), so
 * those references are read first and put back once the rows are in place.
 */
async function createPartition(tx: Db, name: string, from: Date, to: Date) {
  const range = `FOR VALUES FROM (${literal(from)}) TO (${literal(to)})`;
  const inRange = `"recordedAt" >= ${literal(from)} AND "recordedAt" < ${literal(to)}`;
  const waiting = await tx.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${ident(DEFAULT_PARTITION)} WHERE ${inRange}`);
  if (!waiting[0]?.n) {
    await tx.$executeRawUnsafe(`CREATE TABLE ${ident(name)} PARTITION OF ${ident(PARENT)} ${range}`);
    return;
  }
  const refs = await tx.$queryRawUnsafe<{ id: string; pointId: string; recordedAt: Date }[]>(
    `SELECT d."id", d."lastLocationId" AS "pointId", d."lastLocationRecordedAt" AS "recordedAt" FROM "Device" d
     WHERE d."lastLocationRecordedAt" >= ${literal(from)} AND d."lastLocationRecordedAt" < ${literal(to)} AND d."lastLocationId" IS NOT NULL`,
  );
  await tx.$executeRawUnsafe(`CREATE TABLE ${ident(name)} (LIKE ${ident(PARENT)} INCLUDING DEFAULTS)`);
  // The range as a constraint lets ATTACH skip scanning the new table.
  await tx.$executeRawUnsafe(`ALTER TABLE ${ident(name)} ADD CONSTRAINT ${ident(`${name}_range`)} CHECK (${inRange})`);
  await tx.$executeRawUnsafe(
    `WITH moved AS (DELETE FROM ${ident(DEFAULT_PARTITION)} WHERE ${inRange} RETURNING *) INSERT INTO ${ident(name)} SELECT * FROM moved`,
  );
  await tx.$executeRawUnsafe(`ALTER TABLE ${ident(PARENT)} ATTACH PARTITION ${ident(name)} ${range}`);
  await tx.$executeRawUnsafe(`ALTER TABLE ${ident(name)} DROP CONSTRAINT ${ident(`${name}_range`)}`);
  await restoreLastLocations(tx, refs);
}

async function restoreLastLocations(tx: Db, refs: { id: string; pointId: string; recordedAt: Date }[]) {
  if (!refs.length) return;
  await tx.$executeRawUnsafe(
    `UPDATE "Device" d SET "lastLocationId" = r."pointId", "lastLocationRecordedAt" = r."recordedAt"
     FROM unnest($1::text[], $2::text[], $3::timestamp(3)[]) AS r("id", "pointId", "recordedAt") WHERE d."id" = r."id"`,
    refs.map((r) => r.id),
    refs.map((r) => r.pointId),
    refs.map((r) => r.recordedAt.toISOString()),
  );
}

/** Today's partition and the next DAYS_AHEAD (at start and every few hours). */
export function maintainLocationPartitions(prisma: PrismaClient, now = new Date()): Promise<string[]> {
  return ensurePartitions(prisma, now, new Date(now.getTime() + DAYS_AHEAD * DAY_MS));
}

export interface DroppedPartitions {
  /** Rows gone with the partitions. */
  deleted: number;
  /** Rows of held accounts, copied back into the table (into DEFAULT). */
  kept: number;
  /** Devices whose last location went. */
  devicesCleared: number;
}

/** At most this many partitions go in one transaction (the parent is locked until it commits; steady state is one a day). */
export const MAX_PARTITIONS_PER_DROP = 100;

/**
 * Removes whole partitions inside tx (the caller's transaction: a failure
 * leaves them attached and whole), in a fixed handful of statements however
 * many there are: the rows counted (all, and held), last locations in them
 * set null (held accounts' devices get theirs back), then in one DO block per
 * partition DETACH, copy the held rows back into the parent (DEFAULT takes
 * them: the range is gone), DROP. `heldAccounts`: their devices' rows stay.
 */
export async function dropPartitions(tx: Db, partitions: Partition[], heldAccounts: string[]): Promise<DroppedPartitions> {
  if (!partitions.length) return { deleted: 0, kept: 0, devicesCleared: 0 };
  const heldDevices = heldAccounts.length
    ? (await tx.device.findMany({ where: { ownerId: { in: heldAccounts } }, select: { id: true } })).map((d) => d.id)
    : [];
  const counts = await tx.$queryRawUnsafe<{ total: number; kept: number }[]>(
    `SELECT coalesce(sum(total), 0)::int AS total, coalesce(sum(kept), 0)::int AS kept FROM (${partitions
      .map(
        (p) =>
          `SELECT (SELECT count(*) FROM ${ident(p.name)}) AS total, (SELECT count(*) FROM ${ident(p.name)} WHERE "deviceId" = ANY($1::text[])) AS kept`,
      )
      .join(' UNION ALL ')}) c`,
    heldDevices,
  );
  const { total, kept } = counts[0];
  const inAny = (d: Date) => partitions.some((p) => d >= p.from && d < p.to);
  const from = partitions.reduce((m, p) => (p.from < m ? p.from : m), partitions[0].from);
  const to = partitions.reduce((m, p) => (p.to > m ? p.to : m), partitions[0].to);
  const refs = (
    await tx.$queryRawUnsafe<{ id: string; ownerId: string; pointId: string; recordedAt: Date }[]>(
      `SELECT "id", "ownerId", "lastLocationId" AS "pointId", "lastLocationRecordedAt" AS "recordedAt" FROM "Device"
       WHERE "lastLocationRecordedAt" >= ${literal(from)} AND "lastLocationRecordedAt" < ${literal(to)} AND "lastLocationId" IS NOT NULL`,
    )
  ).filter((r) => inAny(r.recordedAt));
  if (refs.length) {
    await tx.$executeRawUnsafe(
      `UPDATE "Device" SET "lastLocationId" = NULL, "lastLocationRecordedAt" = NULL WHERE "id" = ANY($1::text[])`,
      refs.map((r) => r.id),
    );
  }
  const heldList = heldDevices.map((id) => `'${id.replaceAll("'", "''")}'`).join(',');
  const steps = partitions.map((p) =>
    [
      `ALTER TABLE ${ident(PARENT)} DETACH PARTITION ${ident(p.name)};`,
      kept ? `INSERT INTO ${ident(PARENT)} SELECT * FROM ${ident(p.name)} WHERE "deviceId" IN (${heldList});` : '',
      `DROP TABLE ${ident(p.name)};`,
    ].join(' '),
  );
  await tx.$executeRawUnsafe(`DO $drop$ BEGIN ${steps.join('\n')} END $drop$`);
  const heldRefs = refs.filter((r) => heldAccounts.includes(r.ownerId));
  await restoreLastLocations(tx, heldRefs);
  return { deleted: total - kept, kept, devicesCleared: refs.length - heldRefs.length };
}
