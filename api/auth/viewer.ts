/**
 * Turns the Authorization header into the viewer. A presented but invalid
 * token fails the request (UNAUTHENTICATED) rather than silently downgrading
 * to anonymous, so clients know to refresh. Sessions are checked in the
 * database on every request: logout, reuse detection and account deletion
 * take effect at once, not when the access token expires.
 */
import { STAFF_ROLES, type AppServices, type Viewer } from '../context';
import { unauthenticated } from '../errors';
import { InvalidTokenError } from './tokens';
import { API_KEY_PREFIX } from './api-scopes';
import { deviceTokenCache, tokenExpiry } from './device-token-cache';

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
  const session = await app.prisma.session.findUnique({
    where: { id: claims.sessionId },
    select: { accountId: true, revokedAt: true, expiresAt: true, account: { select: { roles: true, status: true, lastActiveAt: true } } },
  });
  if (!session || session.accountId !== claims.accountId || session.revokedAt || session.expiresAt <= now) {
    throw unauthenticated('Session has ended; sign in again.');
  }
  await touchActivity(app, claims.accountId, session.account.lastActiveAt, now);
  return {
    kind: 'account',
    accountId: claims.accountId,
    sessionId: claims.sessionId,
    roles: session.account.roles,
    status: session.account.status,
  };
}

/** A device token: checked once, then trusted until its device's access changes (device-token-cache.ts). */
async function deviceViewer(app: AppServices, token: string, now: Date): Promise<Viewer> {
  const cache = deviceTokenCache(app);
  const cached = cache.get(token, now.getTime());
  if (cached) return cached;
  const ticket = cache.begin(now.getTime());
  const claims = await app.tokens.verifyDeviceToken(token, now);
  const device = await app.prisma.device.findUnique({
    where: { id: claims.deviceId },
    select: { ownerId: true, tokenVersion: true, owner: { select: { lastActiveAt: true } } },
  });
  if (!device || device.tokenVersion !== claims.tokenVersion) throw unauthenticated('Device token has been revoked.');
  const touched = await touchActivity(app, device.ownerId, device.owner.lastActiveAt, now);
  const viewer = { kind: 'device' as const, deviceId: claims.deviceId, ownerId: device.ownerId, tokenVersion: claims.tokenVersion };
  cache.put(ticket, token, viewer, (touched ? now : device.owner.lastActiveAt).getTime(), tokenExpiry(token));
  return viewer;
}

/** Records authenticated activity (at most every 10 minutes per account, to spare writes); true when it did. */
async function touchActivity(app: AppServices, accountId: string, lastActiveAt: Date, now: Date): Promise<boolean> {
  if (now.getTime() - lastActiveAt.getTime() < ACTIVITY_RESOLUTION_MS) return false;
  await app.prisma.account.update({ where: { id: accountId }, data: { lastActiveAt: now } });
  await app.events.emit('account.active', { accountId, at: now }, { actor: { kind: 'SYSTEM', accountId: null } });
  return true;
}
