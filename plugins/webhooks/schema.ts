/** GraphQL types of the webhooks plugin: Webhook, deliveries log, create/enable/delete/redeliver. */
import { encodeGlobalID, resolveCursorConnection } from '@pothos/plugin-relay';
import type { Webhook, WebhookDelivery } from '../../generated/prisma/client';
import { badInput, requireAccount, requireId, type Builder } from '../../schema/plugin-api';
import { WEBHOOK_EVENTS, type WebhookEvent } from './outbox';
import { createWebhook, deleteWebhook, redeliver, setWebhookEnabled } from './service';

export function addWebhookSchema(builder: Builder) {
  const WebhookEventEnum = builder.enumType('WebhookEvent', { values: WEBHOOK_EVENTS });

  const WebhookRef = builder.objectRef<Webhook>('Webhook').implement({
    description: 'An HTTPS endpoint receiving events of the signed-in account (Standard Webhooks signatures).',
    fields: (t) => ({
      id: t.id({ resolve: (w) => encodeGlobalID('Webhook', w.id) }),
      url: t.exposeString('url'),
      events: t.field({ type: [WebhookEventEnum], resolve: (w) => w.events as WebhookEvent[] }),
      enabled: t.exposeBoolean('enabled'),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });

  const DeliveryRef = builder.objectRef<WebhookDelivery>('WebhookDelivery').implement({
    fields: (t) => ({
      id: t.id({ resolve: (d) => encodeGlobalID('WebhookDelivery', d.id), description: 'Also the webhook-id header.' }),
      event: t.field({ type: WebhookEventEnum, resolve: (d) => d.event as WebhookEvent }),
      status: t.exposeString('status', { description: 'PENDING, DELIVERING, SUCCEEDED, FAILED (gave up after 24 h) or CANCELLED.' }),
      attempts: t.exposeInt('attempts'),
      lastResponseCode: t.int({ nullable: true, resolve: (d) => d.lastStatusCode }),
      lastError: t.exposeString('lastError', { nullable: true }),
      nextAttemptAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => (d.status === 'PENDING' ? d.nextAttemptAt : null) }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
      payload: t.field({ type: 'JSON', resolve: (d) => d.payload }),
    }),
  });

  const WebhookCreated = builder.objectRef<{ webhook: Webhook; signingSecret: string }>('WebhookCreated').implement({
    fields: (t) => ({
      webhook: t.field({ type: WebhookRef, resolve: (c) => c.webhook }),
      signingSecret: t.exposeString('signingSecret', { description: 'whsec_…: verify signatures with it. Shown only now.' }),
    }),
  });

  const CreateWebhookInput = builder.inputType('CreateWebhookInput', {
    fields: (t) => ({ url: t.string({ required: true }), events: t.field({ type: [WebhookEventEnum], required: true }) }),
  });

  builder.queryFields((t) => ({
    webhooks: t.field({
      type: [WebhookRef],
      resolve: (_r, _a, ctx) =>
        ctx.app.prisma.webhook.findMany({ where: { accountId: requireAccount(ctx.viewer).accountId }, orderBy: { createdAt: 'desc' } }),
    }),
    webhookDeliveries: t.connection({
      type: DeliveryRef,
      description: 'The delivery log of one of your webhooks, newest first.',
      args: { webhookId: t.arg.id({ required: true }) },
      resolve: async (_r, args, ctx) => {
        const accountId = requireAccount(ctx.viewer).accountId;
        const webhookId = requireId(args.webhookId, 'Webhook');
        if ((args.first ?? 0) > 500) throw badInput('first', 'first must be at most 500.');
        const page = await resolveCursorConnection(
          { args, toCursor: (d) => (d as WebhookDelivery).id, defaultSize: 50, maxSize: 500 },
          ({ before, after, limit, inverted }) =>
            ctx.app.prisma.webhookDelivery.findMany({
              where: { webhookId, webhook: { accountId }, id: { ...(after ? { lt: after } : {}), ...(before ? { gt: before } : {}) } },
              orderBy: { id: inverted ? 'asc' : 'desc' },
              take: limit,
            }),
        );
        return page as unknown as { pageInfo: NonNullable<typeof page>['pageInfo']; edges: { cursor: string; node: WebhookDelivery }[] };
      },
    }),
  }));

  builder.mutationFields((t) => ({
    createWebhook: t.field({
      type: WebhookCreated,
      args: { input: t.arg({ type: CreateWebhookInput, required: true }) },
      resolve: (_r, { input }, ctx) => createWebhook(ctx.app, requireAccount(ctx.viewer).accountId, input),
    }),
    setWebhookEnabled: t.field({
      type: WebhookRef,
      description: 'Disabling stops deliveries at once (pending ones are cancelled).',
      args: { id: t.arg.id({ required: true }), enabled: t.arg.boolean({ required: true }) },
      resolve: (_r, a, ctx) => setWebhookEnabled(ctx.app, requireAccount(ctx.viewer).accountId, requireId(a.id, 'Webhook'), a.enabled),
    }),
    deleteWebhook: t.field({
      type: WebhookRef,
      args: { id: t.arg.id({ required: true }) },
      resolve: (_r, a, ctx) => deleteWebhook(ctx.app, requireAccount(ctx.viewer).accountId, requireId(a.id, 'Webhook')),
    }),
    redeliverWebhook: t.field({
      type: DeliveryRef,
      args: { deliveryId: t.arg.id({ required: true }) },
      resolve: (_r, a, ctx) => redeliver(ctx.app, requireAccount(ctx.viewer).accountId, requireId(a.deliveryId, 'WebhookDelivery')),
    }),
  }));
}
