/**
 * A node-postgres pool that counts the statements its clients send, so the
 * raw endpoints and PostGraphile report SQL statements per request the way
 * our database adapter does (api/db/adapters.ts stats.statements).
 */
import pg from 'pg';

export interface CountingPool {
  pool: pg.Pool;
  statements(): number;
}

export function countingPool(url: string, max = 10): CountingPool {
  const pool = new pg.Pool({ connectionString: url, max });
  let statements = 0;
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      statements++;
      return query(...args);
    };
  });
  // pool.query checks out a client and calls client.query: counted there.
  return { pool, statements: () => statements };
}
