/**
 * Retention at scale (issue 18): a retention run purging LOCATION_POINTS at
 * P90D from POINTS points spread evenly over 180 days (300 devices of 100
 * accounts, one account (3 devices, 1% of the points) under a legal hold; one device in ten has its last
 * location in the expired half), seeded by SQL into a fresh PostgreSQL
 * database, purged through the real code path (runRetention, partitions
 * detached, then dropped). Reported: the run's wall time, the longest wait
 * of a history read and of a one-point insert sent back to back meanwhile
 * (what the purge's locks cost the API), rows deleted and held, the size of
 * the partition tree and its dead tuples before and after, and EXPLAIN of the
 * device list's last-location join and of a history page.
 *
 * The old way for comparison: the batched delete by ids (purgeRows, 500 per
 * transaction, as before partitioning) on a plain LocationPoint table (a
 * database at the migration before partitioning) holding OLD_WAY_POINTS of
 * the same distribution; its time is extrapolated linearly to POINTS (the
 * per-batch audit event and run update of runRetention are left out, which
 * favours the old way).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PrismaClient } from '../../generated/prisma/client';
import { applyMigrations } from '../../api/db/migrations';
import { migrationsDir } from '../../api/db/prisma-files';
import { ensurePartitions } from '../../api/locations/partitions';
import { purgeRows } from '../../api/retention/purge-rows';
import type { PurgeScope } from '../../api/context';
import { runRetention, type RetentionResult } from '../../plugins/retention/run';
import { createTestDatabase } from '../helpers/database';
import { startTestServer } from '../helpers/server';
import { quantile } from './stats';

const DAY = 86_400_000;
const SPAN_DAYS = 180;
const DEVICES = 300;
const ACCOUNTS = 100;

export interface RetentionScaleResult {
  points: number;
  spanDays: number;
  devices: number;
  seedSeconds: number;
  purge: {
    wallMs: number;
    wholeDays: { ms: number; deleted: number; held: number; stateAfter: TableState; probe: ProbeResult };
    boundaryDay: { ms: number; deleted: number; held: number; probe: ProbeResult };
    nextDay: { ms: number; deleted: number; held: number; probe: ProbeResult };
    deleted: number;
    held: number;
    partitionsBefore: number;
    partitionsAfter: number;
    devicesWithLastLocationBefore: number;
    devicesWithLastLocationAfter: number;
  };
  before: TableState;
  after: TableState;
  explain: { deviceListLastLocation: string; historyPage: string; partitionScansPerDevice: number };
  oldWay: {
    points: number;
    deleted: number;
    wallMs: number;
    extrapolatedWallMsFor: { points: number; ms: number };
    before: TableState;
    after: TableState;
  };
}

/** How long the API's hot statements waited while a run went on (each kind back to back on a connection of its own). */
export interface ProbeResult {
  /** A history page read of a device's last three days (what `Device.locations` sends). */
  reads: ProbeStats;
  /** A one-point insert of today (what ingestion sends). */
  writes: ProbeStats;
}

interface ProbeStats {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Runs `work` while two connections of their own send the hot path's statements back to back: a history page read
 * and a one-point insert. A lock on the whole table shows as their longest wait.
 */
async function probeDuring<T>(url: string, work: () => Promise<T>): Promise<{ result: T; probe: ProbeResult }> {
  const reader = new pg.Client({ connectionString: url });
  const writer = new pg.Client({ connectionString: url });
  await Promise.all([reader.connect(), writer.connect()]);
  let done = false;
  const loop = async (send: (i: number) => Promise<unknown>) => {
    const ms: number[] = [];
    for (let i = 0; !done; i++) {
      const t0 = performance.now();
      await send(i);
      ms.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 2));
    }
    return ms;
  };
  const stamp = Date.now();
  const reads = loop(() =>
    reader.query(
      `SELECT id, "recordedAt", latitude, longitude FROM "LocationPoint"
       WHERE "deviceId" = $1 AND "recordedAt" >= (now() AT TIME ZONE 'UTC') - interval '3 days'
       ORDER BY "recordedAt" DESC, id DESC LIMIT 101`,
      ['dev2'],
    ),
  );
  const writes = loop((i) =>
    writer.query(
      `INSERT INTO "LocationPoint" (id, "deviceId", "clientId", "recordedAt", "receivedAt", latitude, longitude, source)
       VALUES (md5($1), 'dev2', $1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', 56.9, 24.1, 'GPS')`,
      [`probe-${stamp}-${i}`],
    ),
  );
  try {
    const result = await work();
    done = true;
    const stats = (ms: number[]): ProbeStats => ({
      count: ms.length,
      p50Ms: Number(quantile(ms, 0.5).toFixed(1)),
      p99Ms: Number(quantile(ms, 0.99).toFixed(1)),
      maxMs: Math.round(Math.max(...ms)),
    });
    return { result, probe: { reads: stats(await reads), writes: stats(await writes) } };
  } finally {
    done = true;
    await Promise.allSettled([reads, writes]);
    await Promise.all([reader.end(), writer.end()]);
  }
}

