/**
 * Share links: a device's position for anyone holding the link, without an
 * account. The token (32 random bytes, base64url) is shown once in the
 * link's url; only its SHA-256 is stored. Links always expire (at most 30
 * days ahead) and can be revoked; then the token is NOT_FOUND.
 */
import type { AppServices } from '../context';
import { badInput, notFound } from '../errors';
import { hashToken, newOpaqueToken } from '../auth/sessions';
import { publishDeviceAccessChange } from './notify';
import { ownerRestricted } from '../permissions/device-access';

export const MAX_SHARE_LINK_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

export interface CreateShareLinkInput {
  deviceId: string;
  expiresAt: Date;
  scope?: 'LIVE' | 'HISTORY' | null;
  historyFrom?: Date | null;
}

export async function createShareLink(app: AppServices, input: CreateShareLinkInput, now = new Date()) {
  if (input.expiresAt <= now) throw badInput('input.expiresAt', 'expiresAt must be in the future.');
  if (input.expiresAt.getTime() > now.getTime() + MAX_SHARE_LINK_DAYS * DAY_MS) {
    throw badInput('input.expiresAt', `A share link may last at most ${MAX_SHARE_LINK_DAYS} days.`);
  }
  const scope = input.scope ?? 'LIVE';
  if (scope === 'LIVE' && input.historyFrom) throw badInput('input.historyFrom', 'Only HISTORY links have historyFrom.');
  const device = await app.prisma.device.findUniqueOrThrow({ where: { id: input.deviceId }, select: { id: true, ownerId: true } });
  const token = newOpaqueToken(32);
  const link = await app.prisma.shareLink.create({
    data: {
      deviceId: device.id,
      ownerId: device.ownerId,
      tokenHash: hashToken(token),
      scope,
      // Without an explicit historyFrom a HISTORY link shows history from its creation on.
      historyFrom: scope === 'HISTORY' ? (input.historyFrom ?? now) : null,
      expiresAt: input.expiresAt,
    },
  });
  return { ...link, url: `${app.config.publicUrl}/share/${token}` };
}

export async function revokeShareLink(app: AppServices, id: string, now = new Date()) {
  await app.prisma.shareLink.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
  const link = await app.prisma.shareLink.findUniqueOrThrow({ where: { id } });
  publishDeviceAccessChange(app, link.deviceId, 'link.revoked');
  return link;
}

/** The link behind a token while it is valid, else null (expired, revoked, unknown). */
export async function findValidShareLink(app: AppServices, token: string, now = new Date()) {
  if (!token || token.length > 200) return null;
  const link = await app.prisma.shareLink.findUnique({ where: { tokenHash: hashToken(token) } });
  return link && !link.revokedAt && link.expiresAt > now ? link : null;
}

/** A visit to the link: counts the view atomically (only while valid) and returns what it shows. */
export async function openShareLink(app: AppServices, token: string, now = new Date()) {
  const tokenHash = hashToken(token);
  // GDPR art. 18: a valid link of an owner whose processing is restricted shows nothing, and says why.
  const valid = await findValidShareLink(app, token, now);
  if (valid && (await ownerIsRestricted(app, valid.ownerId))) throw ownerRestricted();
  const counted = await app.prisma.shareLink.updateMany({
    where: { tokenHash, revokedAt: null, expiresAt: { gt: now } },
    data: { views: { increment: 1 } },
  });
  if (counted.count === 0) throw notFound('Share link');
  return app.prisma.shareLink.findUniqueOrThrow({
    where: { tokenHash },
    include: { device: { select: { id: true, name: true, lastLocation: true } } },
  });
}

export async function ownerIsRestricted(app: AppServices, ownerId: string): Promise<boolean> {
  const owner = await app.prisma.account.findUnique({ where: { id: ownerId }, select: { restrictedAt: true } });
  return !!owner?.restrictedAt;
}
