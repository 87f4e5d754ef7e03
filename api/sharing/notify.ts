/**
 * Tells live subscribers that sharing or credentials changed: both parties'
 * grant streams ('sharing:account'), every stream that shows the device
 * ('access:device'), and every stream of an account or following its devices
 * ('access:account'), which re-check access at once and end if it is gone.
 * Live streams re-check only on these wake-ups and at expiry times, not per
 * event, so every path that can end access publishes one of them after its
 * change is committed. The same calls make this instance's viewer cache forget
 * the account or device at once (api/auth/viewer-cache.ts).
 */
import type { AppServices } from '../context';

export function publishGrantChange(
  app: AppServices,
  grant: { id: string; deviceId: string; ownerId: string; granteeId: string | null },
  reason: string,
) {
  app.pubsub.publish('sharing:account', grant.ownerId, { grantId: grant.id });
  if (grant.granteeId) app.pubsub.publish('sharing:account', grant.granteeId, { grantId: grant.id });
  app.pubsub.publish('access:device', grant.deviceId, { reason });
}

export function publishDeviceAccessChange(app: AppServices, deviceId: string, reason: string) {
  // The device's token (rotated) or the device itself (removed): this instance stops accepting it before it answers.
  app.viewerCache.forgetDevice(deviceId);
  app.pubsub.publish('access:device', deviceId, { reason });
}

/** After registration: the invitations to that address are now grants; tell both sides. */
export async function publishAcceptedInvitations(app: AppServices, granteeId: string) {
  const grants = await app.prisma.sharingGrant.findMany({
    where: { granteeId },
    select: { id: true, deviceId: true, ownerId: true, granteeId: true },
  });
  for (const g of grants) publishGrantChange(app, g, 'grant.accepted');
}

/**
 * Every stream showing one of the account's devices re-checks access now (e.g. its processing was restricted or the
 * restriction lifted).
 */
export async function publishAccountDevicesAccessChange(app: AppServices, accountId: string, reason: string) {
  app.viewerCache.forgetAccount(accountId);
  const devices = await app.prisma.device.findMany({ where: { ownerId: accountId }, select: { id: true } });
  for (const d of devices) app.pubsub.publish('access:device', d.id, { reason });
}

/**
 * The account's credentials or existence changed (logout, refresh-token reuse, password changed or reset, API key
 * revoked, roles changed, access case closed, account erased): its own streams, and streams following its devices,
 * re-check now.
 */
export function publishAccountAccessChange(app: Pick<AppServices, 'pubsub' | 'viewerCache'>, accountId: string, reason: string) {
  // Other instances hear it from the database (viewer-cache.ts); this one forgets before it answers.
  app.viewerCache.forgetAccount(accountId);
  app.pubsub.publish('access:account', accountId, { reason });
}
