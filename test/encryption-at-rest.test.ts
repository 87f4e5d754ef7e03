/**
 * Encryption at rest of personal codes and IBANs: input validation, the
 * AES-256-GCM envelope in the database, masking, key rotation with the
 * admin CLI, and logs that never carry secrets or precise coordinates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { normalizeIban, normalizeLatvianPersonalCode } from '../api/validation/identity';
import { createLogger } from '../api/logger';
import { loadConfig } from '../api/config';
import { createApp } from '../server/app';
import { updateProfile } from '../api/auth/account-service';
import { hashPassword } from '../api/auth/passwords';
import { startTestServer, signUp, type TestServer } from './helpers/server';

const run = promisify(execFile);

describe('Latvian personal code validation', () => {
  it('accepts old-format codes with a real birth date and a correct check digit', () => {
    expect(normalizeLatvianPersonalCode('161175-19997')).toBe('161175-19997');
    expect(normalizeLatvianPersonalCode('01019012349')).toBe('010190-12349');
    expect(normalizeLatvianPersonalCode('311299 12345')).toBe('311299-12345');
    expect(normalizeLatvianPersonalCode('290200-22346')).toBe('290200-22346'); // 29.02.2000 (century digit 2)
    expect(normalizeLatvianPersonalCode('290200-22340')).toBeNull(); // same date, wrong check digit
    expect(normalizeLatvianPersonalCode('290200-12340')).toBeNull(); // 29.02.1900 does not exist
  });

  it('rejects a wrong check digit, an impossible date or century, and wrong lengths', () => {
    expect(normalizeLatvianPersonalCode('161175-19998')).toBeNull();
    expect(normalizeLatvianPersonalCode('310299-12345')).toBeNull();
    expect(normalizeLatvianPersonalCode('161175-39997')).toBeNull();
    expect(normalizeLatvianPersonalCode('161175-1999')).toBeNull();
    expect(normalizeLatvianPersonalCode('16117519997X')).toBeNull();
  });

  it('accepts new-format codes starting with 32 (no date, no check digit), 11 digits only', () => {
    expect(normalizeLatvianPersonalCode('32123456789')).toBe('321234-56789');
    expect(normalizeLatvianPersonalCode('321234-56780')).toBe('321234-56780');
    expect(normalizeLatvianPersonalCode('3212345678')).toBeNull();
    expect(normalizeLatvianPersonalCode('331234-56789')).toBeNull(); // 33.12. is no date
  });
});

describe('IBAN validation (ISO 13616, mod 97)', () => {
  it('accepts valid IBANs in any spacing and case', () => {
    expect(normalizeIban('LV80BANK0000435195001')).toBe('LV80BANK0000435195001');
    expect(normalizeIban('lv80 bank 0000 4351 9500 1')).toBe('LV80BANK0000435195001');
    expect(normalizeIban('DE89 3704 0044 0532 0130 00')).toBe('DE89370400440532013000');
  });

  it('rejects a wrong check sum, a Latvian IBAN of the wrong length and junk', () => {
    expect(normalizeIban('LV81BANK0000435195001')).toBeNull();
    expect(normalizeIban('LV80BANK0000435195002')).toBeNull();
    expect(normalizeIban('LV80BANK00004351950011')).toBeNull();
    expect(normalizeIban('not an iban')).toBeNull();
  });
});

describe('logs', () => {
  it('never contain passwords, tokens, personal codes, IBANs or precise coordinates', () => {
    const lines: string[] = [];
    const log = createLogger('debug', (l) => lines.push(l));
    log.info('signed in', {
      password: 'correct horse battery',
      accessToken: 'eyJhbGciOi.secret.token',
      refreshToken: 'r-secret',
      authorization: 'Bearer eyJ.x.y',
      input: { personalCode: '161175-19997', iban: 'LV80BANK0000435195001', personal_code: '32123456789' },
      point: { latitude: 56.949649, longitude: 24.105186 },
      points: [{ lat: 56.9, lon: 24.1 }],
      error: new Error('boom'),
      deviceId: 'keeps-ids',
    });
    const text = lines.join('\n');
    for (const secret of [
      'correct horse battery',
      'secret',
      'eyJ',
      '161175',
      'LV80BANK',
      '32123456789',
      '56.94',
      '24.10',
      '56.9',
      '24.1',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('keeps-ids');
    expect(text).toContain('boom');
  });
});

describe('personal code and IBAN in the database and the API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ plugins: [] });
  });
  afterAll(() => server?.stop());

  it('are validated on input with the field that is wrong', async () => {
    const user = await signUp(server);
    const UPDATE = `mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { id } }`;
    const bad = await server.gql(UPDATE, { i: { personalCode: '161175-19998' } }, { token: user.accessToken });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.personalCode' });
    const badIban = await server.gql(UPDATE, { i: { iban: 'LV81BANK0000435195001' } }, { token: user.accessToken });
    expect(badIban.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.iban' });
  });

  it('are stored as AES-256-GCM envelopes with the key id, and masked on output', async () => {
    const user = await signUp(server);
    await server.gql(
      `mutation { updateProfile(input: { personalCode: "161175-19997", iban: "LV80BANK0000435195001" }) { id } }`,
      {},
      { token: user.accessToken },
    );
    const row = await server.app.services.prisma.account.findUniqueOrThrow({ where: { email: user.email } });
    const keyId = server.app.services.cipher.currentKeyId;
    for (const v of [row.personalCodeEnc!, row.ibanEnc!]) {
      expect(v.startsWith(`v1.${keyId}.`)).toBe(true);
      expect(v).not.toMatch(/161175|19997|LV80|435195/);
    }
    const me = await server.gql(`{ me { personalCode iban } }`, {}, { token: user.accessToken });
    expect(me.data.me).toEqual({ personalCode: '16*********', iban: `LV${'*'.repeat(19)}` });
  });
});

describe('key rotation (npm run admin -- rotate-field-key)', () => {
  it(
    're-encrypts every value with the new key; values stay readable and the old key id is gone from the rows',
    { timeout: 180_000 },
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'lp-rotate-'));
      const env = { NODE_ENV: 'test', DATA_DIR: dataDir, PLUGINS: 'none', LOG_LEVEL: 'error' };
      try {
        let app = await createApp(loadConfig(env));
        const oldKey = app.services.cipher.currentKeyId;
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) {
          const a = await app.services.prisma.account.create({
            data: { email: `rotate${i}@example.test`, passwordHash: await hashPassword('long enough password') },
          });
          await updateProfile(
            app.services,
            a.id,
            i === 2 ? { iban: 'LV80BANK0000435195001' } : { personalCode: '161175-19997', iban: 'LV80BANK0000435195001' },
          );
          ids.push(a.id);
        }
        await app.close();

        // The documented command, on the dist/ build of test/global-setup.ts (no tsx compilation in the child).
        const { stdout } = await run('npm', ['run', '--silent', 'admin', '--', 'rotate-field-key'], {
          cwd: process.cwd(),
          env: { ...process.env, ...env, LAUNCH_FROM: 'dist' },
        });
        expect(stdout).toMatch(/new field key (\S+); re-encrypted 3 account/);

        const keys = JSON.parse(readFileSync(join(dataDir, 'keys', 'field-keys.json'), 'utf8')).keys as { id: string }[];
        const newKey = keys[keys.length - 1].id;
        expect(newKey).not.toBe(oldKey);
        expect(keys.map((k) => k.id)).toContain(oldKey); // kept for values written by a server still running the old list

        app = await createApp(loadConfig(env));
        const { prisma, cipher } = app.services;
        const rows = await prisma.account.findMany({ where: { id: { in: ids } }, orderBy: { email: 'asc' } });
        for (const r of rows) {
          for (const [field, value] of [
            ['personalCode', r.personalCodeEnc],
            ['iban', r.ibanEnc],
          ] as const) {
            if (!value) continue;
            expect(cipher.keyIdOf(value)).toBe(newKey);
            expect(value).not.toContain(`.${oldKey}.`);
            expect(cipher.decrypt(value, `${field}:${r.id}`)).toBe(field === 'iban' ? 'LV80BANK0000435195001' : '161175-19997');
          }
        }
        expect(rows[2].personalCodeEnc).toBeNull();
        await app.close();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});
