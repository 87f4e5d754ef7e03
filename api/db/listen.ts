/**
 * LISTEN/NOTIFY for the rest of the app: a channel's payloads, and whether the
 * listener is connected (while it is not, notifications may be lost, so a
 * cache that depends on them must not be trusted). PGlite delivers them in
 * process; on PostgreSQL a dedicated connection (not one of the pool's)
 * listens and reconnects with backoff after it drops.
 */
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export interface ListenHandlers {
  message(payload: string): void;
  /** true once listening (again); false when the connection dropped and notifications may be missed. */
  state(listening: boolean): void;
}

export type Unlisten = () => Promise<void>;

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

export async function listenPGlite(db: PGlite, channel: string, handlers: ListenHandlers): Promise<Unlisten> {
  if (!IDENTIFIER.test(channel)) throw new Error(`bad channel name: ${channel}`);
  const unlisten = await db.listen(channel, (payload) => handlers.message(payload));
  handlers.state(true);
  return async () => {
    handlers.state(false);
    if (!db.closed) await unlisten();
  };
}

export async function listenPostgres(url: string, channel: string, handlers: ListenHandlers): Promise<Unlisten> {
  if (!IDENTIFIER.test(channel)) throw new Error(`bad channel name: ${channel}`);
  let stopped = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  let delayMs = 100;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url, application_name: 'location-platform listener' });
    client = c;
    const down = () => {
      if (client !== c) return;
      client = null;
      handlers.state(false);
      c.end().catch(() => {});
      if (!stopped) retry = setTimeout(() => void connect().catch(() => {}), delayMs);
      delayMs = Math.min(delayMs * 2, 10_000);
    };
    c.on('error', down);
    c.on('end', down);
    c.on('notification', (n) => {
      if (n.channel === channel) handlers.message(n.payload ?? '');
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
    } catch (e) {
      down();
      throw e;
    }
    if (stopped) {
      await c.end().catch(() => {});
      return;
    }
    delayMs = 100;
    handlers.state(true);
  };

  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const c = client;
    client = null;
    handlers.state(false);
    await c?.end().catch(() => {});
  };
}