interface TableState {
  rows: number;
  totalBytes: number;
  deadTuples: number;
  /** Rows deleted one by one so far (pg_stat_user_tables.n_tup_del; a dropped partition's rows are not among them). */
  rowDeletes: number;
}

async function state(pool: pg.Pool): Promise<TableState> {
  // Statistics reach pg_stat_user_tables when the writing sessions flush them: an idle session flushes after 10 s.
  await new Promise((r) => setTimeout(r, 11_000));
  const r = await pool.query<{ rows: string; bytes: string; dead: string; deletes: string }>(
    `SELECT (SELECT count(*) FROM "LocationPoint") AS rows,
            (SELECT coalesce(sum(pg_total_relation_size(t.relid)), pg_total_relation_size('"LocationPoint"'))
               FROM pg_partition_tree('"LocationPoint"') t) AS bytes,
            (SELECT coalesce(sum(n_dead_tup), 0) FROM pg_stat_user_tables WHERE relname LIKE 'LocationPoint%') AS dead,
            (SELECT coalesce(sum(n_tup_del), 0) FROM pg_stat_user_tables WHERE relname LIKE 'LocationPoint%') AS deletes`,
  );
  const row = r.rows[0];
  return { rows: Number(row.rows), totalBytes: Number(row.bytes), deadTuples: Number(row.dead), rowDeletes: Number(row.deletes) };
}

/** Accounts, devices, a legal hold on the first account, and `points` points over SPAN_DAYS ending now. */
async function seedPoints(pool: pg.Pool, points: number, log: (m: string) => void) {
  await pool.query(
    `INSERT INTO "Account" (id, email, "passwordHash", "updatedAt")
     SELECT 'acc' || a, 'bench' || a || '@example.test', 'x', now() FROM generate_series(1, ${ACCOUNTS}) a`,
  );
  await pool.query(
    `INSERT INTO "Device" (id, "ownerId", name, kind, "createdAt")
     SELECT 'dev' || d, 'acc' || (1 + d % ${ACCOUNTS}), 'Bench ' || d, 'TRACKER', now() - d * interval '1 second'
     FROM generate_series(0, ${DEVICES - 1}) d`,
  );
  await pool.query(`INSERT INTO "LegalHold" (id, "accountId", reason) VALUES ('hold1', 'acc1', 'bench: court order')`);
  const chunk = 1_000_000;
  for (let start = 0; start < points; start += chunk) {
    const end = Math.min(points, start + chunk);
    // Point g is (g / points) of the span old; devices take turns.
    await pool.query(
      `INSERT INTO "LocationPoint" (id, "deviceId", "clientId", "recordedAt", "receivedAt", latitude, longitude, accuracy, speed, source)
       SELECT md5(g::text), 'dev' || (g % ${DEVICES}), 'b' || g, t, t, 56.9 + (g % 1000) / 10000.0, 24.1 + (g % 997) / 10000.0, 5, 1.2, 'GPS'
       FROM generate_series(${start + 1}, ${end}) g,
            LATERAL (SELECT (now() AT TIME ZONE 'UTC') - (g::float8 / ${points}) * interval '${SPAN_DAYS} days' AS t) s`,
    );
    log(`  ${end.toLocaleString('en-US')} points`);
  }
  // The newest point is each device's last location; one device in ten has been silent for 100 days (last location expired).
  await pool.query(
    `UPDATE "Device" d SET ("lastLocationId", "lastLocationRecordedAt") = (
       SELECT p.id, p."recordedAt" FROM "LocationPoint" p
       WHERE p."deviceId" = d.id AND (d.id NOT LIKE '%0' OR p."recordedAt" < (now() AT TIME ZONE 'UTC') - interval '100 days')
       ORDER BY p."recordedAt" DESC, p.id DESC LIMIT 1)`,
  );
}

