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
 * - detachPartitions, then reclaimDetached: the retention purge of whole
 *   expired days (see plugins/retention/categories.ts), in two transactions.
 *   The first sets devices' last locations in them null (as the foreign
 *   key's ON DELETE SET NULL does), detaches and renames them, and puts a
 *   day with rows of held accounts back as a partition of those rows alone;
 *   the second counts the rows that went and drops the tables, locking
 *   nothing the API uses.
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

export interface DetachedPartitions {
  /** The detached tables' new names (DETACHED_PREFIX + the old name's tail), waiting for reclaimDetached. */
  detached: string[];
  /** Rows of held accounts kept in the detached days (now in their replacements). */
  kept: number;
  /** Devices whose last location went. */
  devicesCleared: number;
}

/** At most this many partitions are detached in one transaction (the parent is locked until it commits; steady state is one a day). */
export const MAX_PARTITIONS_PER_DROP = 100;

/** An expired partition, detached and waiting to be counted and dropped, is renamed to this prefix and its old name's tail. */
export const DETACHED_PREFIX = `${PARENT}_expired_`;

export interface ExpiredDay extends Partition {
  /** It holds rows of held accounts (they stay: the range is replaced by a partition of those rows only). */
  held: boolean;
}

/**
 * Of the expired partitions, those with something to delete: any row not of
 * the held accounts, or no rows at all. A range left with held rows only (the
 * replacement an earlier purge made) stays as it is.
 */
export async function partitionsToPurge(db: Db, partitions: Partition[], heldDevices: string[]): Promise<ExpiredDay[]> {
  if (!partitions.length) return [];
  const rows = await db.$queryRawUnsafe<{ i: number; free: boolean; held: boolean }[]>(
    partitions
      .map(
        (p, i) =>
          `SELECT ${i}::int AS i, EXISTS (SELECT 1 FROM ${ident(p.name)} WHERE NOT ("deviceId" = ANY($1::text[]))) AS free,
                  EXISTS (SELECT 1 FROM ${ident(p.name)} WHERE "deviceId" = ANY($1::text[])) AS held`,
      )
      .join(' UNION ALL '),
    heldDevices,
  );
  const shape = new Map(rows.map((r) => [r.i, r]));
  return partitions.flatMap((p, i) => {
    const { free, held } = shape.get(i)!;
    return free || !held ? [{ ...p, held }] : [];
  });
}

/** Runs of adjacent ranges (each run's ranges meet end to start), oldest first. */
function adjacentRuns<T extends Partition>(parts: T[]): T[][] {
  const runs: T[][] = [];
  for (const p of [...parts].sort((a, b) => a.from.getTime() - b.from.getTime())) {
    const last = runs.at(-1);
    if (last && last.at(-1)!.to.getTime() === p.from.getTime()) last.push(p);
    else runs.push([p]);
  }
  return runs;
}

/**
 * The first half of purging whole expired partitions, inside tx (the
 * caller's transaction: a failure leaves them attached and whole). From the
 * first DETACH to the commit the parent is locked for everyone (ACCESS
 * EXCLUSIVE), so as little as possible happens in that stretch:
 *
 * - before it, while only the expired partitions are read: last locations in
 *   them set null (as the foreign key's ON DELETE SET NULL would), and for
 *   each run of adjacent ones with held rows a replacement table of those rows
 *   alone, with the parent's indexes and the run's range as a CHECK (so
 *   ATTACH need not scan it);
 * - in it: each DETACHed and renamed to DETACHED_PREFIX; each replacement
 *   checked against the held rows its partitions have now (a count by index;
 *   should a row have gone since, it is built again), ATTACHed for the run's
 *   range; the held devices' last locations put back.
 *
 * At commit the rows that go have left the table and the held ones are in it,
 * in one partition per run. Counting what went and dropping the files (whose
 * unlink at commit takes as long as the filesystem needs) is
 * reclaimDetached's, in a later transaction that locks only the detached
 * tables. Ingestion refuses points older than the retention period, so no
 * row of an expired partition is added meanwhile.
 */
