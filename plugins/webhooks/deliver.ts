/**
 * Delivery of the outbox: claims due rows with one UPDATE … WHERE id IN
 * (SELECT … FOR UPDATE SKIP LOCKED), so several instances running this job on
 * one database each take different rows and every event goes out once; a
 * claim expires (lockedUntil) if its instance dies. Signs per Standard
 * Webhooks (webhook-id = the delivery id, stable across retries, so receivers
 * can de-duplicate), retries with exponential backoff until retryUntil (24 h),
 * and logs status, attempts and the last response code on the row.
 */
import { Webhook } from 'standardwebhooks';
import { Prisma } from '../../generated/prisma/client';
import type { AppServices } from '../../schema/plugin-api';
import { webhookSettings } from './config';
import { checkWebhookTarget } from './targets';

const ts = (d: Date) => Prisma.sql`${d.toISOString()}::timestamp(3)`;

/** Claims and delivers up to `limit` due deliveries; returns how many were attempted. */
export async function deliverDue(app: AppServices, options: { now?: Date; limit?: number } = {}): Promise<number> {
  const now = options.now ?? new Date();
  const settings = webhookSettings.of(app);
  // Claims expire in real time (an instance that died mid-delivery), whatever `now` the caller schedules by.
  const realNow = new Date();
  const lockUntil = new Date(realNow.getTime() + settings.timeoutMs + 60_000);
  const claimed = await app.prisma.$queryRaw<{ id: string }[]>`
    UPDATE "WebhookDelivery" SET "status" = 'DELIVERING', "lockedUntil" = ${ts(lockUntil)}, "attempts" = "attempts" + 1
    WHERE "id" IN (
      SELECT "id" FROM "WebhookDelivery"
      WHERE ("status" = 'PENDING' AND "nextAttemptAt" <= ${ts(now)}) OR ("status" = 'DELIVERING' AND "lockedUntil" < ${ts(realNow)})
      ORDER BY "nextAttemptAt", "id"
      LIMIT ${options.limit ?? 50}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING "id"`;
  for (const { id } of claimed) await deliverOne(app, id, now);
  return claimed.length;
}

async function deliverOne(app: AppServices, id: string, now: Date) {
  const settings = webhookSettings.of(app);
  const delivery = await app.prisma.webhookDelivery.findUnique({ where: { id }, include: { webhook: true } });
  if (!delivery) return;
  if (!delivery.webhook.enabled) {
    await app.prisma.webhookDelivery.update({ where: { id }, data: { status: 'CANCELLED', lockedUntil: null } });
    return;
  }
  const body = JSON.stringify(delivery.payload);
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const url = await checkWebhookTarget(delivery.webhook.url, settings.allowPrivate);
    const secret = app.cipher.decrypt(delivery.webhook.secretEncrypted, `webhook:${delivery.webhook.id}`);
    const sentAt = new Date();
    const signature = new Webhook(secret).sign(delivery.id, sentAt, body);
    const response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(settings.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'location-platform-webhooks',
        'webhook-id': delivery.id,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
    });
    statusCode = response.status;
    await response.body?.cancel().catch(() => undefined);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) {
    await app.prisma.webhookDelivery.update({
      where: { id },
      data: { status: 'SUCCEEDED', lastStatusCode: statusCode, lastError: null, lockedUntil: null, deliveredAt: new Date() },
    });
    return;
  }
  const next = new Date(now.getTime() + settings.retryBaseMs * 2 ** Math.max(0, delivery.attempts - 1));
  const giveUp = next > delivery.retryUntil;
  await app.prisma.webhookDelivery.update({
    where: { id },
    data: {
      status: giveUp ? 'FAILED' : 'PENDING',
      nextAttemptAt: next,
      lockedUntil: null,
      lastStatusCode: statusCode,
      lastError: error ?? `HTTP ${statusCode}`,
    },
  });
}
