/**
 * A production install set up only with the documented admin commands:
 * `publish-policy` (the privacy policy texts) and `create-staff`. Afterwards
 * customers can register against the published version and staff can sign in.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../api/config';
import { createApp, type App } from '../server/app';
import { startServer, type RunningServer } from '../server/http-server';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { gql, REGISTER } from './helpers/server';
import { startTestSmtp, type TestSmtp } from './helpers/smtp';

const root = new URL('..', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'lp-fresh-'));
let pgDatabase: TestDatabase | null = null;
let smtp: TestSmtp | null = null;
let app: App | null = null;
let running: RunningServer | null = null;
afterAll(async () => {
  await smtp?.close();
  await running?.stop();
  await app?.close();
  await pgDatabase?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function environment(): Promise<Record<string, string | undefined>> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: 'production',
    PUBLIC_URL: 'https://track.example.test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    // Production refuses to start without mail; the verification mail goes to a real SMTP server in the test.
    SMTP_URL: (smtp ??= await startTestSmtp()).url,
    // As a production install runs it: launch.mjs starts the compiled dist/ (built once per test run by test/global-setup.ts).
    LAUNCH_FROM: 'dist',
  };
  delete env.DATABASE_URL;
  delete env.DEMO_DATA;
  if (process.env.TEST_DATABASE_URL) {
    pgDatabase = await createTestDatabase();
    await pgDatabase.database.close(); // the CLI and the server open their own connections
    env.DATABASE_URL = pgDatabase.url!;
  }
  return env;
}

const admin = (env: Record<string, string | undefined>, args: string[]) =>
  spawnSync('npm', ['run', '--silent', 'admin', '--', ...args], { cwd: root, env, encoding: 'utf8', timeout: 180_000 });

describe('a fresh production install', () => {
  it('accepts registrations after publish-policy and create-staff, and nothing else', async () => {
    const env = await environment();
    const file = join(dataDir, 'privacy-policy.lv.md');
    writeFileSync(file, '# Privātuma politika\n\nMūsu politika.\n');

    const bad = admin(env, ['publish-policy', '--kind', 'PRIVACY_POLICY', '--version', '2026-01-01', '--locale', 'DE', '--file', file]);
    expect(bad.status, bad.stdout + bad.stderr).toBe(1);
    expect(bad.stderr).toMatch(/--locale must be one of LV, EN, RU/);
    const missing = admin(env, [
      'publish-policy',
      '--kind',
      'PRIVACY_POLICY',
      '--version',
      '2026-01-01',
      '--locale',
      'LV',
      '--file',
      join(dataDir, 'nope.md'),
    ]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/--file: cannot read/);

    const lv = admin(env, [
      'publish-policy',
      '--kind',
      'PRIVACY_POLICY',
      '--version',
      '2026-01-01',
      '--locale',
      'LV',
      '--file',
      file,
      '--effective-at',
      '2026-01-01T00:00:00Z',
    ]);
    expect(lv.status, lv.stdout + lv.stderr).toBe(0);
    expect(lv.stdout).toMatch(/PRIVACY_POLICY 2026-01-01 \(LV\) effective 2026-01-01T00:00:00.000Z, sha256 [0-9a-f]{64}/);
    const en = admin(env, [
      'publish-policy',
      '--kind',
      'privacy-policy',
      '--version',
      '2026-01-01',
      '--locale',
      'en',
      '--file',
      join(root, 'seeds/documents/privacy-policy.en.md'),
    ]);
    expect(en.status, en.stdout + en.stderr).toBe(0);
    const again = admin(env, [
      'publish-policy',
      '--kind',
      'PRIVACY_POLICY',
      '--version',
      '2026-01-01',
      '--locale',
      'LV',
      '--file',
      join(root, 'seeds/documents/privacy-policy.lv.md'),
    ]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/published already with another text/);

    const staff = admin({ ...env, STAFF_PASSWORD: 'staff password 1' }, [
      'create-staff',
      '--email',
      'dpo@track.example.test',
      '--role',
      'DPO',
    ]);
    expect(staff.status, staff.stdout + staff.stderr).toBe(0);

    const config = loadConfig(env);
    expect(config.demoData).toBe(false);
    app = await createApp(config);
    running = await startServer(app, { port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${running.port}/graphql`;
    const input = { email: 'first.customer@example.test', password: 'correct horse battery', privacyPolicyVersion: '2026-01-01' };
    const registered = await gql(url, REGISTER, { input });
    expect(registered.errors).toBeUndefined();
    expect(registered.data.register.account.email).toBe('first.customer@example.test');
    const unknown = await gql(url, REGISTER, { input: { ...input, email: 'second@example.test', privacyPolicyVersion: '2025-03-07' } });
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.privacyPolicyVersion' });

    const login = await gql(url, `mutation($i: LoginInput!) { login(input: $i) { account { roles } } }`, {
      i: { email: 'dpo@track.example.test', password: 'staff password 1' },
    });
    expect(login.data.login.account.roles).toEqual(['DPO']);
    const text = await fetch(`http://127.0.0.1:${running.port}/policies/privacy-policy/2026-01-01/lv`);
    expect(await text.text()).toBe('# Privātuma politika\n\nMūsu politika.\n');
  }, 600_000);
});
