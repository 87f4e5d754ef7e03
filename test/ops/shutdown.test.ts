/**
 * Graceful stop (issue 12, item 1): a request in flight finishes, WebSockets
 * close with 1001 (going away), new connections are refused, and the whole
 * stop takes well under 10 s. (SIGTERM to the process and its exit code:
 * test/entrypoints.test.ts for `npm start`, .ci/production-path.sh for
 * `npm run serve`.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../api/config';
import { createApp, type App } from '../../server/app';
import { startServer, type RunningServer } from '../../server/http-server';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

describe('graceful stop', () => {
  let db: TestDatabase;
  let app: App;
  let running: RunningServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lp-stop-'));
    db = await createTestDatabase();
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      PUBLIC_URL: 'http://localhost:4000',
      PLUGINS: 'none',
      ...(db.url ? { DATABASE_URL: db.url } : {}),
    });
    app = await createApp(config, { database: db.database });
    app.plugins.push({
      name: 'slow',
      description: 'test only',
      routes: [
        { method: 'GET', path: '/slow', handler: async () => (await new Promise((r) => setTimeout(r, 1500)), new Response('done')) },
      ],
    });
    running = await startServer(app, { port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes in-flight requests, closes WebSockets with 1001 and refuses new connections', async () => {
    const base = `http://127.0.0.1:${running.port}`;
    const ws = new WebSocket(`ws://127.0.0.1:${running.port}/graphql`, 'graphql-transport-ws');
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: {} })));
      ws.on('message', (m) => JSON.parse(String(m)).type === 'connection_ack' && resolve());
      ws.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

    const inFlight = fetch(`${base}/slow`).then(async (r) => ({ status: r.status, body: await r.text() }));
    await new Promise((r) => setTimeout(r, 300)); // the request is being handled
    const started = Date.now();
    const stopped = running.stop();

    expect(await closed).toBe(1001);
    expect(await inFlight).toEqual({ status: 200, body: 'done' });
    await new Promise((r) => setTimeout(r, 100));
    await expect(fetch(`${base}/health`)).rejects.toThrow();
    await stopped;
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
