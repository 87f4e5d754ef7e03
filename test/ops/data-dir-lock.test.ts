/**
 * The admin CLI next to a running server on the embedded database (issue 12,
 * item 10): the data directory's lock refuses a second process with a clear
 * message and changes nothing; a lock left by a dead process is taken over.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from '../../api/db/data-dir-lock';

const root = new URL('../..', import.meta.url).pathname;
const dirs: string[] = [];
const dataDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'lp-lock-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('embedded data directory lock', () => {
  it('refuses the admin CLI while another process holds the data directory, and leaves the files alone', () => {
    const dir = dataDir();
    const pglite = join(dir, 'pglite');
    mkdirSync(pglite, { recursive: true });
    const release = lockDataDir(pglite); // this test process plays the running server
    try {
      const env: Record<string, string | undefined> = {
        ...process.env,
        DATA_DIR: dir,
        NODE_ENV: 'development',
        STAFF_PASSWORD: 'staff password 1',
        LAUNCH_FROM: 'dist', // the dist/ build of test/global-setup.ts (no tsx compilation in the child)
      };
      delete env.DATABASE_URL;
      const r = spawnSync('npm', ['run', '--silent', 'admin', '--', 'create-staff', '--email', 'ops@example.lv', '--role', 'ADMIN'], {
        cwd: root,
        env,
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`The embedded database in ${pglite} is in use by another process (pid ${process.pid}`);
      expect(r.stderr).toMatch(/stop the server before running this command/);
      expect(existsSync(join(pglite, 'PG_VERSION'))).toBe(false); // PGlite never opened the directory
      expect(JSON.parse(readFileSync(`${pglite}.lock`, 'utf8')).pid).toBe(process.pid);
    } finally {
      release();
    }
    expect(existsSync(`${pglite}.lock`)).toBe(false);
  });

  it('refuses a second holder in the same process with DataDirLockedError', () => {
    const dir = join(dataDir(), 'pglite');
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}.lock`, JSON.stringify({ pid: process.ppid, host: hostname(), command: 'main.js', since: 'now' }));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
  });

  it('takes over a lock whose process is gone', () => {
    const dir = join(dataDir(), 'pglite');
    mkdirSync(dir, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${dir}.lock`, JSON.stringify({ pid: Number(dead.stdout), host: hostname(), command: 'main.js', since: 'then' }));
    const release = lockDataDir(dir);
    expect(JSON.parse(readFileSync(`${dir}.lock`, 'utf8')).pid).toBe(process.pid);
    release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });
});
