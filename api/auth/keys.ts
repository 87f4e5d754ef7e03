/**
 * The platform's signing keys (EdDSA / Ed25519). Persisted as a JWK set in
 * DATA_DIR/keys/signing-keys.json (mode 0600), or given by JWT_PRIVATE_KEYS.
 * The newest key signs; older keys stay in the JWKS (and verify) until every
 * token they signed has expired, then rotation drops them.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from 'jose';

export const SIGNING_ALG = 'EdDSA';

export interface StoredKey {
  kid: string;
  createdAt: string;
  /** Set when a newer key took over; the key still verifies until retireAfter. */
  retiredAt?: string;
  privateJwk: JWK;
}

export interface LoadedKey {
  kid: string;
  createdAt: Date;
  retiredAt: Date | null;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export class KeyStore {
  private constructor(
    private keys: LoadedKey[],
    private readonly file: string | null,
    private stored: StoredKey[],
  ) {}

  static async open(options: { dataDir: string; fromEnv: string | null }): Promise<KeyStore> {
    if (options.fromEnv) {
      const stored = parseStored(options.fromEnv, 'JWT_PRIVATE_KEYS');
      return new KeyStore(await Promise.all(stored.map(loadKey)), null, stored);
    }
    const dir = join(options.dataDir, 'keys');
    const file = join(dir, 'signing-keys.json');
    let stored: StoredKey[];
    if (existsSync(file)) {
      stored = parseStored(readFileSync(file, 'utf8'), file);
    } else {
      stored = [await newStoredKey()];
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(file, JSON.stringify({ keys: stored }, null, 2), { mode: 0o600 });
      chmodSync(file, 0o600);
    }
    return new KeyStore(await Promise.all(stored.map(loadKey)), file, stored);
  }

  /** The key new tokens are signed with. */
  get current(): LoadedKey {
    return this.keys[this.keys.length - 1];
  }

  find(kid: string): LoadedKey | undefined {
    return this.keys.find((k) => k.kid === kid);
  }

  /** Public keys for /.well-known/jwks.json. */
  jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((k) => ({ ...k.publicJwk, kid: k.kid, alg: SIGNING_ALG, use: 'sig' })) };
  }

  /**
   * Adds a new signing key. Retired keys older than `keepRetiredForSeconds`
   * (the longest token lifetime) are dropped: nothing they signed is valid anymore.
   */
  async rotate(keepRetiredForSeconds: number, now = new Date()): Promise<LoadedKey> {
    const fresh = await newStoredKey(now);
    const cutoff = now.getTime() - keepRetiredForSeconds * 1000;
    this.stored = this.stored
      .map((k) => (k.retiredAt ? k : { ...k, retiredAt: now.toISOString() }))
      .filter((k) => !k.retiredAt || Date.parse(k.retiredAt) >= cutoff)
      .concat(fresh);
    this.keys = await Promise.all(this.stored.map(loadKey));
    if (this.file) writeFileSync(this.file, JSON.stringify({ keys: this.stored }, null, 2), { mode: 0o600 });
    return this.current;
  }
}

async function newStoredKey(now = new Date()): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { crv: 'Ed25519', extractable: true });
  return { kid: randomUUID(), createdAt: now.toISOString(), privateJwk: await exportJWK(privateKey) };
}

function parseStored(text: string, source: string): StoredKey[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${source}: not valid JSON`);
  }
  const keys = (parsed as { keys?: StoredKey[] }).keys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.some((k) => !k.kid || !k.privateJwk?.d)) {
    throw new Error(`${source}: expected {"keys":[{"kid","createdAt","privateJwk"}...]} with Ed25519 private JWKs`);
  }
  return keys;
}

async function loadKey(k: StoredKey): Promise<LoadedKey> {
  const privateKey = (await importJWK({ ...k.privateJwk, alg: SIGNING_ALG }, SIGNING_ALG)) as CryptoKey;
  const { d: _d, ...publicJwk } = k.privateJwk;
  const publicKey = (await importJWK({ ...publicJwk, alg: SIGNING_ALG }, SIGNING_ALG)) as CryptoKey;
  return {
    kid: k.kid,
    createdAt: new Date(k.createdAt),
    retiredAt: k.retiredAt ? new Date(k.retiredAt) : null,
    privateKey,
    publicKey,
    publicJwk,
  };
}
