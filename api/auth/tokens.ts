/**
 * JWTs signed by the platform: account access tokens, device tokens, and any
 * other signed statement (consent receipts, unsubscribe links) through signPayload.
 * Verification pins the algorithm, checks issuer, audience, expiry, and the token
 * type, and looks the key up by `kid` (so rotated keys keep verifying).
 * Every token carries `exp` and `iat`, and a token without them is refused:
 * nothing the platform signs is valid forever.
 */
import { SignJWT, jwtVerify, decodeProtectedHeader, type JWTPayload } from 'jose';
import { SIGNING_ALG, type KeyStore, type LoadedKey } from './keys';
import type { Role } from '../../generated/prisma/enums';

export type TokenType = 'access' | 'device' | string;

export interface AccessClaims {
  accountId: string;
  sessionId: string;
  roles: Role[];
}

export interface DeviceClaims {
  deviceId: string;
  tokenVersion: number;
}

/** Lifetime of signed statements a person keeps (consent receipts): long, but not unlimited. */
export const RECEIPT_TTL_SECONDS = 10 * 366 * 24 * 3600;

export class InvalidTokenError extends Error {
  constructor(reason: string) {
    super(`invalid token: ${reason}`);
    this.name = 'InvalidTokenError';
  }
}

/** How many verified tokens are remembered (the oldest go first). */
const VERIFIED_CACHE_ENTRIES = 10_000;

export class TokenService {
  /**
   * Tokens whose signature, issuer, audience and claims were verified, by
   * their exact text: a signature never changes, so it is checked once per
   * token, not per request (issue 18: EdDSA was ~3% of a request). A hit still
   * needs the same key to be in the key store (a key dropped by rotation stops
   * its tokens) and checks expiry and type against `now` every time.
   */
  private readonly verified = new Map<string, { kid: string; key: LoadedKey; payload: JWTPayload }>();

  constructor(
    private readonly keys: KeyStore,
    private readonly issuer: string,
    private readonly audience: string,
    private readonly accessTtlSeconds: number,
    private readonly deviceTtlSeconds: number = 2 * 366 * 24 * 3600,
  ) {}

  async sign(type: TokenType, subject: string, claims: JWTPayload, ttlSeconds: number, now = new Date()) {
    const key = this.keys.current;
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT({ ...claims, typ: type })
      .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setSubject(subject)
      .setIssuedAt(iat)
      .setJti(crypto.randomUUID())
      .setExpirationTime(iat + ttlSeconds)
      .sign(key.privateKey);
  }

  async verify(token: string, expectedType: TokenType, now = new Date()): Promise<JWTPayload> {
    const hit = this.verified.get(token);
    if (hit && this.keys.find(hit.kid) === hit.key) {
      if (hit.payload.exp! <= Math.floor(now.getTime() / 1000)) throw new InvalidTokenError('ERR_JWT_EXPIRED');
      if (hit.payload.typ !== expectedType) throw new InvalidTokenError('wrong token type');
      return hit.payload;
    }
    let kid: string | undefined;
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== SIGNING_ALG) throw new InvalidTokenError('algorithm not allowed');
      kid = header.kid;
    } catch (e) {
      if (e instanceof InvalidTokenError) throw e;
      throw new InvalidTokenError('malformed');
    }
    const key = kid ? this.keys.find(kid) : undefined;
    if (!key) throw new InvalidTokenError('unknown key');
    try {
      const { payload } = await jwtVerify(token, key.publicKey, {
        algorithms: [SIGNING_ALG],
        issuer: this.issuer,
        audience: this.audience,
        currentDate: now,
        requiredClaims: ['exp', 'iat'],
      });
      if (payload.typ !== expectedType) throw new InvalidTokenError('wrong token type');
      this.remember(token, kid!, key, payload);
      return payload;
    } catch (e) {
      if (e instanceof InvalidTokenError) throw e;
      throw new InvalidTokenError((e as { code?: string }).code ?? 'verification failed');
    }
  }

  private remember(token: string, kid: string, key: LoadedKey, payload: JWTPayload) {
    if (this.verified.size >= VERIFIED_CACHE_ENTRIES) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { kid, key, payload });
  }

  async signAccessToken(claims: AccessClaims, now = new Date()) {
    const token = await this.sign('access', claims.accountId, { sid: claims.sessionId, roles: claims.roles }, this.accessTtlSeconds, now);
    return { token, expiresAt: new Date(Math.floor(now.getTime() / 1000) * 1000 + this.accessTtlSeconds * 1000) };
  }

  async verifyAccessToken(token: string, now = new Date()): Promise<AccessClaims> {
    const p = await this.verify(token, 'access', now);
    if (!p.sub || typeof p.sid !== 'string' || !Array.isArray(p.roles)) throw new InvalidTokenError('missing claims');
    return { accountId: p.sub, sessionId: p.sid, roles: p.roles as Role[] };
  }

  /** Device tokens are long-lived (DEVICE_TOKEN_TTL) and revoked at once by bumping the device's tokenVersion. */
  signDeviceToken(claims: DeviceClaims, now = new Date()) {
    return this.sign('device', claims.deviceId, { ver: claims.tokenVersion, scope: 'location:write' }, this.deviceTtlSeconds, now);
  }

  async verifyDeviceToken(token: string, now = new Date()): Promise<DeviceClaims> {
    const p = await this.verify(token, 'device', now);
    if (!p.sub || typeof p.ver !== 'number') throw new InvalidTokenError('missing claims');
    return { deviceId: p.sub, tokenVersion: p.ver };
  }
}
