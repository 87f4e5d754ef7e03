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
      dataCategories: ['cookie identifiers', 'cookie choices'],
      recipients: ['analytics and advertising providers named in the cookie policy'],
      recipientCategories: ['IT_SERVICE_PROVIDER', 'MARKETING_AGENCY'],
      retentionRules: ['COOKIE_CONSENTS'],
      retentionCriteria: {
        LV:
          'Katra sīkdatne tik ilgi, cik norādīts sīkdatņu politikā; izvēle tiek jautāta atkārtoti, kad politika ' +
          'mainās vai izvēle novecojusi.',
        EN: 'Each cookie as long as the cookie policy lists; the choice is asked again when the policy changes or the choice has expired.',
      },
      consentRecordedBy: 'setCookieConsent',
    },
  ],
  personalData: {
    CookiePolicyVersion: { other: 'id version updatedAt publishedAt publishedById categories cookies' },
    CookieConsent: {
      personal: {
        visitorId: ['cookie identifiers'],
        policyVersion: ['cookie choices'],
        choices: ['cookie choices'],
        globalPrivacyControl: ['cookie choices'],
        receipt: ['cookie choices'],
        recordedAt: ['cookie choices'],
        expiresAt: ['cookie choices'],
      },
      other: 'id accountId',
    },
  },
  schema: addCookieSchema,
  rules: cookieRules,
  setup(app) {
    addExportContributor(app, {
      section: 'cookieConsents',
      collect: (app, accountId) =>
        app.prisma.cookieConsent.findMany({
          where: { accountId },
          orderBy: { recordedAt: 'asc' },
          select: {
            id: true,
            visitorId: true,
            policyVersion: true,
            choices: true,
            globalPrivacyControl: true,
            recordedAt: true,
            expiresAt: true,
            receipt: true,
          },
        }),
    });
  },
  seed: (app) => seedCookiePolicy(app, SEED_COOKIE_POLICY),
});