export async function detachPartitions(
  tx: Db,
  days: ExpiredDay[],
  /** The devices of the accounts under a hold: their rows stay. */
  heldDevices: string[],
  /** Runs just before the lock (tests use it to change a held row after its replacement is built). */
  beforeLock?: () => Promise<void>,
): Promise<DetachedPartitions> {
  if (!days.length) return { detached: [], kept: 0, devicesCleared: 0 };
  const inAny = (d: Date) => days.some((p) => d >= p.from && d < p.to);
  const from = days.reduce((m, p) => (p.from < m ? p.from : m), days[0].from);
  const to = days.reduce((m, p) => (p.to > m ? p.to : m), days[0].to);
  const refs = (
    await tx.$queryRawUnsafe<{ id: string; pointId: string; recordedAt: Date }[]>(
      `SELECT "id", "lastLocationId" AS "pointId", "lastLocationRecordedAt" AS "recordedAt" FROM "Device"
       WHERE "lastLocationRecordedAt" >= ${literal(from)} AND "lastLocationRecordedAt" < ${literal(to)} AND "lastLocationId" IS NOT NULL`,
    )
  ).filter((r) => inAny(r.recordedAt));
  if (refs.length) {
    await tx.$executeRawUnsafe(
      `UPDATE "Device" SET "lastLocationId" = NULL, "lastLocationRecordedAt" = NULL WHERE "id" = ANY($1::text[])`,
      refs.map((r) => r.id),
    );
  }
  const detached = new Map(days.map((p) => [p.name, `${DETACHED_PREFIX}${p.name.slice(`${PARENT}_`.length)}`]));
  const columns = (await columnsOf(tx, PARENT)).map(ident).join(', ');
  const held = `"deviceId" = ANY(ARRAY[${heldDevices.map((id) => `'${id.replaceAll("'", "''")}'`).join(',')}]::text[])`;
  const stamp = Date.now().toString(36);
  const runs = adjacentRuns(days.filter((p) => p.held)).map((run) => {
    const first = run[0].from;
    const last = run.at(-1)!.to;
    const day = (d: Date) => d.toISOString().slice(0, 10).replaceAll('-', '');
    return { run, from: first, to: last, name: `${PARENT}_h${day(first)}_${day(last)}_${stamp}` };
  });
  const fill = (r: (typeof runs)[number], tables: string[]) =>
    `INSERT INTO ${ident(r.name)} (${columns}) ${tables.map((t) => `SELECT ${columns} FROM ${ident(t)} WHERE ${held}`).join(' UNION ALL ')}`;
  for (const r of runs) {
    await tx.$executeRawUnsafe(`CREATE TABLE ${ident(r.name)} (LIKE ${ident(PARENT)} INCLUDING DEFAULTS INCLUDING INDEXES)`);
    await tx.$executeRawUnsafe(
      fill(
        r,
        r.run.map((p) => p.name),
      ),
    );
    await tx.$executeRawUnsafe(
      `ALTER TABLE ${ident(r.name)} ADD CONSTRAINT ${ident(`${r.name}_range`)} CHECK ("recordedAt" >= ${literal(r.from)} AND "recordedAt" < ${literal(r.to)})`,
    );
  }
  await beforeLock?.();
  // From here the parent is locked.
  const steps = days.map(
    (p) =>
      `ALTER TABLE ${ident(PARENT)} DETACH PARTITION ${ident(p.name)}; ALTER TABLE ${ident(p.name)} RENAME TO ${ident(detached.get(p.name)!)};`,
  );
  for (const r of runs) {
    const source = r.run.map((p) => ident(detached.get(p.name)!));
    const heldNow = source.map((t) => `(SELECT count(*) FROM ${t} WHERE ${held})`).join(' + ');
    steps.push(
      `IF (SELECT count(*) FROM ${ident(r.name)}) <> ${heldNow} THEN TRUNCATE ${ident(r.name)}; ${fill(
        r,
        r.run.map((p) => detached.get(p.name)!),
      )}; END IF;`,
      `ALTER TABLE ${ident(PARENT)} ATTACH PARTITION ${ident(r.name)} FOR VALUES FROM (${literal(r.from)}) TO (${literal(r.to)});`,
    );
  }
  await tx.$executeRawUnsafe(`DO $detach$ BEGIN ${steps.join('\n')} END $detach$`);
  const kept = runs.length
    ? (
        await tx.$queryRawUnsafe<{ n: number }[]>(
          `SELECT (${runs.map((r) => `(SELECT count(*) FROM ${ident(r.name)})`).join(' + ')})::int AS n`,
        )
      )[0].n
    : 0;
  const heldRefs = refs.filter((r) => heldDevices.includes(r.id));
  await restoreLastLocations(tx, heldRefs);
  return { detached: [...detached.values()], kept, devicesCleared: refs.length - heldRefs.length };
}

/** Detached expired partitions that reclaimDetached has not dropped yet (after a crash between the two halves, the next run finds them). */
export async function detachedPartitions(db: Db): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT c.relname AS name FROM pg_class c
     WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND NOT c.relispartition AND starts_with(c.relname, $1)
     ORDER BY c.relname`,
    DETACHED_PREFIX,
  );
  return rows.map((r) => r.name);
}

/**
 * The second half: counts the rows of detached expired days that are not the
 * held accounts' (those stayed, in the day's replacement) and drops the tables,
 * inside tx. It locks only the detached tables, which nothing else reads, so
 * the commit's unlinking of their files keeps no one waiting. Returns the
 * rows that went.
 */
export async function reclaimDetached(tx: Db, names: string[], heldDevices: string[]): Promise<number> {
  if (!names.length) return 0;
  // One count over an append of the tables' rows, which PostgreSQL can scan in parallel (a sum of counts it cannot).
  const counts = await tx.$queryRawUnsafe<{ n: bigint }[]>(
    `SELECT count(*) AS n FROM (${names
      .map((name) => `SELECT 1 FROM ${ident(name)} WHERE NOT ("deviceId" = ANY($1::text[]))`)
      .join(' UNION ALL ')}) c`,
    heldDevices,
  );
  await tx.$executeRawUnsafe(`DROP TABLE ${names.map(ident).join(', ')}`);
  return Number(counts[0].n);
}

async function columnsOf(db: Db, table: string): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    ident(table),
  );
  return rows.map((r) => r.name);
}
