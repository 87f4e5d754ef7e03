/**
 * Core events that the log records. When the emitter passes a transaction
 * the event is written inside it (same commit); otherwise in its own.
 */
import { createHash } from 'node:crypto';
import { appendEvent } from './chain';
import type { AppServices, AuditEntry, EventMeta, PluginHooks, Tx } from '../../schema/plugin-api';

async function write(app: AppServices, meta: EventMeta, build: (tx: Tx) => Promise<AuditEntry[]> | AuditEntry[]) {
  const run = async (tx: Tx) => {
    for (const entry of await build(tx)) await appendEvent(tx, entry);
  };
  if (meta.tx) await run(meta.tx);
  else await app.prisma.$transaction(run);
}

export const auditHooks: PluginHooks = {
  'consent.changed': (p, meta, app) =>
    write(app, meta, () => [
      {
        action: 'consent.changed',
        actor: meta.actor,
        subjectAccountId: p.accountId,
        details: { purpose: p.purpose, granted: p.granted, recordId: p.recordId },
      },
    ]),
  'data.accessed': (p, meta, app) =>
    write(app, meta, () => [{ action: p.action, actor: meta.actor, subjectAccountId: p.subjectAccountId, details: p.details }]),
  'device.removed': (p, meta, app) =>
    write(app, meta, () => [
      {
        action: 'device.removed',
        actor: meta.actor,
        subjectAccountId: p.ownerId,
        details: { deviceId: p.deviceId, deletedLocations: p.deletedLocations },
      },
    ]),
  'marketing.optedOut': (p, meta, app) =>
    write(app, meta, () => [
      {
        action: 'marketing.optedOut',
        actor: meta.actor,
        subjectAccountId: p.accountId,
        details: { optOutId: p.optOutId, scope: p.scope, channel: p.channel, via: p.via },
      },
    ]),
  'processing.objected': (p, meta, app) =>
    write(app, meta, () => [
      {
        action: 'processing.objected',
        actor: meta.actor,
        subjectAccountId: p.accountId,
        ...(p.purpose ? { details: { purpose: p.purpose } } : {}),
      },
    ]),
  /**
   * Erasure. Consent records go with the account, but the proof that consent
   * was given (GDPR art. 7(1)) is kept here, minimised: purpose, choice,
   * method, policy version, time and a hash of the signed receipt, under the
   * pseudonymous account id only (no name, e-mail or receipt text).
   */
  'account.deleting': (p, meta, app) =>
    write(app, meta, async (tx) => {
      const consents = await tx.consentRecord.findMany({ where: { accountId: p.accountId }, orderBy: { recordedAt: 'asc' } });
      const proofs = consents.map((c) => ({
        purpose: c.purpose,
        granted: c.granted,
        method: c.method,
        policyVersion: c.policyVersion,
        recordedAt: c.recordedAt.toISOString(),
        receiptSha256: createHash('sha256').update(c.receipt).digest('hex'),
      }));
      const entries: AuditEntry[] = [];
      if (proofs.length)
        entries.push({
          action: 'consent.proofRetained',
          actor: { kind: 'SYSTEM', accountId: null },
          subjectAccountId: p.accountId,
          details: { proofs },
        });
      entries.push({ action: 'account.erased', actor: meta.actor, subjectAccountId: p.accountId, details: { reason: p.reason } });
      return entries;
    }),
};
