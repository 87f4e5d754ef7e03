/**
 * Data-subject rights (GDPR art. 12-22): requests with verification and
 * deadlines, carried out on completion (export, rectification, erasure,
 * restriction, objection); self-service export in JSON, GeoJSON, GPX and
 * CSV; immediate self-service erasure.
 */
import { rightsRules } from './rules';
import { addRightsSchema } from './schema';
import { OPEN_STATUSES } from './requests';
import { definePlugin, type DeletionGuard } from '../../schema/plugin-api';

/** Retention keeps an account (and its exports) while a request of the person is awaiting verification or in progress. */
const openRequestGuard: DeletionGuard = {
  reason: 'OPEN_REQUEST',
  async heldAccountIds(app) {
    const rows = await app.prisma.dataSubjectRequest.findMany({
      where: { status: { in: [...OPEN_STATUSES] } },
      distinct: ['accountId'],
      select: { accountId: true },
    });
    return rows.map((r) => r.accountId);
  },
};

export default definePlugin({
  name: 'rights',
  description: 'Data-subject requests, exports and erasure.',
  models: ['DataSubjectRequest', 'DataExport'],
  purposes: [
    {
      code: 'DATA_SUBJECT_RIGHTS',
      title: { LV: 'Datu subjekta tiesību nodrošināšana', EN: 'Handling your data-protection rights' },
      description: {
        LV: 'Piekļuves, kopijas, labošanas, dzēšanas, ierobežošanas, iebildumu un pārnesamības pieprasījumu izpilde (VDAR 12.-22. pants).',
        EN: 'Carrying out requests for access, a copy, rectification, erasure, restriction, objection and portability (GDPR art. 12-22).',
      },
      legalBasis: 'LEGAL_OBLIGATION',
      dataCategories: ['name', 'email', 'data-subject requests', 'copy of personal data'],
      recipients: ['hosting provider in the EU/EEA'],
      recipientCategories: ['IT_SERVICE_PROVIDER'],
      retentionRules: ['DATA_EXPORTS', 'INACTIVE_ACCOUNTS'],
      retentionCriteria: {
        LV: 'Kamēr pieprasījums tiek izskatīts un izpildīts, pēc tam kamēr pastāv konts.',
        EN: 'While the request is examined and carried out, then while the account exists.',
      },
    },
  ],
  personalData: {
    DataSubjectRequest: {
      personal: Object.fromEntries(
        [
          'kind',
          'status',
          'details',
          'submittedAt',
          'dueAt',
          'verifiedAt',
          'verificationMethod',
          'completedAt',
          'extensionReason',
          'rejectionReason',
        ].map((f) => [f, ['data-subject requests']]),
      ),
      other: 'id accountId submittedById exportId',
    },
    DataExport: {
      personal: {
        content: ['copy of personal data'],
        createdAt: ['data-subject requests'],
        format: ['data-subject requests'],
        free: ['data-subject requests'],
      },
      other: 'id accountId sizeBytes',
    },
    Account: { personal: { dataExportCopies: ['data-subject requests'] } },
  },
  schema: (builder, refs) => addRightsSchema(builder, refs),
  rules: rightsRules,
  setup(app) {
    app.extensions.deletionGuards.push(openRequestGuard);
  },
});
