/**
 * Issue 11: DATA_DIR holds the embedded database and the keys. It is created
 * owner-only (0700, the database inside it too); key files left with loose
 * modes (by a copy or an old version) are tightened to 0600 with a warning.
 */
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../api/config';
import { createApp } from '../server/app';
import { ensurePrivateFile } from '../api/util/private-files';

const mode = (p: string) => statSync(p).mode & 0o777;
const parent = mkdtempSync(join(tmpdir(), 'lp-datadir-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe('data directory permissions', () => {
  it(
    'creates DATA_DIR, the embedded database and the keys owner-only, and tightens loose key files on the next start',
    { timeout: 300_000 },
    async () => {
      const dataDir = join(parent, 'data');
      const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent', PLUGINS: 'none' });
      const app = await createApp(config);
      await app.close();
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(join(dataDir, 'pglite'))).toBe(0o700);
      expect(mode(join(dataDir, 'keys'))).toBe(0o700);
      expect(mode(join(dataDir, 'keys', 'signing-keys.json'))).toBe(0o600);
      expect(mode(join(dataDir, 'keys', 'field-keys.json'))).toBe(0o600);

      chmodSync(dataDir, 0o755);
      chmodSync(join(dataDir, 'keys', 'signing-keys.json'), 0o644);
      chmodSync(join(dataDir, 'keys', 'field-keys.json'), 0o666);
      const lines: string[] = [];
      const write = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((chunk: string | Uint8Array) => (lines.push(String(chunk)), true)) as typeof process.stderr.write;
      try {
        const again = await createApp(loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'warn', PLUGINS: 'none' }));
        await again.close();
      } finally {
        process.stderr.write = write;
      }
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(join(dataDir, 'keys', 'signing-keys.json'))).toBe(0o600);
      expect(mode(join(dataDir, 'keys', 'field-keys.json'))).toBe(0o600);
      const warnings = lines
        .join('')
        .split('\n')
        .filter((l) => l.includes('accessible to other users'));
      expect(warnings.length).toBe(3);
    },
  );

  it('leaves a 0600 key file alone', () => {
    const file = join(parent, 'ok.json');
    rmSync(file, { force: true });
    writeFileSync(file, '{}', { mode: 0o600 });
    expect(ensurePrivateFile(file)).toBeNull();
  });
});
