/**
 * LocationPoint's daily partitions (api/locations/partitions.ts) and the
 * retention purge that drops whole expired days (plugins/retention/categories.ts),
 * on PGlite and (TEST_DATABASE_URL) PostgreSQL: the same layout on both.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { PrismaClient } from '../generated/prisma/client';
import { applyMigrations } from '../api/db/migrations';
import { migrationsDir } from '../api/db/prisma-files';
import {
  detachedPartitions,
  detachPartitions,
  ensurePartitions,
  isPartitioned,
  listPartitions,
  partitionName,
  partitionsToPurge,
  utcDay,
} from '../api/locations/partitions';
import { runRetention } from '../plugins/retention/run';
import { createTestDatabase } from './helpers/database';
import { signUp, startTestServer, type SignedIn, type TestServer } from './helpers/server';

const DAY = 86_400_000;
let server: TestServer;
const db = () => server.app.services.prisma;
const rawId = (g: string) => decodeGlobalID(g).id;

beforeAll(async () => {
  server = await startTestServer({ plugins: ['audit', 'retention'], env: { RETENTION_LOCATION_POINTS: 'P30D' } });
});
afterAll(() => server?.stop());

async function device(owner: SignedIn, name: string) {
  return db().device.create({ data: { ownerId: rawId(owner.id), name, kind: 'TRACKER' } });
}

async function points(deviceId: string, prefix: string, stamps: Date[]) {
  await db().locationPoint.createMany({
    data: stamps.map((recordedAt, i) => ({ deviceId, clientId: `${prefix}${i}`, recordedAt, latitude: 56.9, longitude: 24.1 })),
  });
  return db().locationPoint.findMany({ where: { deviceId }, orderBy: [{ recordedAt: 'desc' }, { id: 'desc' }] });
}

async function setLast(deviceId: string, point: { id: string; recordedAt: Date }) {
  await db().device.update({ where: { id: deviceId }, data: { lastLocationId: point.id, lastLocationRecordedAt: point.recordedAt } });
}

/** The partition (table name) each of the device's rows is stored in. */
async function whereStored(deviceId: string): Promise<string[]> {
  const rows = await db().$queryRawUnsafe<{ t: string }[]>(
    `SELECT tableoid::regclass::text AS t FROM "LocationPoint" WHERE "deviceId" = $1 ORDER BY "recordedAt"`,
    deviceId,
  );
  return rows.map((r) => r.t.replaceAll('"', ''));
}

const lastOf = async (id: string) =>
  (await db().device.findUniqueOrThrow({ where: { id }, select: { lastLocationId: true, lastLocationRecordedAt: true } })).lastLocationId;

describe('LocationPoint partitions', () => {
  it('the table is partitioned with today and the next days created at start, on both databases', async () => {
    expect(await isPartitioned(db())).toBe(true);
    const names = (await listPartitions(db())).map((p) => p.name);
    for (let d = 0; d <= 3; d++) expect(names).toContain(partitionName(new Date(Date.now() + d * DAY)));
  });

  it('a new partition takes its rows out of DEFAULT, keeping the device last location; creating it again is a no-op', async () => {
    const owner = await signUp(server);
    const dev = await device(owner, 'Future');
    const day = new Date(Date.now() + 20 * DAY);
    const [p] = await points(dev.id, 'f', [day]);
    await setLast(dev.id, p);
    expect(await whereStored(dev.id)).toEqual(['LocationPoint_default']);
    expect(await ensurePartitions(db(), day, day)).toEqual([partitionName(day)]);
    expect(await whereStored(dev.id)).toEqual([partitionName(day)]);
    expect(await lastOf(dev.id)).toBe(p.id);
    expect(await ensurePartitions(db(), day, day)).toEqual([]);
    // New rows of that day go to the partition; the key (deviceId, clientId, recordedAt) still refuses a resend.
    await db().locationPoint.createMany({
      data: [{ deviceId: dev.id, clientId: 'f0', recordedAt: day, latitude: 1, longitude: 1 }],
      skipDuplicates: true,
    });
    expect(await db().locationPoint.count({ where: { deviceId: dev.id } })).toBe(1);
  });
});

