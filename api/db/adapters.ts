/**
 * Driver adapters: embedded PGlite (default) or PostgreSQL (DATABASE_URL).
 * Both speak the same SQL dialect and share one schema and one set of migrations.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery, SqlResultSet } from '@prisma/driver-adapter-utils';
import { lockDataDir } from './data-dir-lock';
import { listenPGlite, listenPostgres, type ListenHandlers, type Unlisten } from './listen';

export type DatabaseTarget =
  /** `initialData`: start an in-memory database from this dump (PGlite's dumpDataDir) instead of an empty cluster. */
  | { kind: 'pglite'; dataDir: string | null; initialData?: Blob }
  /** `preparedStatements: false`: PREPARED statements go unnamed (a pooler in transaction mode in front, see PREPARED). */
  | { kind: 'postgres'; url: string; preparedStatements?: boolean };

export interface Database {
  target: DatabaseTarget;
  /** Adapter factory for the Prisma client and the schema engine. */
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** Runs plain SQL outside Prisma (used by tests to count statements and to tamper). */
  close(): Promise<void>;
  /** Statement counter, incremented for every SQL statement sent (tests read it). */
  stats: StatementStats;
  /**
   * Runs one statement on the driver adapter Prisma uses, past Prisma's query engine: for hot reads of many rows,
   * where the engine's compiling and mapping cost 0.8 ms of CPU for 100 location points against 0.2 ms here
   * (issue 18). Same connections, same argument and value conversions, counted like every statement; rows come
   * as arrays in the order of the SELECT list (see rows.ts). Not inside a Prisma transaction.
   */
  queryRows(query: SqlQuery): Promise<SqlResultSet>;
  /** PGlite only: the whole cluster as a tarball (tests keep a migrated one as a template). */
  dumpDataDir?(): Promise<Blob>;
  /** LISTEN on a channel (api/db/listen.ts): NOTIFY payloads once their transaction commits, and the listener's state. */
  listen(channel: string, handlers: ListenHandlers): Promise<Unlisten>;
  /**
   * PostgreSQL only: a factory on one connection of its own, for the schema
   * engine. Its migration lock is a session-level advisory lock: taken and
   * released through a pool, the unlock can go to another connection and the
   * lock stay held by an idle one, so the next instance's migrations wait
   * until that connection closes. `close()` ends the connection.
   */
  singleConnection?(): { factory: SqlMigrationAwareDriverAdapterFactory; close(): Promise<void> };
}

/** Statements sent; `trace`, when a test sets it to an array, receives each statement's SQL text too. */
export interface StatementStats {
  statements: number;
  trace?: string[];
}

export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === 'pglite') return target.dataDir ? `PGlite (${target.dataDir})` : 'PGlite (in memory)';
  const u = new URL(target.url);
  return `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`;
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  const stats: StatementStats = { statements: 0 };
  if (target.kind === 'pglite') {
    if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
    // One process per data directory (see data-dir-lock.ts): refuse before touching the files.
    const release = target.dataDir ? lockDataDir(target.dataDir) : () => {};
    let pg: PGlite;
    try {
      pg =
        target.initialData && !target.dataDir ? new PGlite({ loadDataDir: target.initialData }) : new PGlite(target.dataDir ?? undefined);
      await pg.waitReady;
    } catch (e) {
      release();
      throw e;
    }
    const factory = countingFactory(new PrismaPGlite(pg) as unknown as SqlMigrationAwareDriverAdapterFactory, stats, pg);
    return {
      target,
      factory,
      stats,
      queryRows: rowReader(factory),
      dumpDataDir: () => pg.dumpDataDir('none'),
      listen: (channel, handlers) => listenPGlite(pg, channel, handlers),
      close: async () => {
        if (!pg.closed) await pg.close();
        release();
      },
    };
  }
  // One pool for Prisma and queryRows; ours to end (close()), not the adapter's.
  const pool = new pg.Pool({ connectionString: target.url, max: 10, allowExitOnIdle: true });
  // An idle connection that fails (server restart, terminated backend, also one still closing after close()) is
  // dropped by the pool, and the next query opens a new one; unheard, the pool's 'error' event would end the process.
  pool.on('error', () => {});
  let ended: Promise<void> | null = null;
  const pgFactory = new PrismaPg(
    pool,
    target.preparedStatements === false ? {} : { statementNameGenerator: preparedStatementName as never },
  );
  const factory = countingFactory(pgFactory as unknown as SqlMigrationAwareDriverAdapterFactory, stats, null);
  // GENERIC_PLAN statements: a few connections of their own that plan them once (see GENERIC_PLAN). Not behind a
  // pooler that does not keep prepared statements (which may also refuse the startup option).
  const genericPool =
    target.preparedStatements === false
      ? null
      : new pg.Pool({ connectionString: target.url, max: 4, allowExitOnIdle: true, options: '-c plan_cache_mode=force_generic_plan' });
  genericPool?.on('error', () => {});
  const genericFactory = genericPool
    ? countingFactory(
        new PrismaPg(genericPool, {
          statementNameGenerator: preparedStatementName as never,
        }) as unknown as SqlMigrationAwareDriverAdapterFactory,
        stats,
        null,
      )
    : null;
  const singleConnection = () => {
    const pool = new pg.Pool({ connectionString: target.url, max: 1 });
    const single = countingFactory(new PrismaPg(pool) as unknown as SqlMigrationAwareDriverAdapterFactory, stats, null);
    return { factory: single, close: () => pool.end() };
  };
  return {
    target,
    factory,
    stats,
    singleConnection,
    queryRows: rowReader(factory, genericFactory),
    listen: (channel, handlers) => listenPostgres(target.url, channel, handlers),
    close: () => (ended ??= Promise.all([pool.end(), genericPool?.end()]).then(() => {})),
  };
}