async function seedPlain(pool: pg.Pool, points: number, log: (m: string) => void) {
  // Same as seedPoints, minus the Device last-location pair (the plain table's Device has lastLocationId only).
  await pool.query(
    `INSERT INTO "Account" (id, email, "passwordHash", "updatedAt")
     SELECT 'acc' || a, 'bench' || a || '@example.test', 'x', now() FROM generate_series(1, ${ACCOUNTS}) a`,
  );
  await pool.query(
    `INSERT INTO "Device" (id, "ownerId", name, kind) SELECT 'dev' || d, 'acc' || (1 + d % ${ACCOUNTS}), 'Bench ' || d, 'TRACKER'
     FROM generate_series(0, ${DEVICES - 1}) d`,
  );
  await pool.query(
    `INSERT INTO "LocationPoint" (id, "deviceId", "clientId", "recordedAt", "receivedAt", latitude, longitude, accuracy, speed, source)
     SELECT md5(g::text), 'dev' || (g % ${DEVICES}), 'b' || g, t, t, 56.9, 24.1, 5, 1.2, 'GPS'
     FROM generate_series(1, ${points}) g,
          LATERAL (SELECT (now() AT TIME ZONE 'UTC') - (g::float8 / ${points}) * interval '${SPAN_DAYS} days' AS t) s`,
  );
  await pool.query(
    `UPDATE "Device" d SET "lastLocationId" = (SELECT p.id FROM "LocationPoint" p WHERE p."deviceId" = d.id
       AND (d.id NOT LIKE '%0' OR p."recordedAt" < (now() AT TIME ZONE 'UTC') - interval '100 days') ORDER BY p."recordedAt" DESC LIMIT 1)`,
  );
  await pool.query(`VACUUM ANALYZE "LocationPoint"`);
  log(`  plain table: ${points.toLocaleString('en-US')} points`);
}

