/**
 * Issue 11: a Redis outage. Two instances share a database and a Redis server
 * that this test starts and kills itself (never the shared one on 6379).
 * While Redis is down both instances keep serving HTTP and ingestion, /ready
 * says redis: "down", sign-in still works (the in-memory insurance limiter);
 * when Redis is back, live updates across instances resume by themselves.
 * Sign-in failures are counted across instances while Redis is up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../api/config';
import { createApp, type App } from '../server/app';
import { startServer, type RunningServer } from '../server/http-server';
import { seedPolicies } from '../seeds';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { errorCodes, signUp, testServerFor, type TestServer } from './helpers/server';
import { createDevice, recordPoint, subscribe, wsClient, sleep } from './helpers/sharing-fixtures';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const deadline = Date.now() + 20_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start on ${port}`);
    await sleep(100);
  }
  return child;
}

const stopRedis = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

interface Instance {
  app: App;
  running: RunningServer;
  server: TestServer;
}

describe('Redis outage', () => {
  let db: TestDatabase;
  let dataDir: string;
  let port: number;
  let redis: ChildProcess | undefined;
  const instances: Instance[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    port = await freePort();
    redis = await startRedis(port);
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'lp-redis-outage-'));
    for (let i = 0; i < 2; i++) {
      const config = loadConfig({
        NODE_ENV: 'test',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        PUBLIC_URL: 'http://localhost:4000',
        PLUGINS: 'none',
        REDIS_URL: `redis://127.0.0.1:${port}`,
        RATE_LIMIT_SIGNIN_FAILURES: '3',
        ...(db.url ? { DATABASE_URL: db.url } : {}),
      });
      const app = await createApp(config, { database: db.database });
      if (i === 0) await seedPolicies(app);
      const running = await startServer(app, { port: 0, host: '127.0.0.1' });
      const server = testServerFor(app, running, db.database, dataDir);
      instances.push({ app, running, server });
    }
  }, 300_000);

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    for (const i of instances) {
      await i.running.stop();
      await i.app.close();
    }
    if (redis) await stopRedis(redis);
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { accessToken } }`;
  const ready = async (s: TestServer) => (await fetch(`${s.url}/ready`)).json();

  it('counts sign-in failures across instances while Redis is up', async () => {
    const [a, b] = instances.map((i) => i.server);
    const user = await signUp(a);
    for (const s of [a, b, a])
      expect(errorCodes(await s.gql(LOGIN, { i: { email: user.email, password: 'wrong' } }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await b.gql(LOGIN, { i: { email: user.email, password: user.password } }))).toEqual(['RATE_LIMITED']);
  });

  it('keeps serving while Redis is down and resumes live delivery when it is back', { timeout: 120_000 }, async () => {
    const [a, b] = instances.map((i) => i.server);
    const owner = await signUp(a);
    const device = await createDevice(a, owner, 'Outage phone');
    expect(await ready(a)).toMatchObject({ status: 'ready', checks: { redis: 'ok' } });

    const client = wsClient(b, owner.accessToken);
    try {
      const sub = subscribe(client, `subscription($ids: [ID!]) { locationUpdated(deviceIds: $ids) { latitude } }`, { ids: [device.id] });
      const deliveredWithin = async (ms: number) => {
        const start = sub.results.length;
        const deadline = Date.now() + ms;
        let lat = 56.9 + Math.random() / 100;
        while (sub.results.length === start && Date.now() < deadline) {
          await recordPoint(a, device, new Date(), (lat += 0.0001));
          await sleep(250);
        }
        return sub.results.length > start;
      };
      expect(await deliveredWithin(10_000)).toBe(true);

      await stopRedis(redis!);
      // Points are still stored (publishing fails quietly), sign-in still works, /ready reports Redis down.
      for (let i = 0; i < 3; i++) await recordPoint(a, device, new Date(), 57 + i / 1000);
      await sleep(500);
      for (let i = 0; i < 3; i++) await recordPoint(a, device, new Date(), 57.1 + i / 1000);
      expect((await a.gql(LOGIN, { i: { email: owner.email, password: owner.password } })).errors).toBeUndefined();
      expect((await b.gql(`{ me { id } }`, {}, { token: owner.accessToken })).data.me.id).toBe(owner.id);
      expect(await ready(a)).toMatchObject({ status: 'ready', checks: { redis: expect.not.stringMatching(/^ok$/) } });
      expect(sub.error).toBeUndefined();

      redis = await startRedis(port);
      // Reconnect and re-subscribe happen by themselves.
      expect(await deliveredWithin(15_000)).toBe(true);
      expect(await ready(b)).toMatchObject({ status: 'ready', checks: { redis: 'ok' } });
      expect(unhandled).toEqual([]);
    } finally {
      await client.dispose();
    }
  });
});
