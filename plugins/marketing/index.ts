/**
 * Marketing plugin: commercial notices that honour the law and the person.
 * Similar-product notices to customers (soft opt-in) unless they opted out or
 * objected; other notices only with consent per channel (MARKETING_EMAIL, ...);
 * opt-outs from the account, from staff (phone, e-mail, office) and by a signed
 * one-click link, all effective at once; audiences for the MARKETING role.
 */
import { marketingPurposes } from './purposes';
import { addMarketingSchema } from './schema';
import { marketingRules } from './rules';
import { unsubscribeRoutes } from './routes';
import { MARKETING_EVENTS } from './events';
import { recordOptOut } from './service';
import { addExportContributor, definePlugin, type Tx } from '../../schema/plugin-api';

export default definePlugin({
  name: 'marketing',
  description: 'Commercial notices: consent per channel, opt-outs, one-click unsubscribe, audiences.',
  models: ['MarketingOptOut'],
  events: MARKETING_EVENTS,
  purposes: marketingPurposes,
  personalData: {
    MarketingOptOut: {
      personal: Object.fromEntries(['scope', 'channel', 'via', 'receivedAt', 'effectiveAt'].map((f) => [f, ['marketing preferences']])),
      other: 'id accountId recordedById tokenId',
    },
  },
  schema: addMarketingSchema,
  rules: marketingRules,
  routes: unsubscribeRoutes,
  hooks: {
    // An objection to this one purpose (objectToProcessing) stops similar-product notices on every channel at once.
    'processing.objected': async (p, meta, app) => {
      if (p.purpose !== 'MARKETING_SIMILAR_PRODUCTS') return;
      const optOut = (tx: Tx) =>
        recordOptOut(app, tx, { accountId: p.accountId, scope: 'SIMILAR_PRODUCTS', channel: null, via: 'ACCOUNT', recordedById: null });
      await (meta.tx ? optOut(meta.tx) : app.prisma.$transaction(optOut));
    },
  },
  setup(app) {
    // The person's opt-outs in their data export (consents are in the core ledger's section).
    addExportContributor(app, {
      section: 'marketingOptOuts',
      collect: (app, accountId) =>
        app.prisma.marketingOptOut.findMany({
          where: { accountId },
          orderBy: { receivedAt: 'asc' },
          select: { id: true, scope: true, channel: true, via: true, receivedAt: true, effectiveAt: true, recordedById: true },
        }),
    });
  },
});
