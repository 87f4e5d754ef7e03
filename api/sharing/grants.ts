/**
 * Sharing grants: an owner lets another account see one device, LIVE (last
 * location and live updates) or HISTORY (also history from historyFrom),
 * optionally time-boxed. Who may call what is decided by the rule map
 * (api/permissions/rules/sharing.ts); these functions assume it was checked.
 */
import type { AppServices, Viewer } from '../context';
import { actorOf } from '../context';
import { badInput, conflict } from '../errors';
import { normalizeEmail } from '../validation/identity';
import { grantNotOver } from './status';
import { publishGrantChange } from './notify';

export interface GrantSharingInput {
  deviceId: string;
  granteeEmail: string;
  scope: 'LIVE' | 'HISTORY';
  startsAt?: Date | null;
  expiresAt?: Date | null;
  historyFrom?: Date | null;
}

export async function grantSharing(app: AppServices, viewer: Viewer, input: GrantSharingInput, now = new Date()) {
  const email = normalizeEmail(input.granteeEmail);
  if (!email) throw badInput('input.granteeEmail', 'Not a valid e-mail address.');
  const device = await app.prisma.device.findUniqueOrThrow({
    where: { id: input.deviceId },
    select: { id: true, ownerId: true, owner: { select: { email: true } } },
  });
  if (device.owner.email === email) throw badInput('input.granteeEmail', 'You cannot share a device with yourself.');

  const startsAt = input.startsAt ?? now;
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt && (expiresAt <= now || expiresAt <= startsAt)) {
    throw badInput('input.expiresAt', 'expiresAt must be in the future and after startsAt.');
  }
  if (input.scope === 'LIVE' && input.historyFrom) throw badInput('input.historyFrom', 'Only HISTORY grants have historyFrom.');
  // Without an explicit historyFrom a HISTORY grant shows history from when the sharing starts, not the whole past.
  const historyFrom = input.scope === 'HISTORY' ? (input.historyFrom ?? startsAt) : null;

  const open = await app.prisma.sharingGrant.findFirst({
    where: { deviceId: device.id, inviteeEmail: email, ...grantNotOver(now) },
    select: { id: true },
  });
  if (open) throw conflict('This device is already shared with that address; revoke that grant first to change it.');

  // Only a verified address binds the invitation now; otherwise it stays PENDING until the address is verified.
  const grantee = await app.prisma.account.findUnique({ where: { email, emailVerified: true }, select: { id: true } });
  const grant = await app.prisma.$transaction(async (tx) => {
    const created = await tx.sharingGrant.create({
      data: {
        deviceId: device.id,
        ownerId: device.ownerId,
        granteeId: grantee?.id ?? null,
        inviteeEmail: email,
        scope: input.scope,
        historyFrom,
        startsAt,
        expiresAt,
      },
    });
    await app.events.emit(
      'sharing.changed',
      { grantId: created.id, deviceId: created.deviceId, ownerId: created.ownerId, granteeId: created.granteeId },
      { actor: actorOf(viewer), tx },
    );
    return created;
  });
  publishGrantChange(app, grant, 'grant.created');
  return grant;
}

/** Owner revokes or grantee leaves. Revoking twice keeps the first revocation time. */
export async function revokeSharing(app: AppServices, viewer: Viewer, grantId: string, now = new Date()) {
  const grant = await app.prisma.$transaction(async (tx) => {
    await tx.sharingGrant.updateMany({ where: { id: grantId, revokedAt: null }, data: { revokedAt: now } });
    const g = await tx.sharingGrant.findUniqueOrThrow({ where: { id: grantId } });
    await app.events.emit(
      'sharing.changed',
      { grantId: g.id, deviceId: g.deviceId, ownerId: g.ownerId, granteeId: g.granteeId },
      { actor: actorOf(viewer), tx },
    );
    return g;
  });
  publishGrantChange(app, grant, 'grant.revoked');
  return grant;
}
