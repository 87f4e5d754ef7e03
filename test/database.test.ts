import { describe, expect, it } from 'vitest';
import { openDatabase } from '../api/db/adapters';
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
