/**
 * Objection per purpose (GDPR art. 21): a person objects to one
 * legitimate-interest purpose of the register. It is recorded in the consent
 * ledger (a signed receipt: granted=false for that purpose), takes effect at
 * once (audiences read objectionInForce; the processing.objected event names
 * the purpose so other plugins, e.g. marketing, stop too), and the DPO upholds
 * it or rejects it with compelling legitimate grounds. Objections to direct
 * marketing cannot be rejected (art. 21(3)).
 */
import type { ObjectionStatus } from '../../generated/prisma/enums';
import {
  appendConsentRecord,
  type AppServices,
  badInput,
  conflict,
  currentPolicyDocument,
  notFound,
  type Tx,
} from '../../schema/plugin-api';
import { text } from './inquiries';

export const IN_FORCE: ObjectionStatus[] = ['RECEIVED', 'UPHELD'];
export const isDirectMarketing = (purpose: string) => purpose.startsWith('MARKETING_');

type Db = Pick<Tx, 'processingObjection'>;

export async function objectionInForce(db: Db, accountId: string, purpose: string): Promise<boolean> {
  return (await db.processingObjection.count({ where: { accountId, purpose, status: { in: IN_FORCE } } })) > 0;
}

export async function objectToProcessing(app: AppServices, accountId: string, purposeCode: string, reasonText: string | null | undefined) {
  const purpose = app.purposes.find((p) => p.code === purposeCode);
  if (!purpose) throw badInput('purposeCode', `Unknown processing purpose "${purposeCode}".`);
  if (purpose.legalBasis !== 'LEGITIMATE_INTEREST') {
    const how =
      purpose.legalBasis === 'CONSENT'
        ? 'withdraw the consent instead'
        : `it is based on ${purpose.legalBasis.toLowerCase().replace('_', ' ')}`;
    throw badInput('purposeCode', `An objection applies to legitimate-interest purposes; for "${purposeCode}" ${how}.`);
  }
  const reason = reasonText?.trim() ? text(reasonText, 'reason', 2000) : null;
  const existing = await app.prisma.processingObjection.findFirst({ where: { accountId, purpose: purposeCode, status: { in: IN_FORCE } } });
  if (existing) return existing;
  const account = await app.prisma.account.findUniqueOrThrow({ where: { id: accountId }, select: { locale: true } });
  const policy = await currentPolicyDocument(app.prisma, 'PRIVACY_POLICY', account.locale);
  return app.prisma.$transaction(async (tx) => {
    const record = await appendConsentRecord(app, tx, {
      accountId,
      purpose: purposeCode,
      granted: false,
      method: 'API',
      policyVersion: policy?.version ?? 'unknown',
      locale: account.locale,
    });
    const objection = await tx.processingObjection.create({
      data: { accountId, purpose: purposeCode, reason, consentRecordId: record.id },
    });
    await app.events.emit('processing.objected', { accountId, purpose: purposeCode }, { actor: { kind: 'CUSTOMER', accountId }, tx });
    return objection;
  });
}

export async function decideObjection(app: AppServices, dpoId: string, id: string, decision: 'UPHELD' | 'REJECTED', reasonText: string) {
  const decisionReason = text(reasonText, 'reason', 2000);
  const objection = await app.prisma.processingObjection.findUnique({ where: { id } });
  if (!objection) throw notFound('Objection');
  if (objection.status !== 'RECEIVED') throw conflict(`This objection was already ${objection.status.toLowerCase()}.`);
  if (decision === 'REJECTED' && isDirectMarketing(objection.purpose)) {
    throw badInput('id', 'An objection to direct marketing must always be honoured (GDPR art. 21(3)); it cannot be rejected.');
  }
  if (decision === 'REJECTED' && decisionReason.length < 20) {
    throw badInput('reason', 'State the compelling legitimate grounds that override the objection (at least 20 characters).');
  }
  return app.prisma.processingObjection.update({
    where: { id },
    data: { status: decision, decidedAt: new Date(), decidedById: dpoId, decisionReason },
  });
}
