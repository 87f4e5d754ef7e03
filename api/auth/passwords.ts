/**
 * Password hashing with scrypt (memory-hard, from node:crypto).
 * Format: scrypt$N$r$p$salt$hash (base64url). Comparison is constant-time.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password.normalize('NFKC'), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

const defaults = { N: testCostN() ?? 2 ** 15, r: 8, p: 1 };

/**
 * The test suite lowers scrypt's N (TEST_SCRYPT_N, a power of two, honoured
 * only when NODE_ENV=test): hundreds of sign-ups otherwise spend a fifth of
 * its CPU here. Each hash records its own N, r and p; verification is unchanged.
 */
function testCostN(): number | undefined {
  if (process.env.NODE_ENV !== 'test') return undefined;
  const n = Number(process.env.TEST_SCRYPT_N);
  return Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0 ? n : undefined;
}
const KEYLEN = 32;

export const MIN_PASSWORD_LENGTH = 10;

export async function hashPassword(password: string, cost = defaults): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { ...cost, maxmem: 256 * cost.N * cost.r });
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64url');
  const expected = Buffer.from(parts[5], 'base64url');
  const key = await scrypt(password, salt, expected.length, { N, r, p, maxmem: 256 * N * r });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

let dummy: Promise<string> | undefined;
/**
 * Spends the same work as a real check, so an unknown e-mail answers as slowly
 * as a wrong password (no account enumeration by timing).
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hashPassword('not-a-real-password-' + randomBytes(8).toString('hex'));
  await verifyPassword(password, await dummy);
  return false;
}
