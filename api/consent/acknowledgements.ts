/**
 * Policy acknowledgements: which version of the privacy or cookie policy a
 * person last accepted, and whether a newer version is now in effect. Each
 * acknowledgement is a record in the consent ledger (purpose = the policy
 * kind); registration's ACCOUNT record counts as accepting the privacy policy.
 */
import type { Locale, PolicyKind } from '../../generated/prisma/enums';
import type { PolicyDocument } from '../../generated/prisma/client';
import { requireAccount, type AppServices, type Viewer } from '../context';
import { badInput } from '../errors';
import { appendConsentRecord } from './ledger';
import { currentPolicyDocument } from './consent-service';
import { POLICY_KINDS } from './policy-documents';
import type { ProcessingPurposeDefinition } from './purposes';

export interface PolicyAcknowledgement {
  kind: PolicyKind;
  /** Last accepted version; null if never. */
  version: string | null;
  acknowledgedAt: Date | null;
  /** The version in effect now (null: none published). */
  currentVersion: string | null;
  needsReview: boolean;
}

/** Ledger purposes that acknowledge a policy of `kind`. */
export const acknowledgementPurposes = (kind: PolicyKind): string[] => (kind === 'PRIVACY_POLICY' ? [kind, 'ACCOUNT'] : [kind]);
export const isAcknowledgementPurpose = (code: string): code is PolicyKind => (POLICY_KINDS as string[]).includes(code);

/** How an acknowledgement record's purpose is shown in the ledger (it is a record, not a processing purpose of its own). */
export function acknowledgementPurpose(kind: PolicyKind): ProcessingPurposeDefinition {
  const privacy = kind === 'PRIVACY_POLICY';
  return {
    code: kind,
    title: privacy
      ? { LV: 'Privātuma politika apstiprināta', EN: 'Privacy policy acknowledged' }
      : { LV: 'Sīkdatņu politika apstiprināta', EN: 'Cookie policy acknowledged' },
    description: {
      LV: 'Ieraksts, ka persona iepazinās ar šo politikas versiju un to apstiprināja.',
      EN: 'A record that the person read and accepted this version of the policy.',
    },
    legalBasis: 'LEGAL_OBLIGATION',
    dataCategories: ['consent records'],
    recipients: [],
    recipientCategories: [],
    retentionRules: ['INACTIVE_ACCOUNTS'],
    retentionCriteria: { LV: 'Kamēr pastāv konts.', EN: 'While the account exists.' },
  };
}

/** The latest acknowledgement of `kind` per account (one query for all accounts). */
export async function latestAcknowledgements(app: AppServices, accountIds: readonly string[], kind: PolicyKind) {
  const rows = await app.prisma.consentRecord.findMany({
    where: { accountId: { in: [...accountIds] }, purpose: { in: acknowledgementPurposes(kind) }, granted: true },
    orderBy: [{ recordedAt: 'desc' }, { id: 'desc' }],
    select: { accountId: true, policyVersion: true, recordedAt: true },
  });
  const byAccount = new Map<string, { version: string; at: Date }>();
  for (const r of rows)
    if (r.accountId && !byAccount.has(r.accountId)) byAccount.set(r.accountId, { version: r.policyVersion, at: r.recordedAt });
  return byAccount;
}

/**
 * Review is needed when a version in effect now took effect after the one the
 * person accepted (accepting a newer, not yet effective version is fine).
 */
export async function acknowledgementState(
  app: AppServices,
  kind: PolicyKind,
  last: { version: string; at: Date } | undefined,
  /** The policy in force now, when the caller has read it already (once per request). */
  current?: Pick<PolicyDocument, 'version' | 'effectiveAt'> | null,
): Promise<PolicyAcknowledgement> {
  if (current === undefined) current = await currentPolicyDocument(app.prisma, kind, 'EN');
  let needsReview = false;
  if (current && last?.version !== current.version) {
    const accepted = last
      ? await app.prisma.policyDocument.findFirst({ where: { kind, version: last.version }, select: { effectiveAt: true } })
      : null;
    needsReview = !accepted || accepted.effectiveAt < current.effectiveAt;
  }
  return {
    kind,
    version: last?.version ?? null,
    acknowledgedAt: last?.at ?? null,
    currentVersion: current?.version ?? null,
    needsReview,
  };
}

/** Records that the viewer accepted `version` of the policy `kind` (a new ledger record). */
export async function acknowledgePolicy(app: AppServices, anyViewer: Viewer, kind: PolicyKind, version: string) {
  const viewer = requireAccount(anyViewer);
  const doc = await app.prisma.policyDocument.findFirst({ where: { kind, version: version.trim() }, select: { version: true } });
  if (!doc) throw badInput('version', `Unknown ${kind === 'PRIVACY_POLICY' ? 'privacy' : 'cookie'} policy version "${version}".`);
  const account = await app.prisma.account.findUniqueOrThrow({ where: { id: viewer.accountId }, select: { locale: true } });
  const record = await app.prisma.$transaction((tx) =>
    appendConsentRecord(app, tx, {
      accountId: viewer.accountId,
      purpose: kind,
      granted: true,
      method: 'API',
      policyVersion: doc.version,
      locale: account.locale as Locale,
    }),
  );
  return acknowledgementState(app, kind, { version: record.policyVersion, at: record.recordedAt });
}
