/**
 * Webhooks plugin: an account's HTTPS endpoints receive its events
 * (LOCATION_RECORDED, DEVICE_REMOVED, SHARING_GRANT_CHANGED, CONSENT_CHANGED),
 * signed per Standard Webhooks, written to an outbox in the transaction of the
 * change (outbox.ts) and delivered by the job (deliver.ts) once across instances.
 */
import { addExportContributor, definePlugin } from '../../schema/plugin-api';
import { webhookSettings } from './config';
import { deliverDue } from './deliver';
import { locationRecordedOutbox, outboxHooks } from './outbox';
import { webhookDeliveriesPurger } from './retention';
import { webhookRules } from './rules';
import { addWebhookSchema } from './schema';

export default definePlugin({
  name: 'webhooks',
  description: 'Signed webhooks (Standard Webhooks) for account events, with an outbox, retries for 24 h and a delivery log.',
  models: ['Webhook', 'WebhookDelivery'],
  config: webhookSettings,
  purposes: [
    {
      code: 'WEBHOOKS',
      title: { LV: 'Tīmekļa āķi (webhooks) integrācijām', EN: 'Webhooks for integrations' },
      description: {
        LV: 'Jūsu norādītajām adresēm sūtām jūsu izvēlētos notikumus (arī atrašanās vietas); piegāžu žurnālu glabājam kļūdu novēršanai.',
        EN: 'We send the events you choose (locations included) to the addresses you give, and keep a delivery log for troubleshooting.',
      },
      legalBasis: 'CONTRACT',
      dataCategories: ['webhooks', 'location'],
      recipients: ['the endpoints you configure'],
      recipientCategories: ['OTHER_PROCESSOR'],
      retentionRules: ['INACTIVE_ACCOUNTS', 'WEBHOOK_DELIVERIES'],
      retentionCriteria: {
        LV: 'Tīmekļa āķi – līdz to vai konta dzēšanai; piegāžu žurnāls – īslaicīgi, kļūdu novēršanai, tad dzēsts.',
        EN: 'Webhooks until you delete them or the account is deleted; the delivery log briefly, for troubleshooting, then deleted.',
      },
    },
  ],
  personalData: {
    Webhook: {
      personal: { url: ['webhooks'], events: ['webhooks'], createdAt: ['webhooks'] },
      other: 'id accountId secretEncrypted enabled',
    },
    WebhookDelivery: {
      personal: { payload: ['location', 'webhooks'], event: ['webhooks'], createdAt: ['webhooks'], deliveredAt: ['webhooks'] },
      other: 'id webhookId status attempts nextAttemptAt lockedUntil retryUntil lastStatusCode lastError',
    },
  },
  apiScopes: {
    'Query.webhooks': 'WEBHOOKS_MANAGE',
    'Query.webhookDeliveries': 'WEBHOOKS_MANAGE',
    'Mutation.createWebhook': 'WEBHOOKS_MANAGE',
    'Mutation.setWebhookEnabled': 'WEBHOOKS_MANAGE',
    'Mutation.deleteWebhook': 'WEBHOOKS_MANAGE',
    'Mutation.redeliverWebhook': 'WEBHOOKS_MANAGE',
  },
  schema: addWebhookSchema,
  rules: webhookRules,
  hooks: outboxHooks,
  jobs: [{ name: 'deliver', everySeconds: 5, run: (app) => deliverDue(app) }],
  setup(app) {
    app.extensions.retentionPurgers.push(webhookDeliveriesPurger);
    app.extensions.locationOutboxes.push(locationRecordedOutbox(app));
    addExportContributor(app, {
      section: 'webhooks',
      // With each webhook its delivery log (kept RETENTION_WEBHOOK_DELIVERIES): the events sent and what became of them.
      collect: (app, accountId) =>
        app.prisma.webhook.findMany({
          where: { accountId },
          orderBy: { createdAt: 'asc' },
          select: {
            id: true,
            url: true,
            events: true,
            enabled: true,
            createdAt: true,
            deliveries: {
              orderBy: { id: 'asc' },
              select: { id: true, event: true, payload: true, status: true, attempts: true, createdAt: true, deliveredAt: true },
            },
          },
        }),
    });
  },
});
