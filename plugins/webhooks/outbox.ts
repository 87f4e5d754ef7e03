/**
 * The outbox: hooks on core events write one WebhookDelivery row per
 * subscribed webhook inside the event's transaction (meta.tx), so a delivery
 * exists exactly when the change committed. Payloads carry only what the
 * webhook's account may see: its own devices' points, its own consents, the
 * grants it gave or received.
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { Prisma } from '../../generated/prisma/client';
import type { AppServices, EventMeta, LocationOutbox, Tx } from '../../schema/plugin-api';

export const WEBHOOK_EVENTS = ['LOCATION_RECORDED', 'DEVICE_REMOVED', 'SHARING_GRANT_CHANGED', 'CONSENT_CHANGED'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Retries stop this long after the event. */
export const RETRY_WINDOW_MS = 24 * 3600_000;

/** Writes a delivery for every enabled webhook of the accounts subscribed to the event. */
export async function enqueue(app: AppServices, meta: EventMeta, accountIds: string[], event: WebhookEvent, data: Record<string, unknown>) {
  const db: Tx = meta.tx ?? (app.prisma as unknown as Tx);
  const hooks = await db.webhook.findMany({
    where: { accountId: { in: accountIds }, enabled: true, events: { has: event } },
    select: { id: true },
  });
  if (!hooks.length) return;
  const now = new Date();
  const payload = JSON.parse(
    JSON.stringify({ type: event.toLowerCase().replace(/_/g, '.'), timestamp: now.toISOString(), data }),
  ) as object;
  await db.webhookDelivery.createMany({
    data: hooks.map((h) => ({
      webhookId: h.id,
      event,
      payload,
      nextAttemptAt: now,
      retryUntil: new Date(now.getTime() + RETRY_WINDOW_MS),
    })),
  });
}

/**
 * LOCATION_RECORDED: not a hook on location.recorded (emitted after the points committed) but a location outbox
 * (api/context.ts LocationOutbox): ingestion asks the condition in its one statement and, only for an owner with such a
 * webhook, stores the points in a transaction and writes the deliveries in it.
 */
export function locationRecordedOutbox(app: AppServices): LocationOutbox {
  return {
    sqlCondition: (ownerId) =>
      Prisma.sql`EXISTS (SELECT 1 FROM "Webhook" w WHERE w."accountId" = ${ownerId} AND w."enabled" AND 'LOCATION_RECORDED' = ANY (w."events"))`,
    async write(tx, p) {
      // The stored rows as ingestion holds them, oldest first (recordedAt, then id), as the table orders them.
      const points = [...p.points].sort(
        (a, b) => a.recordedAt.getTime() - b.recordedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      );
      await enqueue(app, { actor: { kind: 'SYSTEM', accountId: null }, tx }, [p.ownerId], 'LOCATION_RECORDED', {
        deviceId: encodeGlobalID('Device', p.deviceId),
        points: points.map((pt) => ({
          id: encodeGlobalID('LocationPoint', pt.id),
          recordedAt: pt.recordedAt.toISOString(),
          latitude: pt.latitude,
          longitude: pt.longitude,
          accuracy: pt.accuracy,
        })),
      });
    },
  };
}

export const outboxHooks = {
  async 'device.removed'(p: { deviceId: string; ownerId: string; deletedLocations: number }, meta: EventMeta, app: AppServices) {
    await enqueue(app, meta, [p.ownerId], 'DEVICE_REMOVED', {
      deviceId: encodeGlobalID('Device', p.deviceId),
      deletedLocations: p.deletedLocations,
    });
  },
  async 'sharing.changed'(
    p: { grantId: string; deviceId: string; ownerId: string; granteeId: string | null },
    meta: EventMeta,
    app: AppServices,
  ) {
    const accounts = [p.ownerId, ...(p.granteeId ? [p.granteeId] : [])];
    await enqueue(app, meta, accounts, 'SHARING_GRANT_CHANGED', {
      grantId: encodeGlobalID('SharingGrant', p.grantId),
      deviceId: encodeGlobalID('Device', p.deviceId),
    });
  },
  async 'consent.changed'(p: { accountId: string; purpose: string; granted: boolean }, meta: EventMeta, app: AppServices) {
    await enqueue(app, meta, [p.accountId], 'CONSENT_CHANGED', { purpose: p.purpose, granted: p.granted });
  },
};
