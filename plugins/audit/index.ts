/**
 * Staff access and audit: need-to-know access cases for staff, and an
 * append-only, hash-chained log of every staff read or change of customer
 * data, export, erasure, retention run, consent and marketing change.
 * Publishes the audit service (api/audit.ts) for the other plugins.
 */
import { appendEvent, purgeOldest } from './chain';
import { auditStaffRead, caseCovers, openCaseFor, READ_ACTIONS } from './access-cases';
import { auditHooks } from './hooks';
import { auditRules } from './rules';
import { addAuditSchema } from './schema';
import { addExportContributor, type AuditService, definePlugin, type ExportContributor, registerAccountAccessPolicy } from '../../schema/plugin-api';

/** The person's copy of "who of the staff accessed my data" in their export. */
const accessLogSection: ExportContributor = {
  section: 'accessLog',
  async collect(app, accountId) {
    const events = await app.prisma.auditEvent.findMany({
      where: { subjectAccountId: accountId, actorKind: 'STAFF', NOT: { actorId: accountId } },
      orderBy: { seq: 'asc' },
    });
    const caseIds = [...new Set(events.map((e) => e.accessCaseId).filter((x): x is string => !!x))];
    const cases = await app.prisma.accessCase.findMany({ where: { id: { in: caseIds } } });
    return events.map((e) => ({
      at: e.at.toISOString(),
      action: e.action,
      staffId: e.actorId,
      caseReason: cases.find((c) => c.id === e.accessCaseId)?.reason ?? null,
    }));
  },
};

export default definePlugin({
  name: 'audit',
  description: 'Staff access cases and the tamper-evident audit log.',
  models: ['AccessCase', 'AuditEvent', 'AuditChainHead'],
  schema: (builder, refs) => {
    addAuditSchema(builder, refs);
  },
  rules: auditRules,
  hooks: auditHooks,
  setup(app) {
    const service: AuditService = {
      record: async (tx, entry) => {
        await appendEvent(tx, entry);
      },
      purgeBefore: purgeOldest,
      countBefore: async (before) => {
        const head = await app.prisma.auditChainHead.findUniqueOrThrow({ where: { id: 1 } });
        const firstKept = await app.prisma.auditEvent.findFirst({
          where: { seq: { gt: head.prunedToSeq }, at: { gte: before } },
          orderBy: { seq: 'asc' },
          select: { seq: true },
        });
        return app.prisma.auditEvent.count({ where: { seq: { gt: head.prunedToSeq, ...(firstKept ? { lt: firstKept.seq } : {}) } } });
      },
    };
    app.extensions.audit = service;
    registerAccountAccessPolicy(app, async (ctx, accountId, scope) => {
      const c = await openCaseFor(ctx, accountId);
      if (!c || !caseCovers(c.scope, scope)) return false;
      await auditStaffRead(ctx, accountId, c, READ_ACTIONS[scope]);
      return true;
    });
    addExportContributor(app, accessLogSection);
  },
});
