/**
 * Sign-in sessions and their refresh tokens. A refresh token is opaque, stored
 * only as a SHA-256 hash and good for one use: each refresh returns a new one.
 * Presenting a spent token means it was stolen or replayed, so the whole
 * session (every token of its family) is revoked.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient } from '../../generated/prisma/client';
import { unauthenticated } from '../errors';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const newOpaqueToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

export async function startSession(prisma: PrismaClient, accountId: string, ttlSeconds: number, now = new Date()) {
  const token = newOpaqueToken();
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  const session = await prisma.session.create({
    data: { accountId, expiresAt, refreshTokens: { create: { tokenHash: hashToken(token), expiresAt } } },
  });
  return { session, refreshToken: token };
}

/** Spends a refresh token and issues its successor; detects reuse (then `onRevoked` hears of the revoked session's account). */
export async function rotateRefreshToken(
  prisma: PrismaClient,
  token: string,
  ttlSeconds: number,
  now = new Date(),
  onRevoked: (accountId: string) => void = () => undefined,
) {
  const found = await prisma.refreshToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { session: true } });
  if (!found) throw unauthenticated('Refresh token is not valid.');
  const { session } = found;
  if (session.revokedAt || session.expiresAt <= now || found.expiresAt <= now) {
    throw unauthenticated('Session has ended; sign in again.');
  }
  const next = newOpaqueToken();
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  const rotated = await prisma.$transaction(async (tx) => {
    // Conditional update: of two concurrent refreshes with the same token only one wins.
    const spent = await tx.refreshToken.updateMany({ where: { id: found.id, usedAt: null }, data: { usedAt: now } });
    if (spent.count === 0) return false;
    await tx.refreshToken.create({ data: { sessionId: session.id, tokenHash: hashToken(next), expiresAt } });
    await tx.session.update({ where: { id: session.id }, data: { lastUsedAt: now, expiresAt } });
    return true;
  });
  if (!rotated) {
    await revokeSession(prisma, session.id, 'refresh token reused', now);
    onRevoked(session.accountId);
    throw unauthenticated('Refresh token was already used; the session has been signed out for safety.');
  }
  return { session, refreshToken: next };
}

export async function revokeSession(prisma: PrismaClient, sessionId: string, reason: string, now = new Date()) {
  await prisma.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now, revokedReason: reason } });
}

/** Logout: ends the session the token belongs to; the session's account, or null for an unknown token (not an error: idempotent). */
export async function logoutWithRefreshToken(prisma: PrismaClient, token: string, now = new Date()): Promise<string | null> {
  const found = await prisma.refreshToken.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { sessionId: true, session: { select: { accountId: true } } },
  });
  if (!found) return null;
  await revokeSession(prisma, found.sessionId, 'logout', now);
  return found.session.accountId;
}
