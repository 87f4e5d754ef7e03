/**
 * Retention: a public rule per data category (periods from RETENTION_*),
 * a scheduled purge (RETENTION_INTERVAL, also `npm run retention`), dry
 * runs, recorded runs, legal holds, and the inactivity deadline
 * Account.scheduledDeletionAt = lastActiveAt + RETENTION_INACTIVE_ACCOUNTS.
 */
import { retentionSettings } from './rules-config';
import { publicRules } from './all-rules';
import { retentionCommand } from './command';
import { runRetention } from './run';
import { isHeld } from './holds';
import { addRetentionSchema } from './schema';
import { addDuration, allow, conflict, definePlugin, hasAnyRole } from '../../schema/plugin-api';

const dpoOrAdmin = hasAnyRole('DPO', 'ADMIN');

export default definePlugin({
  name: 'retention',
  description: 'Retention rules, scheduled purges, legal holds and the inactivity deadline.',
  models: ['RetentionRun', 'LegalHold'],
  config: retentionSettings,
  personalData: {
    RetentionRun: { other: 'id dryRun startedAt finishedAt results startedById' },
    LegalHold: {
      personal: { reason: ['legal holds'], createdAt: ['legal holds'], until: ['legal holds'], releasedAt: ['legal holds'] },
      other: 'id accountId placedById',
    },
  },
  setup(app) {
    app.extensions.retentionRules = { list: () => publicRules(app) };
  },
  commands: [retentionCommand],
  schema: (builder, refs) => addRetentionSchema(builder, refs),
  rules: {
    Query: { retentionRules: allow, retentionRuns: dpoOrAdmin },
    Mutation: { runRetention: dpoOrAdmin, placeLegalHold: dpoOrAdmin, releaseLegalHold: dpoOrAdmin },
    RetentionRule: allow,
    RetentionResult: dpoOrAdmin,
    RetentionHeldReason: dpoOrAdmin,
    RetentionRun: dpoOrAdmin,
    RetentionRunConnection: dpoOrAdmin,
    RetentionRunEdge: dpoOrAdmin,
    LegalHold: dpoOrAdmin,
  },
  hooks: {
    'account.registered': async (p, meta, app) => {
      const { periods } = retentionSettings.of(app);
      const db = meta.tx ?? app.prisma;
      await db.account.update({
        where: { id: p.accountId },
        data: { scheduledDeletionAt: addDuration(new Date(), periods.INACTIVE_ACCOUNTS) },
      });
    },
    /** Any authenticated activity of the account or its devices moves the deadline. */
    'account.active': async (p, meta, app) => {
      const { periods } = retentionSettings.of(app);
      const db = meta.tx ?? app.prisma;
      await db.account.updateMany({
        where: { id: p.accountId },
        data: { scheduledDeletionAt: addDuration(p.at, periods.INACTIVE_ACCOUNTS) },
      });
    },
    'account.deleting': async (p, meta, app) => {
      if (meta.tx && (await isHeld(app, meta.tx, p.accountId))) {
        throw conflict('A legal hold applies to this account; it cannot be erased while the hold lasts.');
      }
    },
  },
  jobs: [
    {
      name: 'retention',
      everySeconds: (app) => retentionSettings.of(app).intervalSeconds,
      run: (app) => runRetention(app, { dryRun: false }),
    },
  ],
});
