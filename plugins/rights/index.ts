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
  schema: (builder, refs) => addRightsSchema(builder, refs),
  rules: rightsRules,
  setup(app) {
    app.extensions.deletionGuards.push(openRequestGuard);
  },
});