async function explain(pool: pg.Pool, sql: string, params: unknown[]): Promise<string> {
  const r = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${sql}`, params);
  return r.rows.map((x) => x['QUERY PLAN']).join('\n');
}

/** The old way on a plain table of `points` points: purgeRows' batches of 500 by id, one transaction each. */
async function oldWay(points: number, log: (m: string) => void): Promise<RetentionScaleResult['oldWay']> {
  const tdb = await createTestDatabase({ empty: true });
  const dir = mkdtempSync(join(tmpdir(), 'lp-bench-migrations-'));
  const pool = new pg.Pool({ connectionString: tdb.url!, max: 2 });
  const prisma = new PrismaClient({ adapter: tdb.database.factory });
  try {
    cpSync(migrationsDir, dir, { recursive: true });
    rmSync(join(dir, '20261207093427_partition_location_points'), { recursive: true });
    await applyMigrations(tdb.database, dir);
    await seedPlain(pool, points, log);
    // Dead tuples as the delete leaves them (autovacuum would clean them up later, at its own cost).
    await pool.query(`ALTER TABLE "LocationPoint" SET (autovacuum_enabled = false)`);
    const before = await state(pool);
    const now = new Date();
    const scope = { app: { prisma }, now, cutoff: new Date(now.getTime() - 90 * DAY), held: ['acc1'] } as unknown as PurgeScope;
    const batched = purgeRows({
      table: (db) => db.locationPoint,
      expired: (cutoff) => ({ recordedAt: { lt: cutoff } }),
      ownedBy: (accounts) => ({ device: { ownerId: accounts } }),
    });
    let deleted = 0;
    const started = performance.now();
    for (;;) {
      const n = await prisma.$transaction((tx) => batched.deleteBatch(scope, tx, 500), { timeout: 60_000 });
      if (!n) break;
      deleted += n;
    }
    const wallMs = performance.now() - started;
    const after = await state(pool);
    return { points, deleted, wallMs, extrapolatedWallMsFor: { points: 0, ms: 0 }, before, after };
  } finally {
    await prisma.$disconnect();
    await pool.end();
    rmSync(dir, { recursive: true, force: true });
    await tdb.drop();
  }
}

export async function retentionScale(sizes: { points: number; oldWayPoints: number }, log: (m: string) => void) {
  const server = await startTestServer({ plugins: ['audit', 'retention'], env: { LOG_LEVEL: 'error', RETENTION_LOCATION_POINTS: 'P90D' } });
  const pool = new pg.Pool({ connectionString: server.app.services.config.databaseUrl!, max: 2 });
  try {
    const prisma = server.app.services.prisma;
    const seedStart = Date.now();
    const now = new Date();
    await ensurePartitions(prisma, new Date(now.getTime() - SPAN_DAYS * DAY), now);
    log(`retention at scale: seeding ${sizes.points.toLocaleString('en-US')} points over ${SPAN_DAYS} days`);
    await seedPoints(pool, sizes.points, log);
    await pool.query(`VACUUM ANALYZE "LocationPoint"`);
    await pool.query(`VACUUM ANALYZE "Device"`);
    const seedSeconds = Math.round((Date.now() - seedStart) / 1000);
    const before = await state(pool);
    const partitions = async () =>
      Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM pg_partition_tree('"LocationPoint"') WHERE isleaf`)).rows[0].n);
    const withLast = async () =>
      Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "Device" WHERE "lastLocationId" IS NOT NULL`)).rows[0].n);
    const partitionsBefore = await partitions();
    const devicesWithLastLocationBefore = await withLast();

    // Two runs through the real code path: first as of 00:00 UTC today (the cutoff falls on a partition edge: whole
    // days only), then as of now (the boundary day's expired rows, in batches). Their sum is one run as of now.
    const midnight = new Date(Math.floor(Date.now() / DAY) * DAY);
    const timed = async (now: Date) => {
      const { result, probe } = await probeDuring(server.app.services.config.databaseUrl!, async () => {
        const t0 = performance.now();
        const run = await runRetention(server.app.services, { dryRun: false, now });
        return { run, ms: performance.now() - t0 };
      });
      const r = (result.run.results as unknown as RetentionResult[]).find((x) => x.dataCategory === 'LOCATION_POINTS')!;
      return { ms: Math.round(result.ms), deleted: r.deleted, held: r.held, probe };
    };
    log('retention at scale: runRetention as of 00:00 UTC (whole expired days)');
    const days = await timed(midnight);
    const midState = await state(pool);
    log('retention at scale: runRetention as of now (the boundary day)');
    const boundary = await timed(new Date());
    // Steady state: the daily run of tomorrow 00:00 UTC, when one more day has expired (one partition).
    log('retention at scale: runRetention as of tomorrow 00:00 UTC (the daily run: one more day)');
    const nextDay = await timed(new Date(midnight.getTime() + DAY));
    const wallMs = days.ms + boundary.ms;
    const result = { deleted: days.deleted + boundary.deleted, held: boundary.held };
    const after = await state(pool);

    // The device list's last-location join in the shape Prisma sends it (LEFT JOIN LATERAL on the pair), and a history page.
    const deviceList = await explain(
      pool,
      `SELECT d.id, l.data FROM "Device" d
       LEFT JOIN LATERAL (SELECT jsonb_build_object('latitude', p.latitude, 'longitude', p.longitude) AS data FROM "LocationPoint" p
         WHERE d."lastLocationId" = p.id AND d."lastLocationRecordedAt" = p."recordedAt" LIMIT 1) l ON true
       WHERE d."ownerId" = $1 ORDER BY d."createdAt" DESC, d.id DESC LIMIT 100`,
      ['acc2'],
    );
    const historyPage = await explain(
      pool,
      `SELECT id, "recordedAt", latitude, longitude FROM "LocationPoint" WHERE "deviceId" = $1
       ORDER BY "recordedAt" DESC, id DESC LIMIT 101`,
      ['dev1'],
    );
    // Partition index scans that ran, summed over the join's loops, per device of the page.
    const scans = [...deviceList.matchAll(/on "LocationPoint_(?:p\d{8}|default)"[^\n]*\(actual rows=\d+ loops=(\d+)\)/g)];
    const devicesInList = Number(
      (await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "Device" WHERE "ownerId" = 'acc2'`)).rows[0].n,
    );
    const partitionScansPerDevice = scans.reduce((n, m) => n + Number(m[1]), 0) / devicesInList;

    log(`retention at scale: the old way on a plain table of ${sizes.oldWayPoints.toLocaleString('en-US')} points`);
    const old = await oldWay(sizes.oldWayPoints, log);
    old.extrapolatedWallMsFor = { points: sizes.points, ms: Math.round((old.wallMs * sizes.points) / sizes.oldWayPoints) };

    return {
      points: sizes.points,
      spanDays: SPAN_DAYS,
      devices: DEVICES,
      seedSeconds,
      purge: {
        wallMs: Math.round(wallMs),
        wholeDays: { ...days, stateAfter: midState },
        boundaryDay: boundary,
        nextDay,
        deleted: result.deleted,
        held: result.held,
        partitionsBefore,
        partitionsAfter: await partitions(),
        devicesWithLastLocationBefore,
        devicesWithLastLocationAfter: await withLast(),
      },
      before,
      after,
      explain: { deviceListLastLocation: deviceList, historyPage, partitionScansPerDevice },
      oldWay: { ...old, wallMs: Math.round(old.wallMs) },
    } satisfies RetentionScaleResult;
  } finally {
    await pool.end();
    await server.stop();
  }
}