/**
 * queryRows: one adapter connected on first use (over the shared pool, or PGlite's one connection) and kept; a
 * GENERIC_PLAN statement goes to the generic plans' pool where there is one.
 */
function rowReader(
  factory: SqlMigrationAwareDriverAdapterFactory,
  genericFactory: SqlMigrationAwareDriverAdapterFactory | null = null,
): (query: SqlQuery) => Promise<SqlResultSet> {
  const connected = (f: SqlMigrationAwareDriverAdapterFactory) => {
    let adapter: Promise<SqlDriverAdapter> | null = null;
    return async (query: SqlQuery) => {
      adapter ??= f.connect().catch((e: unknown) => {
        adapter = null;
        throw e;
      });
      return (await adapter).queryRaw(query);
    };
  };
  const shared = connected(factory);
  const generic = genericFactory ? connected(genericFactory) : null;
  return (query) => (generic && query.sql.startsWith(GENERIC_PLAN) ? generic(query) : shared(query));
}

/**
 * SQL that starts with this comment is sent to PostgreSQL as a named prepared
 * statement: parsed once per connection, and planned once too where PostgreSQL
 * finds its generic plan as good as a custom one. Only for hot statements of a
 * few fixed texts (ingestion's store: planning its CTEs cost as much as running
 * them; the device access facts, the history page's reads, the device list's
 * first page and count): each distinct text stays prepared on every pooled
 * connection. PGlite ignores it. A pooler in transaction mode (e.g. PgBouncer
 * before 1.21) does not keep prepared statements: DATABASE_PREPARED_STATEMENTS=off
 * sends these unnamed too. Reads of the partitioned LocationPoint keep custom
 * plans here (their generic plan's cost counts every partition, so PostgreSQL
 * never picks it), which saves the parsing only: measured 1.2–1.3 against
 * 1.3–1.4 ms per history page read; GENERIC_PLAN forces the generic one.
 */
export const PREPARED = '/* prepared */';

/**
 * A PREPARED statement that runs with a generic plan, planned once per
 * connection, on a few connections of their own (plan_cache_mode =
 * force_generic_plan; PostgreSQL prunes the partitions when it runs the plan):
 * the history page's reads of the partitioned LocationPoint, whose custom plan
 * costs more to make (0.4–0.5 ms over the daily partitions) than to run. Only
 * where a generic plan is known to be good for every argument; on PGlite, and
 * with DATABASE_PREPARED_STATEMENTS=off, it is a plain PREPARED statement.
 */
export const GENERIC_PLAN = `${PREPARED}/* generic plan */`;

const preparedNames = new Map<string, string>();

function preparedStatementName(query: { sql: string }): string | undefined {
  if (!query.sql.startsWith(PREPARED)) return undefined;
  let name = preparedNames.get(query.sql);
  if (!name) preparedNames.set(query.sql, (name = `p_${createHash('sha1').update(query.sql).digest('hex').slice(0, 24)}`));
  return name;
}

/**
 * Wraps an adapter factory so every statement is counted, and fixes
 * executeScript (used by migrations) in both adapters: PGlite's fires and
 * forgets (errors lost), adapter-pg's splits on ";" (breaks $$ bodies).
 */
function countingFactory(
  inner: SqlMigrationAwareDriverAdapterFactory,
  stats: StatementStats,
  pglite: PGlite | null,
): SqlMigrationAwareDriverAdapterFactory {
  const wrapQueryable = <T extends object>(q: T): T =>
    new Proxy(q, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop === 'queryRaw' || prop === 'executeRaw') {
          return (...args: unknown[]) => {
            stats.statements++;
            stats.trace?.push((args[0] as { sql?: string } | undefined)?.sql ?? String(prop));
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        if (prop === 'executeScript' && pglite) {
          return async (script: string) => {
            stats.statements++;
            await pglite.exec(script);
          };
        }
        if (prop === 'executeScript' && typeof (target as { underlyingDriver?: unknown }).underlyingDriver === 'function') {
          // adapter-pg splits scripts on every ";", which breaks function bodies
          // ($$ ... $$) in migrations. Send the script whole: PostgreSQL's simple
          // query protocol runs several statements in one round trip, atomically.
          return async (script: string) => {
            stats.statements++;
            const driver = (target as unknown as { underlyingDriver(): { query(sql: string): Promise<unknown> } }).underlyingDriver();
            try {
              await driver.query(script);
            } catch (e) {
              (target as unknown as { onError(e: unknown): never }).onError(e);
            }
          };
        }
        if (prop === 'startTransaction') {
          return async (...args: unknown[]) => {
            const tx = await (value as (...a: unknown[]) => Promise<object>).apply(target, args);
            return wrapQueryable(tx);
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === 'connect' || prop === 'connectToShadowDb') {
        return async () => wrapQueryable(await (value as () => Promise<object>).apply(target));
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as SqlMigrationAwareDriverAdapterFactory;
}
