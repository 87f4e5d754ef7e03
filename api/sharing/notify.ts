/**
 * Tells live subscribers that sharing changed: both parties' grant streams
 * ('sharing:account') and every stream that shows the device
 * ('access:device'), which re-checks access at once and ends if it is gone.
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
  const devices = await app.prisma.device.findMany({ where: { ownerId: accountId }, select: { id: true } });
  for (const d of devices) app.pubsub.publish('access:device', d.id, { reason });
}
