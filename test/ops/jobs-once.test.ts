/**
 * Jobs once across instances (issue 12, item 4): two instances on one
 * PostgreSQL database with a 2-second retention schedule run each scheduled
 * slot once (one RetentionRun row and one retention.finished audit event per
 * slot); a queued job that fails is retried with growing delays. Runs on
 * PostgreSQL (TEST_DATABASE_URL, default the local server CI provides).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../api/config';
import { openDatabase, type Database } from '../../api/db/adapters';
import { createApp, type App } from '../../server/app';
import { startServer, type RunningServer } from '../../server/http-server';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { definePlugin } from '../../schema/plugin-api';

// Not set in process.env: test files share worker processes (isolate: false), the next file must still get PGlite.
const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

const INTERVAL = 2;
const attempts: number[] = [];
let failuresLeft = 2;

const flaky = definePlugin({
  name: 'flaky',
  description: 'test only: a worker that fails twice',
  workers: [
    {
      name: 'flaky.work',
      work: async () => {
        attempts.push(Date.now());
        if (failuresLeft-- > 0) throw new Error('transient failure');
      },
    },
  ],
});

interface Instance {
  app: App;
  running: RunningServer;
  database: Database;
}

describe('scheduled jobs across two instances on PostgreSQL', () => {
  let db: TestDatabase;
  let dataDir: string;
  const instances: Instance[] = [];

  const start = async (jobs: 'on' | 'off' = 'on') => {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      PUBLIC_URL: 'http://localhost:4000',
      DATABASE_URL: db.url!,
      JOBS: jobs,
      RETENTION_INTERVAL: `PT${INTERVAL}S`,
      JOBS_SCHEMA: 'pgboss',
    });
    const database = await openDatabase({ kind: 'postgres', url: db.url! });
    const app = await createApp(config, { database });
    app.plugins.push(flaky);
    const running = await startServer(app, { port: 0, host: '127.0.0.1' });
    const instance = { app, running, database };
    instances.push(instance);
    return instance;
  };
  const stop = async (i: Instance) => {
    await i.running.stop();
    await i.app.close();
    await i.database.close();
    instances.splice(instances.indexOf(i), 1);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lp-jobs-'));
    db = await createTestDatabase({ postgresUrl });
  });

  afterAll(async () => {
    for (const i of [...instances]) await stop(i);
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs each retention slot once, also across a restart', async () => {
    const began = Date.now();
    const a = await start();
    let b = await start();
    // Waits for finished runs (not a fixed time): `n` of them started at or after `since`.
    const finishedSince = async (since: Date, n: number) => {
      const deadline = Date.now() + 40_000;
      while (Date.now() < deadline) {
        const count = await a.app.services.prisma.retentionRun.count({
          where: { dryRun: false, finishedAt: { not: null }, startedAt: { gte: since } },
        });
        if (count >= n) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`fewer than ${n} retention runs finished since ${since.toISOString()}`);
    };
    // Two slots run with both instances up (each slot once, whichever instance takes it).
    await finishedSince(new Date(began), 2);
    await stop(b);
    b = await start(); // a restart: must not repeat the slot it already ran, nor stall
    // Two more slots run with both instances up again.
    await finishedSince(new Date(), 2);
    await stop(b);
    await stop(a);
    const slotsElapsed = Math.ceil((Date.now() - began) / 1000 / INTERVAL) + 1;

    // The checking instance runs no jobs: a slot it ran while we count would race the counts.
    const check = await start('off');
    const prisma = check.app.services.prisma;
    const runs = await prisma.retentionRun.findMany({ where: { dryRun: false } });
    const finishes = await prisma.auditEvent.count({ where: { action: 'retention.finished' } });
    const jobs = await prisma.$queryRawUnsafe<{ singleton_on: Date; state: string }[]>(
      `SELECT singleton_on, state::text AS state FROM pgboss.job WHERE name = 'retention.retention'`,
    );
    const completed = jobs.filter((j) => j.state === 'completed');
    expect(runs.length).toBeGreaterThanOrEqual(3);
    // One job per time slot (never one per instance), and one run + one finish event per completed job.
    expect(new Set(jobs.map((j) => j.singleton_on.getTime())).size).toBe(jobs.length);
    expect(runs.length).toBe(completed.length);
    expect(runs.length).toBeLessThanOrEqual(slotsElapsed);
    expect(runs.every((r) => r.finishedAt !== null)).toBe(true);
    expect(finishes).toBe(runs.length);
    await stop(check);
  }, 90_000);

  it('retries a failed queued job with growing delays, on one instance', async () => {
    const a = await start();
    await start();
    attempts.length = 0;
    failuresLeft = 2;
    expect(await a.app.services.jobs.send('flaky.work' as never, {} as never)).toBeTruthy();
    const until = Date.now() + 40_000;
    while (attempts.length < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 3_000)); // no extra attempt after the success
    expect(attempts.length).toBe(3);
    const gaps = [attempts[1] - attempts[0], attempts[2] - attempts[1]];
    expect(gaps[0]).toBeGreaterThanOrEqual(1_000);
    expect(gaps[1]).toBeGreaterThan(gaps[0]);
  }, 90_000);
});
