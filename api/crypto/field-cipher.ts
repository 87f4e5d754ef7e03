/**
 * Encryption at rest for personal fields (personal code, IBAN): AES-256-GCM
 * with a random 96-bit IV. The key id is stored with the ciphertext, so keys
 * can rotate: the newest key encrypts, every listed key decrypts, and
 * `npm run admin -- rotate-field-key` re-encrypts old values.
 *
 * Envelope: v1.<keyId>.<iv b64url>.<ciphertext b64url>.<tag b64url>
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FieldKey {
  id: string;
  key: Buffer;
}

export class FieldCipher {
  constructor(
    private keys: FieldKey[],
    private readonly file: string | null = null,
  ) {
    if (!keys.length) throw new Error('at least one field encryption key is needed');
    for (const k of keys) if (k.key.length !== 32) throw new Error(`field key ${k.id} must be 32 bytes`);
  }

  static open(options: { dataDir: string; fromEnv: string | null }): FieldCipher {
    if (options.fromEnv) return new FieldCipher(parseKeys(options.fromEnv, 'FIELD_ENCRYPTION_KEYS'));
    const dir = join(options.dataDir, 'keys');
    const file = join(dir, 'field-keys.json');
    if (existsSync(file)) return new FieldCipher(parseKeys(readFileSync(file, 'utf8'), file), file);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const keys = [{ id: newKeyId(), key: randomBytes(32) }];
    writeKeys(file, keys);
    return new FieldCipher(keys, file);
  }

  get currentKeyId(): string {
    return this.keys[this.keys.length - 1].id;
  }

  encrypt(plain: string, aad = ''): string {
    const k = this.keys[this.keys.length - 1];
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', k.key, iv);
    cipher.setAAD(Buffer.from(aad));
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', k.id, iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  decrypt(envelope: string, aad = ''): string {
    const [v, id, iv, ct, tag] = envelope.split('.');
    if (v !== 'v1') throw new Error('unknown envelope version');
    const k = this.keys.find((x) => x.id === id);
    if (!k) throw new Error(`field key ${id} is not configured`);
    const decipher = createDecipheriv('aes-256-gcm', k.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  keyIdOf(envelope: string): string {
    return envelope.split('.')[1];
  }

  /** Adds a new current key (persisted when keys come from the data dir). */
  rotate(): string {
    const k = { id: newKeyId(), key: randomBytes(32) };
    this.keys = [...this.keys, k];
    if (this.file) writeKeys(this.file, this.keys);
    return k.id;
  }
}

function newKeyId() {
  return `k${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
}

function writeKeys(file: string, keys: FieldKey[]) {
  writeFileSync(file, JSON.stringify({ keys: keys.map((k) => ({ id: k.id, key: k.key.toString('base64') })) }, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
}

function parseKeys(text: string, source: string): FieldKey[] {
  try {
    const parsed = JSON.parse(text) as { keys: { id: string; key: string }[] };
    return parsed.keys.map((k) => ({ id: String(k.id), key: Buffer.from(k.key, 'base64') }));
  } catch {
    throw new Error(`${source}: expected {"keys":[{"id":"...","key":"<32 bytes base64>"}]}`);
  }
}

/** Keeps the first two characters: "12*********". */
export function mask(value: string): string {
  const compact = value.replace(/[\s-]/g, '');
  return compact.slice(0, 2) + '*'.repeat(Math.max(compact.length - 2, 0));
}
