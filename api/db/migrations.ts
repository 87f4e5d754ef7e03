/**
 * Applies the committed migrations (schema/migrations, Prisma's folder format,
 * recorded in the standard _prisma_migrations table) and creates new ones from
 * a schema change by diffing a scratch database built from the existing
 * migrations against the merged schema.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { openDatabase, type Database } from './adapters';
import { openSchemaEngine } from './schema-engine';

const noFilter = { externalTables: [], externalEnums: [] };
/** The engine needs a schema to know the provider; applying migrations needs nothing else. */
const datasourceOnly = { path: 'schema.prisma', content: 'datasource db {\n  provider = "postgresql"\n}\n' };

export function readMigrations(dir: string): MigrationList {
  const dirs = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const lockPath = join(dir, 'migration_lock.toml');
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => {
      const file = join(dir, name, 'migration.sql');
      return {
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: existsSync(file)
            ? { tag: 'ok' as const, value: readFileSync(file, 'utf8') }
            : { tag: 'error' as const, value: `missing ${file}` },
        },
      };
    }),
  };
}

/** Applies every pending migration; returns the names applied now (empty when up to date). */
export async function applyMigrations(db: Database, migrationsDir: string): Promise<string[]> {
  // PostgreSQL: one connection, so the engine's advisory lock is released where it was taken (see Database.singleConnection).
  const own = db.singleConnection?.();
  try {
    const engine = await openSchemaEngine(own?.factory ?? db.factory, [datasourceOnly]);
    try {
      const out = await engine.applyMigrations({ migrationsList: readMigrations(migrationsDir), filters: noFilter });
      return out.appliedMigrationNames;
    } finally {
      engine.free();
    }
  } finally {
    await own?.close();
  }
}

/** SQL that takes a database built from the migrations to the given schema ('' when in sync). */
export async function pendingSchemaChange(schemaText: string, migrationsDir: string): Promise<string> {
  const scratch = await openDatabase({ kind: 'pglite', dataDir: null });
  try {
    await applyMigrations(scratch, migrationsDir);
    const files = [{ path: 'schema.prisma', content: schemaText }];
    const engine = await openSchemaEngine(scratch.factory, files);
    try {
      const result = await engine.diff({
        from: { tag: 'schemaDatasource', files, configDir: process.cwd() },
        to: { tag: 'schemaDatamodel', files },
        script: true,
        exitCode: null,
        filters: noFilter,
      });
      const sql = (result.stdout ?? '').trim();
      return /^-- This is an empty migration\.?$/.test(sql) ? '' : sql;
    } finally {
      engine.free();
    }
  } finally {
    await scratch.close();
  }
}

export function writeMigration(migrationsDir: string, name: string, sql: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  const folder = `${stamp}_${name.replace(/[^a-z0-9_]+/gi, '_').toLowerCase()}`;
  mkdirSync(join(migrationsDir, folder), { recursive: true });
  writeFileSync(join(migrationsDir, folder, 'migration.sql'), `${sql}\n`);
  const lock = join(migrationsDir, 'migration_lock.toml');
  if (!existsSync(lock)) writeFileSync(lock, '# Do not edit: the migration provider.\nprovider = "postgresql"\n');
  return folder;
}
