/**
 * The plugin's retention rules, registered in app.extensions.retentionPurgers
 * (the retention plugin runs them with its own; it does not import this one):
 * INQUIRIES a period after closing, COMPLAINTS a period after the answer (the
 * time in which claims can be brought; open complaints are never purged),
 * SURVEY_RESPONSES a period after submission. Accounts under a legal hold keep theirs.
 */
import { type AppServices, type RetentionPurger, type Tx } from '../../schema/plugin-api';
import { communicationSettings } from './config';

type Where = Record<string, unknown>;
type Table = {
  count(a: { where: Where }): Promise<number>;
  findMany(a: { where: Where; select: { id: true }; take: number }): Promise<{ id: string }[]>;
  deleteMany(a: { where: Where }): Promise<{ count: number }>;
};

function purger(
  dataCategory: 'INQUIRIES' | 'COMPLAINTS' | 'SURVEY_RESPONSES',
  description: RetentionPurger['description'],
  table: (db: AppServices['prisma'] | Tx) => Table,
  expired: (cutoff: Date) => Where,
): RetentionPurger {
  // Complaints always belong to an account; inquiries and survey answers may be anonymous (accountId null).
  const notHeld = (held: string[]) =>
    dataCategory === 'COMPLAINTS' ? { accountId: { notIn: held } } : { OR: [{ accountId: null }, { accountId: { notIn: held } }] };
  return {
    dataCategory,
    env: `RETENTION_${dataCategory}`,
    period: (app) => communicationSettings.of(app).retention[dataCategory],
    description,
    async count({ app, cutoff, held }) {
      const base = expired(cutoff);
      const [eligible, kept] = await Promise.all([
        table(app.prisma).count({ where: { AND: [base, notHeld(held)] } }),
        held.length ? table(app.prisma).count({ where: { AND: [base, { accountId: { in: held } }] } }) : 0,
      ]);
      return { eligible, held: kept };
    },
    async deleteBatch({ cutoff, held }, tx, limit) {
      const rows = await table(tx).findMany({ where: { AND: [expired(cutoff), notHeld(held)] }, select: { id: true }, take: limit });
      if (!rows.length) return 0;
      return (await table(tx).deleteMany({ where: { id: { in: rows.map((r) => r.id) } } })).count;
    },
  };
}

export function communicationPurgers(): RetentionPurger[] {
  return [
    purger(
      'INQUIRIES',
      {
        EN: 'Inquiries and their answers are deleted this long after the inquiry was closed.',
        LV: 'Jautājumi un atbildes uz tiem tiek dzēsti pēc šī laika, kopš jautājums slēgts.',
      },
      (db) => db.inquiry as never,
      (cutoff) => ({ closedAt: { lt: cutoff } }),
    ),
    purger(
      'COMPLAINTS',
      {
        EN: 'Complaints are kept until answered, then this long (the period in which claims can be brought), then deleted.',
        LV: 'Sūdzības glabā līdz atbildei un pēc tam šo laiku (kamēr var celt prasības), tad dzēš.',
      },
      (db) => db.complaint as never,
      (cutoff) => ({ status: { in: ['ANSWERED', 'REJECTED'] }, answeredAt: { lt: cutoff } }),
    ),
    purger(
      'SURVEY_RESPONSES',
      {
        EN: 'Survey answers (and any contact details left with them) are deleted this long after they were given.',
        LV: 'Aptauju atbildes (un ar tām atstātā kontaktinformācija) tiek dzēstas pēc šī laika, kopš tās sniegtas.',
      },
      (db) => db.surveyResponse as never,
      (cutoff) => ({ submittedAt: { lt: cutoff } }),
    ),
  ];
}
