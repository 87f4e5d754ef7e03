/**
 * Keys across instances (issue 12, item 5): instances on one database must
 * share the token issuer and the keys; /ready names the difference.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../api/config';
import { createApp, type App } from '../../server/app';
import { startServer, type RunningServer } from '../../server/http-server';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

describe('instances sharing a database', () => {
  let db: TestDatabase;
  const dirs: string[] = [];
  const running: { app: App; server: RunningServer }[] = [];
  const newDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'lp-ident-'));
    dirs.push(d);
    return d;
  };
  const ready = async (dataDir: string, publicUrl: string) => {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      PUBLIC_URL: publicUrl,
      PLUGINS: 'none',
      ...(db.url ? { DATABASE_URL: db.url } : {}),
    });
    const app = await createApp(config, { database: db.database });
    const server = await startServer(app, { port: 0, host: '127.0.0.1' });
    running.push({ app, server });
    const res = await fetch(`http://127.0.0.1:${server.port}/ready`);
    return { status: res.status, body: (await res.json()) as { status: string; checks: Record<string, string> } };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const r of running) {
      await r.server.stop();
      await r.app.close();
    }
    await db?.drop();
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  it('the first instance records its issuer and keys and is ready; a twin is ready too', async () => {
    const shared = newDir();
    const first = await ready(shared, 'http://api.example.test');
    expect(first).toMatchObject({ status: 200, body: { checks: { identity: 'ok' } } });
    const twin = await ready(shared, 'http://api.example.test');
    expect(twin.status).toBe(200);

    const otherKeys = await ready(newDir(), 'http://api.example.test');
    expect(otherKeys.status).toBe(503);
    expect(otherKeys.body.checks.identity).toMatch(/signing keys .* are missing here/);
    expect(otherKeys.body.checks.identity).toMatch(/field-encryption key .* differs/);
    expect(otherKeys.body.checks.database).toBe('ok');

    const otherIssuer = await ready(shared, 'http://elsewhere.example.test');
    expect(otherIssuer.status).toBe(503);
    expect(otherIssuer.body.checks.identity).toContain('token issuer is http://elsewhere.example.test here but http://api.example.test');
  });
});
