/**
 * A fresh database for one test: in-memory PGlite by default, or a new
 * PostgreSQL database on TEST_DATABASE_URL's server (dropped afterwards).
 *
 * An empty PGlite cluster costs an initdb (seconds of WebAssembly) and then
 * every migration. Tests start about a hundred of them, so in-memory
 * databases start from a migrated template instead: one dump per set of
 * migrations (keyed by their contents and the PGlite version), made once and
 * kept in the OS temp directory for every test process. The app's own start
 * still runs the migrator, which finds nothing to do. `{ empty: true }`
 * gives a bare cluster (the migration tests need one).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../api/db/adapters';
import { applyMigrations } from '../../api/db/migrations';
import { migrationsDir } from '../../api/db/prisma-files';

export interface TestDatabase {
  database: Database;
  url: string | null;
  drop(): Promise<void>;
}

export async function createTestDatabase(options: { empty?: boolean; postgresUrl?: string } = {}): Promise<TestDatabase> {
  // `postgresUrl`: a PostgreSQL server for this database even on the PGlite run (tests of PostgreSQL-only features).
  const base = options.postgresUrl ?? process.env.TEST_DATABASE_URL;
  if (!base) {
    const initialData = options.empty ? undefined : new Blob([await migratedTemplate()]);
    const database = await openDatabase({ kind: 'pglite', dataDir: null, initialData });
    return { database, url: null, drop: () => database.close() };
  }
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString() });
  return {
    database,
    url: url.toString(),
    drop: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

let template: Promise<Uint8Array<ArrayBuffer>> | undefined;

/** The dump of an in-memory PGlite with every migration applied (made once per set of migrations). */
function migratedTemplate(): Promise<Uint8Array<ArrayBuffer>> {
  template ??= (async () => {
    const file = join(tmpdir(), `lp-pglite-template-${migrationsKey()}.tar`);
    if (existsSync(file)) return new Uint8Array(readFileSync(file));
    const db = await openDatabase({ kind: 'pglite', dataDir: null });
    try {
      await applyMigrations(db, migrationsDir);
      const dump = await db.dumpDataDir!();
      const bytes = new Uint8Array(await dump.arrayBuffer());
      // Written under a private name, then renamed: test processes racing here each write a whole file.
      const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
      writeFileSync(partial, bytes);
      renameSync(partial, file);
      return bytes;
    } finally {
      await db.close();
    }
  })();
  return template;
}

function migrationsKey(): string {
  const hash = createHash('sha256');
  const pgliteDist = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  const version = JSON.parse(readFileSync(join(pgliteDist, '..', 'package.json'), 'utf8')).version;
  hash.update(`pglite ${version}\n`);
  for (const name of readdirSync(migrationsDir).sort()) {
    const sql = join(migrationsDir, name, 'migration.sql');
    if (existsSync(sql)) hash.update(`${name}\n`).update(readFileSync(sql));
  }
  return hash.digest('hex').slice(0, 16);
}