describe('retention of location points by partition', () => {
  it('drops whole expired days, keeps held rows, nulls last locations exactly when their point goes, deletes the boundary rows; counts and audit are true', async () => {
    const now = new Date();
    const cutoff = new Date(now.getTime() - 30 * DAY);
    // Daily partitions back to 42 days; older rows land in DEFAULT.
    await ensurePartitions(db(), new Date(now.getTime() - 42 * DAY), now);
    const free = await signUp(server);
    const held = await signUp(server);
    await db().legalHold.create({ data: { accountId: rawId(held.id), reason: 'court order 1' } });

    const day40 = new Date(now.getTime() - 40 * DAY);
    const a = await device(free, 'A'); // 5 points 40 days old (a whole expired partition), last location among them
    const aPoints = await points(
      a.id,
      'a',
      [0, 1, 2, 3, 4].map((i) => new Date(day40.getTime() + i * 1000)),
    );
    await setLast(a.id, aPoints[0]);
    const b = await device(held, 'B'); // held: 3 points in the same partition + 1 in DEFAULT, last location in the partition
    const bPoints = await points(b.id, 'b', [
      new Date(day40.getTime() + 5000),
      new Date(day40.getTime() + 6000),
      new Date(day40.getTime() + 7000),
      new Date(now.getTime() - 60 * DAY),
    ]);
    await setLast(b.id, bPoints[0]);
    const c = await device(free, 'C'); // boundary day: 2 expired seconds before the cutoff, 1 after; last location expired
    const cPoints = await points(c.id, 'c', [
      new Date(cutoff.getTime() - 2000),
      new Date(cutoff.getTime() - 1000),
      new Date(cutoff.getTime() + 60_000),
    ]);
    await setLast(c.id, cPoints[1]);
    const d = await device(free, 'D'); // DEFAULT: 4 old rows; a recent last location
    const dPoints = await points(d.id, 'd', [
      ...[1, 2, 3, 4].map((i) => new Date(now.getTime() - 60 * DAY - i * 1000)),
      new Date(now.getTime() - 1000),
    ]);
    await setLast(d.id, dPoints[0]);
    expect(new Set(await whereStored(d.id))).toEqual(new Set(['LocationPoint_default', partitionName(now)]));
    expect((await whereStored(a.id))[0]).toBe(partitionName(day40));

    const total = await db().locationPoint.count();
    const dry = await runRetention(server.app.services, { dryRun: true, now });
    const dryResult = (dry.results as any[]).find((r) => r.dataCategory === 'LOCATION_POINTS');
    expect(dryResult).toMatchObject({ deleted: 5 + 2 + 4, held: 3 + 1 });
    expect(await db().locationPoint.count()).toBe(total);
    expect((await listPartitions(db())).map((p) => p.name)).toContain(partitionName(day40));

    const run = await runRetention(server.app.services, { dryRun: false, now });
    const result = (run.results as any[]).find((r) => r.dataCategory === 'LOCATION_POINTS');
    expect(result).toMatchObject({ deleted: 11, held: 4, heldReasons: [{ reason: 'LEGAL_HOLD', count: 4 }] });
    expect(await db().locationPoint.count()).toBe(total - 11);

    // Every partition wholly before the cutoff is gone but the held rows' day, now of those rows alone; the boundary day's stays.
    const left = await listPartitions(db());
    const heldDay = left.filter((p) => p.to <= cutoff);
    expect(heldDay).toEqual([
      { name: expect.stringMatching(/^LocationPoint_h/), from: utcDay(day40), to: new Date(utcDay(day40).getTime() + DAY) },
    ]);
    expect(left.map((p) => p.name)).toContain(partitionName(cutoff));
    expect(await detachedPartitions(db())).toEqual([]);
    // Held rows survive where they were, their device keeps its last location.
    expect((await db().locationPoint.findMany({ where: { deviceId: b.id } })).map((p) => p.id).sort()).toEqual(
      bPoints.map((p) => p.id).sort(),
    );
    expect(await whereStored(b.id)).toEqual(['LocationPoint_default', ...Array(3).fill(heldDay[0].name)]);
    expect(
      await db().locationPoint.count({ where: { recordedAt: { gte: utcDay(day40), lt: new Date(utcDay(day40).getTime() + DAY) } } }),
    ).toBe(3);
    expect(await lastOf(b.id)).toBe(bPoints[0].id);
    expect((await db().device.findUniqueOrThrow({ where: { id: b.id }, include: { lastLocation: true } })).lastLocation?.id).toBe(
      bPoints[0].id,
    );
    // A's points and its last location went with the partition; C's expired boundary rows and last location too.
    expect(await db().locationPoint.count({ where: { deviceId: a.id } })).toBe(0);
    expect(await lastOf(a.id)).toBeNull();
    expect((await db().locationPoint.findMany({ where: { deviceId: c.id } })).map((p) => p.id)).toEqual([cPoints[0].id]);
    expect(await lastOf(c.id)).toBeNull();
    // D's DEFAULT rows went in batches; its recent last location stays.
    expect(await db().locationPoint.count({ where: { deviceId: d.id } })).toBe(1);
    expect(await lastOf(d.id)).toBe(dPoints[0].id);

    // The audit trail adds up: one event per batch, the partition's 5 rows as one batch.
    const purged = await db().auditEvent.findMany({
      where: { action: 'retention.purged', details: { path: ['runId'], equals: run.id } },
      select: { details: true },
    });
    const points_ = purged
      .map((e) => e.details as { dataCategory: string; deleted: number })
      .filter((e) => e.dataCategory === 'LOCATION_POINTS');
    expect(points_.reduce((n, e) => n + e.deleted, 0)).toBe(11);
    expect(points_.map((e) => e.deleted)).toContain(5);

    // Running again changes nothing.
    const partitionsBefore = (await listPartitions(db())).map((p) => p.name);
    const again = await runRetention(server.app.services, { dryRun: false, now });
    expect((again.results as any[]).find((r) => r.dataCategory === 'LOCATION_POINTS')).toMatchObject({ deleted: 0, held: 4 });
    expect(await db().locationPoint.count()).toBe(total - 11);
    expect((await listPartitions(db())).map((p) => p.name)).toEqual(partitionsBefore);
  });
});

