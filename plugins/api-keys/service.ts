/**
 * API keys: creation (the secret is returned once, only its hash stored),
 * authentication of `lp_…` bearer tokens (published as app.extensions.apiKeys
 * for api/auth/viewer.ts), revocation that ends open streams at once.
 */
import { randomBytes } from 'node:crypto';
import type { ApiKey } from '../../generated/prisma/client';
import {
  API_KEY_PREFIX,
  API_SCOPES,
  badInput,
  hashToken,
  notFound,
  unauthenticated,
  type ApiKeyService,
  type ApiScope,
  type AppServices,
  type Viewer,
} from '../../schema/plugin-api';

/** lastUsedAt is written at most this often per key (spares a write per request). */
const LAST_USED_RESOLUTION_MS = 60_000;
const MAX_KEYS_PER_ACCOUNT = 50;

export interface CreateApiKeyInput {
  name: string;
  scopes: readonly string[];
  expiresAt?: Date | null;
}

export async function createApiKey(app: AppServices, accountId: string, input: CreateApiKeyInput, now = new Date()) {
  const name = input.name.trim();
  if (!name || name.length > 100) throw badInput('input.name', 'Give the key a name of 1 to 100 characters.');
  const scopes = [...new Set(input.scopes)];
  if (!scopes.length) throw badInput('input.scopes', 'Give the key at least one scope.');
  if (scopes.some((s) => !API_SCOPES.includes(s as ApiScope))) throw badInput('input.scopes', 'Unknown scope.');
  if (input.expiresAt && input.expiresAt <= now) throw badInput('input.expiresAt', 'expiresAt must be in the future.');
  const active = await app.prisma.apiKey.count({ where: { accountId, revokedAt: null } });
  if (active >= MAX_KEYS_PER_ACCOUNT) throw badInput('input', `At most ${MAX_KEYS_PER_ACCOUNT} active API keys per account.`);
  const secret = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const apiKey = await app.prisma.apiKey.create({
    data: { accountId, name, scopes, prefix: secret.slice(0, 9), secretHash: hashToken(secret), expiresAt: input.expiresAt ?? null },
  });
  return { apiKey, secret };
}

export async function revokeApiKey(app: AppServices, accountId: string, keyId: string, now = new Date()): Promise<ApiKey> {
  const key = await app.prisma.apiKey.findFirst({ where: { id: keyId, accountId } });
  if (!key) throw notFound('API key');
  const revoked = key.revokedAt ? key : await app.prisma.apiKey.update({ where: { id: key.id }, data: { revokedAt: now } });
  // Open subscriptions of the key re-check now (their check asks isActive) instead of at the next event.
  app.pubsub.publish('access:account', accountId, { reason: 'api-key.revoked' });
  return revoked;
}

const usable = (key: { revokedAt: Date | null; expiresAt: Date | null }, now: Date) =>
  !key.revokedAt && (!key.expiresAt || key.expiresAt > now);

export function apiKeyService(app: AppServices): ApiKeyService {
  return {
    async authenticate(secret: string, now: Date): Promise<Viewer> {
      const key = await app.prisma.apiKey.findUnique({
        where: { secretHash: hashToken(secret) },
        include: { account: { select: { roles: true, status: true } } },
      });
      if (!key || !usable(key, now)) throw unauthenticated('The API key is invalid, revoked or expired.');
      if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
        await app.prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now } });
      }
      return {
        kind: 'account',
        accountId: key.accountId,
        sessionId: '',
        roles: key.account.roles,
        status: key.account.status,
        apiKey: { id: key.id, scopes: key.scopes as ApiScope[], expiresAt: key.expiresAt },
      };
    },
    async isActive(keyId: string, now: Date) {
      const key = await app.prisma.apiKey.findUnique({ where: { id: keyId }, select: { revokedAt: true, expiresAt: true } });
      return !!key && usable(key, now);
    },
  };
}
