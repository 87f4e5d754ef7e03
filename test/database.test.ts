import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client';
import { GENERIC_PLAN, openDatabase, PREPARED } from '../api/db/adapters';
import { TEXT } from '../api/db/arg-types';
import { applyMigrations, pendingSchemaChange, readMigrations } from '../api/db/migrations';
import { mergedSchema, migrationsDir } from '../api/db/prisma-files';
import { createTestDatabase } from './helpers/database';

describe('migrations', () => {
  it('apply on an empty database, and applying them again is a no-op', async () => {
    const db = await createTestDatabase({ empty: true });
    try {
      const first = await applyMigrations(db.database, migrationsDir);
      expect(first).toEqual(readMigrations(migrationsDir).migrationDirectories.map((d) => d.path));
      expect(await applyMigrations(db.database, migrationsDir)).toEqual([]);
    } finally {
      await db.drop();
    }
  });

  it('are in sync with the merged Prisma schema (core + plugins): no schema change lacks its migration', async () => {
    expect(await pendingSchemaChange(mergedSchema(), migrationsDir)).toBe('');
  });

  it('persist in the embedded database across restarts of the data directory', async () => {
    const dir = `/tmp/lp-persist-${process.pid}-${Date.now()}`;
    const a = await openDatabase({ kind: 'pglite', dataDir: dir });
    expect((await applyMigrations(a, migrationsDir)).length).toBeGreaterThan(0);
    await a.close();
    const b = await openDatabase({ kind: 'pglite', dataDir: dir });
    expect(await applyMigrations(b, migrationsDir)).toEqual([]);
    await b.close();
  });
});

describe('the PostgreSQL pool', () => {
  const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

  it('sends hot statements as named prepared statements, or unnamed with DATABASE_PREPARED_STATEMENTS=off', async () => {
    const db = await createTestDatabase({ postgresUrl, empty: true });
    try {
      for (const preparedStatements of [true, false]) {
        const d = await openDatabase({ kind: 'postgres', url: db.url!, preparedStatements });
        try {
          await d.queryRows({ sql: `${PREPARED}SELECT 1 AS hot_${preparedStatements}`, args: [], argTypes: [] });
          // Sequential queries reuse the pool's most recently released connection (pg-pool keeps its idle ones LIFO).
          const named = await d.queryRows({
            sql: `SELECT count(*)::int FROM pg_prepared_statements WHERE statement = $1`,
            args: [`${PREPARED}SELECT 1 AS hot_${preparedStatements}`],
            argTypes: [TEXT],
          });
          expect(named.rows[0][0]).toBe(preparedStatements ? 1 : 0);
        } finally {
          await d.close();
        }
      }
    } finally {
      await db.drop();
    }
  });

  it('runs GENERIC_PLAN statements with generic plans, on connections of their own; other statements plan as PostgreSQL chooses', async () => {
    const db = await createTestDatabase({ postgresUrl, empty: true });
    const mode = `SELECT current_setting('plan_cache_mode') AS mode`;
    try {
      for (const preparedStatements of [true, false]) {
        const d = await openDatabase({ kind: 'postgres', url: db.url!, preparedStatements });
        try {
          const generic = await d.queryRows({ sql: `${GENERIC_PLAN}${mode}`, args: [], argTypes: [] });
          const prepared = await d.queryRows({ sql: `${PREPARED}${mode}`, args: [], argTypes: [] });
          const plain = await d.queryRows({ sql: mode, args: [], argTypes: [] });
          // Behind a pooler that keeps no prepared statements (off), no connection option is sent either.
          expect([generic.rows[0][0], prepared.rows[0][0], plain.rows[0][0]]).toEqual([
            preparedStatements ? 'force_generic_plan' : 'auto',
            'auto',
            'auto',
          ]);
        } finally {
          await d.close();
        }
      }
    } finally {
      await db.drop();
    }
  });

  it('survives its idle connections being terminated (server restart, DROP ... WITH FORCE): the next query opens a new one', async () => {
    const db = await createTestDatabase({ postgresUrl });
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    try {
      const one = { sql: 'SELECT 1::int', args: [], argTypes: [] };
      // Several idle connections in the pool, opened by a Prisma client that then disconnects (as an app's close()
      // does before its database is dropped): the adapter takes its error listener off the pool with it.
      const prisma = new PrismaClient({ adapter: db.database.factory });
      await Promise.all(Array.from({ length: 4 }, () => prisma.$queryRawUnsafe('SELECT 1 AS one FROM pg_sleep(0.05)')));
      await prisma.$disconnect();
      const name = new URL(db.url!).pathname.slice(1);
      const killed = await admin.query(`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1`, [
        name,
      ]);
      expect(killed.rows[0].n).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 100)); // the errors reach the idle clients (unheard, they would end this process)
      expect((await db.database.queryRows(one)).rows).toEqual([[1]]);
    } finally {
      await admin.end();
      await db.drop();
    }
  });
});
