/**
 * The plugin's retention rules, registered in app.extensions.retentionPurgers
 * (the retention plugin runs them with its own; it does not import this one):
 * INQUIRIES a period after closing, COMPLAINTS a period after the answer (the
 * time in which claims can be brought; open complaints are never purged),
 * SURVEY_RESPONSES a period after submission. Accounts under a legal hold keep theirs.
 */
import { type AppServices, type RetentionPurger, subtractDuration } from '../../schema/plugin-api';
import { communicationSettings } from './config';

type Where = Record<string, unknown>;

function purger(
  dataCategory: 'INQUIRIES' | 'COMPLAINTS' | 'SURVEY_RESPONSES',
  period: string,
  description: RetentionPurger['description'],
  table: (app: AppServices) => { count(a: { where: Where }): Promise<number>; deleteMany(a: { where: Where }): Promise<{ count: number }> },
  expired: (cutoff: Date) => Where,
): RetentionPurger {
  return {
    dataCategory,
    period,
    description,
    async purge(app, { now, dryRun, heldAccountIds }) {
      const base = expired(subtractDuration(now, period));
      const notHeld =
        dataCategory === 'COMPLAINTS'
          ? { accountId: { notIn: heldAccountIds } }
          : { OR: [{ accountId: null }, { accountId: { notIn: heldAccountIds } }] };
      const free = { AND: [base, notHeld] };
      const held = heldAccountIds.length ? await table(app).count({ where: { AND: [base, { accountId: { in: heldAccountIds } }] } }) : 0;
      const deleted = dryRun ? await table(app).count({ where: free }) : (await table(app).deleteMany({ where: free })).count;
      return { deleted, held };
    },
  };
}

export function communicationPurgers(app: AppServices): RetentionPurger[] {
  const { retention } = communicationSettings.of(app);
  return [
    purger(
      'INQUIRIES',
      retention.INQUIRIES,
      {
        EN: 'Inquiries and their answers are deleted this long after the inquiry was closed.',
        LV: 'Jautājumi un atbildes uz tiem tiek dzēsti pēc šī laika, kopš jautājums slēgts.',
      },
      (app) => app.prisma.inquiry as never,
      (cutoff) => ({ closedAt: { lt: cutoff } }),
    ),
    purger(
      'COMPLAINTS',
      retention.COMPLAINTS,
      {
        EN: 'Complaints are kept until answered, then this long (the period in which claims can be brought), then deleted.',
        LV: 'Sūdzības glabā līdz atbildei un pēc tam šo laiku (kamēr var celt prasības), tad dzēš.',
      },
      (app) => app.prisma.complaint as never,
      (cutoff) => ({ status: { in: ['ANSWERED', 'REJECTED'] }, answeredAt: { lt: cutoff } }),
    ),
    purger(
      'SURVEY_RESPONSES',
      retention.SURVEY_RESPONSES,
      {
        EN: 'Survey answers (and any contact details left with them) are deleted this long after they were given.',
        LV: 'Aptauju atbildes (un ar tām atstātā kontaktinformācija) tiek dzēstas pēc šī laika, kopš tās sniegtas.',
      },
      (app) => app.prisma.surveyResponse as never,
      (cutoff) => ({ submittedAt: { lt: cutoff } }),
    ),
  ];
}
