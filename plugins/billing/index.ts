/**
 * Billing: service plans, subscriptions, invoices with gap-free numbers, card
 * payments from Stripe's webhook and bank transfers entered by ACCOUNTING,
 * renewal and overdue invoices, debt cases (a hold on the account), identity
 * checks before some purchases, the accounting-records retention rule, and
 * minimised invoices that outlive an erased account. Works with core and
 * other plugins only through extension points (retentionGuards,
 * retentionPurgers, erasureNotices, purchaseCheck, exportContributors).
 */
import { Prisma } from '../../generated/prisma/client';
import { addExportContributor, definePlugin } from '../../schema/plugin-api';
import { billingSettings } from './config';
import { billingPersonalData, billingPurposes } from './purposes';
import { addBillingSchema } from './schema';
import { billingRules } from './rules';
import { stripeWebhookRoute } from './stripe-webhook';
import { runBilling } from './renewal';
import { accountingRecords, billingErasureNotices, billingRetentionGuard, minimiseOnErasure } from './retention';
import { collectBilling } from './export';

export default definePlugin({
  name: 'billing',
  description: 'Plans, subscriptions, invoices, payments (Stripe, bank transfer), renewal, debt cases, accounting records.',
  models: [
    'ServicePlan',
    'Subscription',
    'InvoiceSequence',
    'Invoice',
    'Payment',
    'PaymentProviderEvent',
    'DebtCase',
    'IdentityVerification',
  ],
  config: billingSettings,
  purposes: billingPurposes,
  personalData: billingPersonalData,
  schema: addBillingSchema,
  rules: billingRules,
  routes: [stripeWebhookRoute],
  hooks: {
    'account.deleting': async (p, meta) => {
      if (meta.tx) await minimiseOnErasure(meta.tx, p.accountId);
    },
  },
  jobs: [{ name: 'billing', everySeconds: (app) => billingSettings.of(app).intervalSeconds, run: (app) => runBilling(app) }],
  setup(app) {
    app.extensions.retentionGuards.push(billingRetentionGuard);
    app.extensions.retentionPurgers.push(accountingRecords);
    app.extensions.erasureNotices.push(billingErasureNotices);
    // Soft opt-in (similar-product notices) needs a purchase: a paid invoice.
    app.extensions.purchaseCheck = {
      sqlCondition: (alias) =>
        Prisma.sql`EXISTS (SELECT 1 FROM "Invoice" i WHERE i."accountId" = ${Prisma.raw(`${alias}."id"`)} AND i."status" = 'PAID')`,
      hasBought: async (db, accountId) => (await db.invoice.count({ where: { accountId, status: 'PAID' } })) > 0,
    };
    addExportContributor(app, { section: 'billing', collect: collectBilling });
  },
});
