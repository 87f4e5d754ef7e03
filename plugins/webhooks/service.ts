/** Managing webhooks: create (secret shown once), enable/disable, delete, redeliver; every call scoped to the viewer's account. */
import { randomBytes } from 'node:crypto';
import { badInput, notFound, type AppServices } from '../../schema/plugin-api';
import { webhookSettings } from './config';
import { checkWebhookTarget } from './targets';
import { RETRY_WINDOW_MS, WEBHOOK_EVENTS, type WebhookEvent } from './outbox';

const MAX_WEBHOOKS_PER_ACCOUNT = 20;

export async function createWebhook(app: AppServices, accountId: string, input: { url: string; events: readonly string[] }) {
  const url = await checkWebhookTarget(input.url, webhookSettings.of(app).allowPrivate);
  const events = [...new Set(input.events)];
  if (!events.length || events.some((e) => !WEBHOOK_EVENTS.includes(e as WebhookEvent))) {
    throw badInput('input.events', 'Choose at least one event.');
  }
  if ((await app.prisma.webhook.count({ where: { accountId } })) >= MAX_WEBHOOKS_PER_ACCOUNT) {
    throw badInput('input', `At most ${MAX_WEBHOOKS_PER_ACCOUNT} webhooks per account.`);
  }
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  return app.prisma.$transaction(async (tx) => {
    const created = await tx.webhook.create({ data: { accountId, url: url.toString(), events, secretEncrypted: '' } });
    const webhook = await tx.webhook.update({
      where: { id: created.id },
      data: { secretEncrypted: app.cipher.encrypt(secret, `webhook:${created.id}`) },
    });
    return { webhook, signingSecret: secret };
  });
}

async function own(app: AppServices, accountId: string, webhookId: string) {
  const webhook = await app.prisma.webhook.findFirst({ where: { id: webhookId, accountId } });
  if (!webhook) throw notFound('Webhook');
  return webhook;
}

/** Disabling stops deliveries at once: pending ones are cancelled (and claimed ones cancel themselves). */
export async function setWebhookEnabled(app: AppServices, accountId: string, webhookId: string, enabled: boolean) {
  await own(app, accountId, webhookId);
  return app.prisma.$transaction(async (tx) => {
    if (!enabled) await tx.webhookDelivery.updateMany({ where: { webhookId, status: 'PENDING' }, data: { status: 'CANCELLED' } });
    return tx.webhook.update({ where: { id: webhookId }, data: { enabled } });
  });
}

/** Deletes the webhook and its delivery log (cascade). */
export async function deleteWebhook(app: AppServices, accountId: string, webhookId: string) {
  const webhook = await own(app, accountId, webhookId);
  await app.prisma.webhook.delete({ where: { id: webhookId } });
  return webhook;
}

/** Queues a delivery again (same webhook-id, so receivers can de-duplicate), with a fresh 24 h of retries. */
export async function redeliver(app: AppServices, accountId: string, deliveryId: string) {
  const delivery = await app.prisma.webhookDelivery.findFirst({
    where: { id: deliveryId, webhook: { accountId } },
    include: { webhook: true },
  });
  if (!delivery) throw notFound('Webhook delivery');
  if (!delivery.webhook.enabled) throw badInput('deliveryId', 'The webhook is disabled; enable it first.');
  if (delivery.status === 'DELIVERING') return delivery;
  const now = new Date();
  return app.prisma.webhookDelivery.update({
    where: { id: deliveryId },
    data: { status: 'PENDING', nextAttemptAt: now, retryUntil: new Date(now.getTime() + RETRY_WINDOW_MS), attempts: 0 },
  });
}