describe('a purge interrupted between detaching and dropping', () => {
  it('leaves the rows out of the table; the next run counts and drops the detached day, held rows kept throughout', async () => {
    const now = new Date();
    const day50 = new Date(Math.floor((now.getTime() - 50 * DAY) / DAY) * DAY + 12 * 3_600_000); // midday: its points share a day
    const day51 = new Date(day50.getTime() - DAY);
    await ensurePartitions(db(), day51, day50);
    const free = await signUp(server);
    const held = await signUp(server);
    await db().legalHold.create({ data: { accountId: rawId(held.id), reason: 'court order 2' } });
    const e = await device(free, 'E');
    const ePoints = await points(e.id, 'e', [
      ...[1, 2, 3].map((i) => new Date(day50.getTime() + i * 1000)),
      new Date(day51.getTime() + 1000),
    ]);
    await setLast(e.id, ePoints[0]);
    const f = await device(held, 'F');
    const fPoints = await points(f.id, 'f', [new Date(day50.getTime() + 9000), new Date(day51.getTime() + 9000)]);
    const partitions = (await listPartitions(db())).filter((p) => [partitionName(day51), partitionName(day50)].includes(p.name));
    expect(partitions).toHaveLength(2);

    // The first half alone, as a crash right after its commit would leave it.
    const first = await db().$transaction(async (tx) => detachPartitions(tx, await partitionsToPurge(tx, partitions, [f.id]), [f.id]));
    expect(first).toMatchObject({ kept: 2, devicesCleared: 1 });
    expect(await detachedPartitions(db())).toEqual(first.detached);
    expect(await db().locationPoint.count({ where: { deviceId: e.id } })).toBe(0);
    expect(await lastOf(e.id)).toBeNull();
    // The two days are back as one partition of the held rows alone.
    expect((await db().locationPoint.findMany({ where: { deviceId: f.id } })).map((p) => p.id).sort()).toEqual(
      fPoints.map((p) => p.id).sort(),
    );
    const replacement = (await listPartitions(db())).find((p) => p.from.getTime() === partitions[0].from.getTime())!;
    expect(replacement).toEqual({ name: expect.stringMatching(/^LocationPoint_h/), from: partitions[0].from, to: partitions[1].to });
    expect(await whereStored(f.id)).toEqual([replacement.name, replacement.name]);

    const run = await runRetention(server.app.services, { dryRun: false, now });
    expect(await detachedPartitions(db())).toEqual([]);
    const purged = await db().auditEvent.findMany({
      where: { action: 'retention.purged', details: { path: ['runId'], equals: run.id } },
      select: { details: true },
    });
    // E's 4 rows are counted once, when their tables are dropped; F's rows stay, and so does their partition (nothing in it to delete).
    expect(purged.map((x) => x.details)).toContainEqual({ runId: run.id, dataCategory: 'LOCATION_POINTS', deleted: 4 });
    expect(await whereStored(f.id)).toEqual([replacement.name, replacement.name]);

    // Once the hold is released the day has something to delete, and goes whole.
    await db().legalHold.updateMany({ where: { accountId: rawId(held.id) }, data: { releasedAt: new Date() } });
    const released = await runRetention(server.app.services, { dryRun: false, now });
    expect((released.results as any[]).find((r) => r.dataCategory === 'LOCATION_POINTS')).toMatchObject({ deleted: 2 });
    expect(await db().locationPoint.count({ where: { deviceId: f.id } })).toBe(0);
    expect((await listPartitions(db())).map((p) => p.name)).not.toContain(replacement.name);
    expect(await detachedPartitions(db())).toEqual([]);
    const gone = await db().$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_class WHERE relname = ANY($1::text[])`,
      first.detached,
    );
    expect(gone[0].n).toBe(0);
  });
});

describe('a held row that goes while its replacement is built', () => {
  it('is not brought back: the replacement is built again from the rows there are', async () => {
    const now = new Date();
    const day60 = new Date(Math.floor((now.getTime() - 60 * DAY) / DAY) * DAY + 12 * 3_600_000);
    await ensurePartitions(db(), day60, day60);
    const free = await signUp(server);
    const held = await signUp(server);
    await db().legalHold.create({ data: { accountId: rawId(held.id), reason: 'court order 3' } });
    const g = await device(free, 'G');
    await points(g.id, 'g', [new Date(day60.getTime() + 1000)]);
    const h = await device(held, 'H');
    const hPoints = await points(
      h.id,
      'h',
      [1, 2, 3].map((i) => new Date(day60.getTime() + 2000 + i * 1000)),
    );
    const partition = (await listPartitions(db())).find((p) => p.name === partitionName(day60))!;

    const result = await db().$transaction(async (tx) =>
      detachPartitions(tx, await partitionsToPurge(tx, [partition], [h.id]), [h.id], async () => {
        await tx.locationPoint.deleteMany({ where: { id: hPoints[0].id } });
      }),
    );
    expect(result.kept).toBe(2);
    expect((await db().locationPoint.findMany({ where: { deviceId: h.id } })).map((p) => p.id).sort()).toEqual(
      [hPoints[1].id, hPoints[2].id].sort(),
    );
    await runRetention(server.app.services, { dryRun: false, now });
    expect(await detachedPartitions(db())).toEqual([]);
    expect(await db().locationPoint.count({ where: { deviceId: g.id } })).toBe(0);
    expect(await db().locationPoint.count({ where: { deviceId: h.id } })).toBe(2);
  });
});

describe('the migration to partitions', () => {
  it('converts a plain table with rows: every row kept, each in its day, last locations carried over', async () => {
    const tdb = await createTestDatabase({ empty: true });
    const dir = mkdtempSync(join(tmpdir(), 'lp-migrations-'));
    try {
      cpSync(migrationsDir, dir, { recursive: true });
      rmSync(join(dir, '20261207093427_partition_location_points'), { recursive: true });
      await applyMigrations(tdb.database, dir);
      const prisma = new PrismaClient({ adapter: tdb.database.factory });
      try {
        expect(await isPartitioned(prisma)).toBe(false);
        await prisma.$executeRawUnsafe(
          `INSERT INTO "Account" (id, email, "passwordHash", "updatedAt") VALUES ('acc', 'a@example.test', 'x', now())`,
        );
        await prisma.$executeRawUnsafe(`INSERT INTO "Device" (id, "ownerId", name, kind) VALUES ('dev', 'acc', 'Old', 'PHONE')`);
        // 500 points over 50 days, one of them 2000 days old (beyond the per-day horizon: DEFAULT).
        await prisma.$executeRawUnsafe(
          `INSERT INTO "LocationPoint" (id, "deviceId", "clientId", "recordedAt", latitude, longitude)
           SELECT 'p' || g, 'dev', 'c' || g, (now() AT TIME ZONE 'UTC') - g * interval '2 hours 24 minutes', 56.9, 24.1 FROM generate_series(1, 499) g
           UNION ALL SELECT 'ancient', 'dev', 'ancient', (now() AT TIME ZONE 'UTC') - interval '2000 days', 1, 1`,
        );
        await prisma.$executeRawUnsafe(`UPDATE "Device" SET "lastLocationId" = 'p1'`);
        const before = await prisma.$queryRawUnsafe<{ id: string; recordedAt: Date }[]>(
          `SELECT id, "recordedAt" FROM "LocationPoint" ORDER BY id`,
        );

        expect(await applyMigrations(tdb.database, migrationsDir)).toEqual(['20261207093427_partition_location_points']);
        expect(await isPartitioned(prisma)).toBe(true);
        const after = await prisma.$queryRawUnsafe<{ id: string; recordedAt: Date; t: string }[]>(
          `SELECT id, "recordedAt", tableoid::regclass::text AS t FROM "LocationPoint" ORDER BY id`,
        );
        expect(after.map(({ id, recordedAt }) => ({ id, recordedAt }))).toEqual(before);
        for (const row of after) {
          expect(row.t.replaceAll('"', '')).toBe(row.id === 'ancient' ? 'LocationPoint_default' : partitionName(row.recordedAt));
        }
        const dev = await prisma.device.findUniqueOrThrow({ where: { id: 'dev' }, include: { lastLocation: true } });
        expect(dev.lastLocation?.id).toBe('p1');
        expect(dev.lastLocationRecordedAt).toEqual(before.find((p) => p.id === 'p1')!.recordedAt);
      } finally {
        await prisma.$disconnect();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await tdb.drop();
    }
  });
});
