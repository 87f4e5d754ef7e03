/**
 * The plugin's retention rules, registered in app.extensions.retentionPurgers
 * (the retention plugin runs them with its own; it does not import this one):
 * INQUIRIES a period after closing, COMPLAINTS a period after the answer (the
 * time in which claims can be brought; open complaints are never purged),
 * SURVEY_RESPONSES a period after submission. Accounts under a legal hold keep theirs.
 */
import { purgeRows, type Db, type RetentionPurger } from '../../schema/plugin-api';
import { communicationSettings } from './config';

function purger(
  dataCategory: 'INQUIRIES' | 'COMPLAINTS' | 'SURVEY_RESPONSES',
  description: RetentionPurger['description'],
  table: (db: Db) => unknown,
  expired: (cutoff: Date) => object,
): RetentionPurger {
  return {
    dataCategory,
    env: `RETENTION_${dataCategory}`,
    period: (app) => communicationSettings.of(app).retention[dataCategory],
    description,
    ...purgeRows({
      table,
      expired,
      // Complaints always belong to an account; inquiries and survey answers may be anonymous (accountId null, never held).
      ownedBy: (accounts) =>
        dataCategory !== 'COMPLAINTS' && 'notIn' in accounts
          ? { OR: [{ accountId: null }, { accountId: accounts }] }
          : { accountId: accounts },
    }),
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
      (db) => db.inquiry,
      (cutoff) => ({ closedAt: { lt: cutoff } }),
    ),
    purger(
      'COMPLAINTS',
      {
        EN: 'Complaints are kept until answered, then this long (the period in which claims can be brought), then deleted.',
        LV: 'Sūdzības glabā līdz atbildei un pēc tam šo laiku (kamēr var celt prasības), tad dzēš.',
      },
      (db) => db.complaint,
      (cutoff) => ({ status: { in: ['ANSWERED', 'REJECTED'] }, answeredAt: { lt: cutoff } }),
    ),
    purger(
      'SURVEY_RESPONSES',
      {
        EN: 'Survey answers (and any contact details left with them) are deleted this long after they were given.',
        LV: 'Aptauju atbildes (un ar tām atstātā kontaktinformācija) tiek dzēstas pēc šī laika, kopš tās sniegtas.',
      },
      (db) => db.surveyResponse,
      (cutoff) => ({ submittedAt: { lt: cutoff } }),
    ),
  ];
}
