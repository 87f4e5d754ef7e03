/**
 * Cookies plugin: the portal's versioned cookie policy and each visitor's
 * explicit choices (signed, append-only), renewal after a new policy or 12
 * months, and Global Privacy Control honoured.
 */
import { addCookieSchema } from './schema';
import { cookieRules } from './rules';
import { seedCookiePolicy } from './service';
import { SEED_COOKIE_POLICY } from './seed-policy';
import { addExportContributor, definePlugin } from '../../schema/plugin-api';

export default definePlugin({
  name: 'cookies',
  description: 'Cookie policy versions, cookie consent per visitor, renewal and Global Privacy Control.',
  models: ['CookiePolicyVersion', 'CookieConsent'],
  purposes: [
    {
      code: 'COOKIES',
      title: { LV: 'Sīkdatnes portālā', EN: 'Cookies on the portal' },
      description: {
        LV: 'Nepieciešamās sīkdatnes portāla darbībai; veiktspējas, funkcionālās un reklāmas sīkdatnes tikai ar jūsu izvēli sīkdatņu logā.',
        EN: 'Necessary cookies to run the portal; performance, functional and advertising cookies only as you choose in the cookie banner.',
      },
      legalBasis: 'CONSENT',
      dataCategories: ['cookie identifiers', 'browsing on the portal'],
      recipients: ['analytics and advertising providers named in the cookie policy'],
      retention: 'Each cookie as listed in the cookie policy; the record of your choice P12M',
      consentRecordedBy: 'setCookieConsent',
    },
  ],
  schema: addCookieSchema,
  rules: cookieRules,
  setup(app) {
    addExportContributor(app, {
      section: 'cookieConsents',
      collect: (app, accountId) =>
        app.prisma.cookieConsent.findMany({
          where: { accountId },
          orderBy: { recordedAt: 'asc' },
          select: { id: true, visitorId: true, policyVersion: true, choices: true, globalPrivacyControl: true, recordedAt: true, expiresAt: true, receipt: true },
        }),
    });
  },
  seed: (app) => seedCookiePolicy(app, SEED_COOKIE_POLICY),
});
