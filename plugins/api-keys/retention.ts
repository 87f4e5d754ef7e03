/**
 * Ended API keys' retention: a revoked or expired key can no longer be used,
 * but its record (name, scopes, when last used) stays listed for a while so
 * its owner can see what ended and when. After RETENTION_ENDED_API_KEYS
 * (default P30D) since it ended, the retention run deletes it.
 */
import { purgeRows, type RetentionPurger } from '../../schema/plugin-api';
import { apiKeySettings } from './config';

export const endedApiKeysPurger: RetentionPurger = {
  dataCategory: 'ENDED_API_KEYS',
  env: 'RETENTION_ENDED_API_KEYS',
  period: (app) => apiKeySettings.of(app).endedKeysRetention,
  description: {
    EN: 'Revoked or expired API keys are deleted this long after they ended.',
    LV: 'Atsauktās vai beigušās API atslēgas tiek dzēstas pēc šī laika kopš to beigām.',
  },
  ...purgeRows({
    table: (db) => db.apiKey,
    expired: (cutoff) => ({ OR: [{ revokedAt: { lt: cutoff } }, { expiresAt: { lt: cutoff } }] }),
    ownedBy: (accounts) => ({ accountId: accounts }),
  }),
};
