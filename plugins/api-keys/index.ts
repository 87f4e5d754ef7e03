/**
 * API-keys plugin: `lp_…` secrets for server-to-server integrations. A key
 * acts as the account that created it, limited to its scopes and never with a
 * staff role; revoking it stops requests and open subscriptions at once.
 * Core recognises the tokens through app.extensions.apiKeys (api/auth/viewer.ts).
 */
import { addExportContributor, definePlugin } from '../../schema/plugin-api';
import { addApiKeySchema } from './schema';
import { apiKeyRules } from './rules';
import { apiKeyService } from './service';

export default definePlugin({
  name: 'api-keys',
  description: 'API keys with scopes for integrations (Authorization: Bearer lp_…).',
  models: ['ApiKey'],
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
      retentionRules: ['INACTIVE_ACCOUNTS'],
      retentionCriteria: { LV: 'Līdz atslēgas atsaukšanai vai konta dzēšanai.', EN: 'Until you revoke the key or the account is deleted.' },
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
