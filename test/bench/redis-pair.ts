/**
 * Two more instances of our server on the bench database, sharing Redis at
 * 127.0.0.1:6379 (as test/live-redis.test.ts starts them) and the first
 * server's data directory (same signing keys, so its tokens work on both).
 * Null when Redis is not reachable.
 */
import { connect } from 'node:net';
import { loadConfig } from '../../api/config';
import { openDatabase, type Database } from '../../api/db/adapters';
import { createApp, type App } from '../../server/app';
import { startServer, type RunningServer } from '../../server/http-server';

export const REDIS_URL = 'redis://127.0.0.1:6379';

export interface Instance {
  app: App;
  running: RunningServer;
  database: Database;
  graphqlUrl: string;
  wsUrl: string;
}

export const redisReachable = () =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: 6379 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });

export async function startRedisPair(databaseUrl: string, dataDir: string): Promise<Instance[] | null> {
  if (!(await redisReachable())) return null;
  const instances: Instance[] = [];
  for (let i = 0; i < 2; i++) {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      PUBLIC_URL: 'http://localhost:4000',
      RATE_LIMIT_REQUESTS: '1000000',
      RATE_LIMIT_SIGNIN_ATTEMPTS: '1000000',
      RATE_LIMIT_ANONYMOUS_WRITES: '1000000',
      REDIS_URL,
      DATABASE_URL: databaseUrl,
    });
    const database = await openDatabase({ kind: 'postgres', url: databaseUrl });
    const app = await createApp(config, { database });
    const running = await startServer(app, { port: 0, host: '127.0.0.1' });
    instances.push({
      app,
      running,
      database,
      graphqlUrl: `http://127.0.0.1:${running.port}/graphql`,
      wsUrl: `ws://127.0.0.1:${running.port}/graphql`,
    });
  }
  return instances;
}

export async function stopInstances(instances: Instance[]) {
  for (const i of instances) {
    await i.running.stop();
    await i.app.close();
    await i.database.close();
  }
}
