/**
 * API-keys plugin: `lp_…` secrets for server-to-server integrations. A key
 * acts as the account that created it, limited to its scopes and never with a
 * staff role; revoking it stops requests and open subscriptions at once.
 * Core recognises the tokens through app.extensions.apiKeys (api/auth/viewer.ts).
 */
import { addExportContributor, definePlugin } from '../../schema/plugin-api';
import { addApiKeySchema } from './schema';
import { apiKeySettings } from './config';
import { endedApiKeysPurger } from './retention';
import { apiKeyRules } from './rules';
import { apiKeyService } from './service';

export default definePlugin({
  name: 'api-keys',
  description: 'API keys with scopes for integrations (Authorization: Bearer lp_…).',
  models: ['ApiKey'],
  config: apiKeySettings,
  purposes: [
    {
      code: 'API_KEYS',
      title: { LV: 'API atslēgas integrācijām', EN: 'API keys for integrations' },
      description: {
        LV: 'Jūsu izveidotās API atslēgas (nosaukums, tiesības, pēdējās lietošanas laiks), lai jūsu sistēmas varētu piekļūt jūsu datiem.',
        EN: 'The API keys you create (name, scopes, when last used), so that your systems can reach your data.',
      },
      legalBasis: 'CONTRACT',
      dataCategories: ['api keys'],
      recipients: ['hosting provider in the EU/EEA'],
      recipientCategories: ['IT_SERVICE_PROVIDER'],
      retentionRules: ['INACTIVE_ACCOUNTS', 'ENDED_API_KEYS'],
      retentionCriteria: {
        LV: 'Kamēr atslēga ir derīga un vēl neilgi pēc tās atsaukšanas vai beigām (lai redzētu, kas beidzās), vai līdz konta dzēšanai.',
        EN: 'While the key is valid, and briefly after it is revoked or expires (so you can see what ended), or until the account is deleted.',
      },
    },
  ],
  personalData: {
    ApiKey: {
      personal: { name: ['api keys'], scopes: ['api keys'], createdAt: ['api keys'], lastUsedAt: ['api keys'], revokedAt: ['api keys'] },
      other: 'id accountId prefix secretHash expiresAt',
    },
  },
  schema: addApiKeySchema,
  rules: apiKeyRules,
  setup(app) {
    app.extensions.apiKeys = apiKeyService(app);
    app.extensions.retentionPurgers.push(endedApiKeysPurger);
    addExportContributor(app, {
      section: 'apiKeys',
      collect: (app, accountId) =>
        app.prisma.apiKey.findMany({
          where: { accountId },
          orderBy: { createdAt: 'asc' },
          select: { id: true, name: true, prefix: true, scopes: true, createdAt: true, expiresAt: true, lastUsedAt: true, revokedAt: true },
        }),
    });
  },
});
