/**
 * Turns the Authorization header into the viewer. A presented but invalid
 * token fails the request (UNAUTHENTICATED) rather than silently downgrading
 * to anonymous, so clients know to refresh. Sessions and device tokens are
 * checked against the database's current state on every request (through the
 * viewer cache, which every change to them invalidates: viewer-cache.ts):
 * logout, reuse detection and account deletion take effect at once, not when
 * the access token expires.
 */
import { STAFF_ROLES, type AppServices, type Viewer } from '../context';
import { unauthenticated } from '../errors';
import { InvalidTokenError } from './tokens';
import { API_KEY_PREFIX } from './api-scopes';
import type { CachedDevice, CachedSession } from './viewer-cache';

const ACTIVITY_RESOLUTION_MS = 10 * 60 * 1000;

export function bearerToken(authorization: string | null | undefined): string | null {
  if (!authorization) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!m) throw unauthenticated('Authorization header must be "Bearer <token>".');
  return m[1];
}

export async function viewerFromToken(app: AppServices, token: string | null, now = new Date()): Promise<Viewer> {
  if (!token) return { kind: 'anonymous' };
  if (token.startsWith(API_KEY_PREFIX)) {
    if (!app.extensions.apiKeys) throw unauthenticated('API keys are not enabled on this server.');
    const viewer = await app.extensions.apiKeys.authenticate(token, now);
    // A key never carries a staff role, whatever its account has.
    return viewer.kind === 'account' ? { ...viewer, roles: viewer.roles.filter((r) => !STAFF_ROLES.includes(r)) } : viewer;
  }
  let typ: unknown;
  try {
    const payloadPart = token.split('.')[1] ?? '';
    typ = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8')).typ;
  } catch {
    throw unauthenticated('Access token is invalid or expired.');
  }
  try {
    if (typ === 'device') return await deviceViewer(app, token, now);
    return await accountViewer(app, token, now);
  } catch (e) {
    if (e instanceof InvalidTokenError) throw unauthenticated('Access token is invalid or expired.');
    throw e;
  }
}

async function accountViewer(app: AppServices, token: string, now: Date): Promise<Viewer> {
  const claims = await app.tokens.verifyAccessToken(token, now);
  const session = app.viewerCache.session(claims.sessionId) ?? (await readSession(app, claims.sessionId));
  if (!session || session.accountId !== claims.accountId || session.revokedAt || session.expiresAt <= now) {
    throw unauthenticated('Session has ended; sign in again.');
  }
  if (await touchActivity(app, claims.accountId, session.lastActiveAt, now)) session.lastActiveAt = now;
  return {
    kind: 'account',
    accountId: claims.accountId,
    sessionId: claims.sessionId,
    roles: session.roles,
    status: session.status,
  };
}

async function readSession(app: AppServices, sessionId: string): Promise<CachedSession | null> {
  const generation = app.viewerCache.generation;
  const row = await app.prisma.session.findUnique({
    where: { id: sessionId },
    select: { accountId: true, revokedAt: true, expiresAt: true, account: { select: { roles: true, status: true, lastActiveAt: true } } },
  });
  if (!row) return null;
  const session = { accountId: row.accountId, revokedAt: row.revokedAt, expiresAt: row.expiresAt, ...row.account };
  app.viewerCache.storeSession(sessionId, session, generation);
  return session;
}

async function deviceViewer(app: AppServices, token: string, now: Date): Promise<Viewer> {
  const claims = await app.tokens.verifyDeviceToken(token, now);
  const device = app.viewerCache.device(claims.deviceId) ?? (await readDevice(app, claims.deviceId));
  if (!device || device.tokenVersion !== claims.tokenVersion) throw unauthenticated('Device token has been revoked.');
  if (await touchActivity(app, device.ownerId, device.ownerLastActiveAt, now)) device.ownerLastActiveAt = now;
  return { kind: 'device', deviceId: claims.deviceId, ownerId: device.ownerId, tokenVersion: claims.tokenVersion };
}

async function readDevice(app: AppServices, deviceId: string): Promise<CachedDevice | null> {
  const generation = app.viewerCache.generation;
  const row = await app.prisma.device.findUnique({
    where: { id: deviceId },
    select: { ownerId: true, tokenVersion: true, owner: { select: { lastActiveAt: true } } },
  });
  if (!row) return null;
  const device = { ownerId: row.ownerId, tokenVersion: row.tokenVersion, ownerLastActiveAt: row.owner.lastActiveAt };
  app.viewerCache.storeDevice(deviceId, device, generation);
  return device;
}

/** Records authenticated activity (at most every 10 minutes per account, to spare writes); true when it did. */
async function touchActivity(app: AppServices, accountId: string, lastActiveAt: Date, now: Date): Promise<boolean> {
  if (now.getTime() - lastActiveAt.getTime() < ACTIVITY_RESOLUTION_MS) return false;
  await app.prisma.account.update({ where: { id: accountId }, data: { lastActiveAt: now } });
  await app.events.emit('account.active', { accountId, at: now }, { actor: { kind: 'SYSTEM', accountId: null } });
  return true;
}
