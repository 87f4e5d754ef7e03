/**
 * Staff access and audit: need-to-know access cases for staff, and an
 * append-only, hash-chained log of every staff read or change of customer
 * data, export, erasure, retention run, consent and marketing change.
 * Publishes the audit service (api/audit.ts) for the other plugins.
 */
import { appendEvent, purgeOldest } from './chain';
import { auditStaffRead, caseCovers, openCaseFor, READ_ACTIONS } from './access-cases';
import { auditHooks } from './hooks';
import { collectDisclosures } from './disclosures';
import { addDisclosureSchema } from './disclosures-schema';
import { auditRules } from './rules';
import { addAuditSchema } from './schema';
import {
  addExportContributor,
  type AuditService,
  definePlugin,
  type ExportContributor,
  registerAccountAccessPolicy,
} from '../../schema/plugin-api';

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
  models: ['AccessCase', 'AuditEvent', 'AuditChainHead', 'Disclosure'],
  purposes: [
    {
      code: 'DISCLOSURES_TO_CONTROLLERS',
      title: { LV: 'Datu nodošana citiem pārziņiem', EN: 'Disclosures to other controllers' },
      description: {
        LV:
          'Personas datu nodošana tiesībsargājošām iestādēm, bankām un citām personām pēc pamatota pieprasījuma ' +
          'normatīvajos aktos noteiktajā kārtībā; katra nodošana tiek reģistrēta, un persona to redz, tiklīdz ' +
          'tas vairs nav konfidenciāli.',
        EN:
          'Giving personal data to law enforcement, banks and others with a lawful request, as the law ' +
          'provides; every disclosure is recorded, and the person sees it once it is no longer confidential.',
      },
      legalBasis: 'LEGAL_OBLIGATION',
      dataCategories: ['name', 'email', 'phone', 'address', 'personal code', 'bank account', 'location', 'disclosures'],
      recipients: ['law enforcement authorities', 'banks and payment service providers', 'others with a lawful request'],
      recipientCategories: ['LAW_ENFORCEMENT', 'BANK_PAYMENT_PROVIDER', 'OTHER_LAWFUL_REQUESTER'],
      retentionRules: ['DISCLOSURES'],
      retentionCriteria: {
        LV: 'Ieraksts par nodošanu tiek glabāts kā pierādījums, arī pēc konta dzēšanas.',
        EN: 'The record of a disclosure is kept as evidence, also after the account is erased.',
      },
    },
  ],
  personalData: {
    AccessCase: {
      personal: {
        reason: ['access log'],
        openedAt: ['access log'],
        expiresAt: ['access log'],
        closedAt: ['access log'],
        approvedAt: ['access log'],
      },
      other: 'id staffId accountId scope approvedById',
    },
    AuditEvent: {
      personal: { at: ['access log'], actorKind: ['access log'], action: ['access log'], details: ['access log'] },
      other: 'id seq actorId subjectAccountId accessCaseId hash previousHash',
    },
    AuditChainHead: { other: 'id seq hash prunedToSeq prunedToHash' },
    Disclosure: {
      personal: Object.fromEntries(
        ['recipientCategory', 'recipientName', 'legalBasis', 'requestReference', 'dataCategories', 'disclosedAt', 'confidentialUntil'].map(
          (f) => [f, ['disclosures']],
        ),
      ),
      other: 'id accountId accessCaseId recordedById recordedAt',
    },
  },
  schema: (builder, refs) => {
    addAuditSchema(builder, refs);
    addDisclosureSchema(builder, refs);
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
    addExportContributor(app, { section: 'disclosures', collect: collectDisclosures });
  },
});
