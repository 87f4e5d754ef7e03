/**
 * The README's commands, run as a user would: every entry point works on an
 * empty data directory (it migrates first), and the server shuts down cleanly.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gql } from './helpers/server';

const root = new URL('..', import.meta.url).pathname;
const dirs: string[] = [];
const emptyDataDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'lp-entry-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const baseEnv = (dataDir: string, extra: Record<string, string> = {}) => {
  const env: Record<string, string | undefined> = {
    ...process.env,
    DATA_DIR: dataDir,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    ...extra,
  };
  delete env.DATABASE_URL;
  if (process.env.TEST_DATABASE_URL) delete env.TEST_DATABASE_URL;
  return env;
};

const npm = (args: string[], env: NodeJS.ProcessEnv) => spawnSync('npm', args, { cwd: root, env, encoding: 'utf8', timeout: 170_000 });

describe('entry points on an empty data directory', () => {
  it('`npm start` migrates, seeds the demo data, serves /graphql on PORT/HOST, and stops on SIGTERM', { timeout: 180_000 }, async () => {
    const dataDir = emptyDataDir();
    const port = await freePort();
    const child = spawn('npm', ['start'], {
      cwd: root,
      env: baseEnv(dataDir, { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' }),
      stdio: 'pipe',
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    try {
      let healthy = false;
      for (let i = 0; i < 120 && !healthy; i++) {
        await new Promise((r) => setTimeout(r, 500));
        healthy = await fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.ok,
          () => false,
        );
      }
      expect(healthy, output).toBe(true);
      expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
      const login = await gql(
        `http://127.0.0.1:${port}/graphql`,
        `mutation { login(input: { email: "anna@example.lv", password: "demo-password-1" }) { account { email } } }`,
      );
      expect(login.data.login.account.email).toBe('anna@example.lv');
    } finally {
      process.kill(-child.pid!, 'SIGTERM'); // as a terminal or process manager does: the whole process group
    }
    await exited;
    await new Promise((r) => setTimeout(r, 200));
    expect(output).toContain('"signal":"SIGTERM","msg":"shutting down"');
    expect(output).toContain('"signal":"SIGTERM","msg":"stopped"');
  });

  // Each step starts the app in a new process. `npm start` above runs the sources through tsx; the commands below run
  // the same npm scripts and launcher on the dist/ build (test/global-setup.ts), as a production install does.
  it('`npm run db:migrate` migrates an empty data directory, then reports it up to date', { timeout: 180_000 }, () => {
    const env = baseEnv(emptyDataDir(), { LAUNCH_FROM: 'dist' });
    const first = npm(['run', '--silent', 'db:migrate'], env);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/applied .*_init/);
    const second = npm(['run', '--silent', 'db:migrate'], env);
    expect(second.stdout).toMatch(/is up to date/);
  });

  it('`npm run admin -- create-staff` creates a staff account that can sign in with its role', { timeout: 180_000 }, () => {
    const env = baseEnv(emptyDataDir(), { STAFF_PASSWORD: 'staff password 1', LAUNCH_FROM: 'dist' });
    const r = npm(['run', '--silent', 'admin', '--', 'create-staff', '--email', 'Dpo@Example.lv', '--role', 'DPO'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('staff account dpo@example.lv has roles DPO');
    const bad = npm(['run', '--silent', 'admin', '--', 'create-staff', '--email', 'x@example.lv', '--role', 'KING'], env);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('--role must be one of');
  });

  it('refuses to start with bad configuration and says what is wrong', { timeout: 180_000 }, () => {
    const r = npm(['start'], baseEnv(emptyDataDir(), { PORT: 'eighty', LAUNCH_FROM: 'dist' }));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('PORT must be a whole number');
  });
});