export function retentionTable(r: RetentionScaleResult): string {
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
  const n = (x: number) => x.toLocaleString('en-US');
  const waits = (p: ProbeResult) => `${p.reads.maxMs} / ${p.writes.maxMs} ms (p99 ${p.reads.p99Ms} / ${p.writes.p99Ms})`;
  const { wholeDays, boundaryDay, nextDay } = r.purge;
  return [
    `| retention at scale (${n(r.points)} points over ${r.spanDays} days, P90D) | wall time | longest wait of a concurrent history read / one-point insert | deleted | held | size before → after | dead tuples before → after | row deletes |`,
    '|---|---|---|---|---|---|---|---|',
    `| runRetention as of 00:00 UTC: whole expired days (partitions detached, then dropped) | ${wholeDays.ms} ms | ${waits(wholeDays.probe)} | ${n(wholeDays.deleted)} | ${n(wholeDays.held)} | ${mb(r.before.totalBytes)} → ${mb(wholeDays.stateAfter.totalBytes)} | ${r.before.deadTuples} → ${wholeDays.stateAfter.deadTuples} | ${wholeDays.stateAfter.rowDeletes - r.before.rowDeletes} |`,
    `| then as of now: the boundary day's expired rows (batches of 500) | ${boundaryDay.ms} ms | ${waits(boundaryDay.probe)} | ${n(boundaryDay.deleted)} | ${n(boundaryDay.held)} | | | |`,
    `| steady state: the next day's run (as of tomorrow 00:00 UTC, one partition) | ${nextDay.ms} ms | ${waits(nextDay.probe)} | ${n(nextDay.deleted)} | ${n(nextDay.held)} | | | |`,
    `| the first two together: a run as of now | ${r.purge.wallMs} ms | | ${n(r.purge.deleted)} | ${n(r.purge.held)} | ${mb(r.before.totalBytes)} → ${mb(r.after.totalBytes)} | ${r.before.deadTuples} → ${r.after.deadTuples} | ${r.after.rowDeletes - r.before.rowDeletes} |`,
    `| old way: batched delete by id, plain table of ${n(r.oldWay.points)} | ${r.oldWay.wallMs} ms (≈ ${Math.round(r.oldWay.extrapolatedWallMsFor.ms / 1000)} s for ${n(r.points)}) | | ${n(r.oldWay.deleted)} | | ${mb(r.oldWay.before.totalBytes)} → ${mb(r.oldWay.after.totalBytes)} | ${r.oldWay.before.deadTuples} → ${r.oldWay.after.deadTuples} | ${r.oldWay.after.rowDeletes - r.oldWay.before.rowDeletes} |`,
  ].join('\n');
}
