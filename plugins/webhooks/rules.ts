/** Who may use webhooks: a signed-in account, for its own (resolvers scope to the viewer); API keys need WEBHOOKS_MANAGE (index.ts). */
import { allow, isAccount, type RuleMap } from '../../schema/plugin-api';

export const webhookRules: RuleMap = {
  Query: { webhooks: isAccount, webhookDeliveries: isAccount },
  Mutation: { createWebhook: isAccount, setWebhookEnabled: isAccount, deleteWebhook: isAccount, redeliverWebhook: isAccount },
  Webhook: allow,
  WebhookDelivery: allow,
  WebhookCreated: allow,
  QueryWebhookDeliveriesConnection: allow,
  QueryWebhookDeliveriesConnectionEdge: allow,
};
