/**
 * Ended API keys' retention: a revoked or expired key can no longer be used,
 * but its record (name, scopes, when last used) stays listed for a while so
 * its owner can see what ended and when. After RETENTION_ENDED_API_KEYS
 * (default P30D) since it ended, the retention run deletes it.
 */
import type { PurgeScope, RetentionPurger } from '../../schema/plugin-api';
import { apiKeySettings } from './config';

const endedBefore = (cutoff: Date) => ({ OR: [{ revokedAt: { lt: cutoff } }, { expiresAt: { lt: cutoff } }] });

export const endedApiKeysPurger: RetentionPurger = {
  dataCategory: 'ENDED_API_KEYS',
  env: 'RETENTION_ENDED_API_KEYS',
  period: (app) => apiKeySettings.of(app).endedKeysRetention,
  description: {
    EN: 'Revoked or expired API keys are deleted this long after they ended.',
    LV: 'Atsauktās vai beigušās API atslēgas tiek dzēstas pēc šī laika kopš to beigām.',
  },
  async count({ app, cutoff, held }: PurgeScope) {
    const [eligible, kept] = await Promise.all([
      app.prisma.apiKey.count({ where: { ...endedBefore(cutoff), accountId: { notIn: held } } }),
      held.length ? app.prisma.apiKey.count({ where: { ...endedBefore(cutoff), accountId: { in: held } } }) : 0,
    ]);
    return { eligible, held: kept };
  },
  async deleteBatch({ cutoff, held }, tx, limit) {
    const rows = await tx.apiKey.findMany({
      where: { ...endedBefore(cutoff), accountId: { notIn: held } },
      select: { id: true },
      take: limit,
    });
    if (!rows.length) return 0;
    return (await tx.apiKey.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } })).count;
  },
};
