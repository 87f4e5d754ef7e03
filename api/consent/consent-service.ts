/**
 * Consent decisions: recording a choice (setConsent), reading the current
 * state per purpose, and finding the policy in force. Resolvers call these;
 * who may call them is decided by the rule map (api/permissions/rules/consent.ts).
 */
import { requireId } from '../global-ids';
import type { ConsentMethod, Locale, PolicyKind } from '../../generated/prisma/enums';
import type { ConsentRecord } from '../../generated/prisma/client';
import { requireAccount, type AppServices, type Viewer } from '../context';
import type { Tx } from '../events';
import { badInput, notFound } from '../errors';
import { requiresConsent, type ProcessingPurposeDefinition } from './purposes';
import { appendConsentRecord } from './ledger';

/** Methods a person uses themselves, and methods only staff enter on their behalf. */
export const SELF_SERVICE_METHODS: ConsentMethod[] = ['WEB_FORM', 'MOBILE_APP', 'API'];
export const STAFF_ENTERED_METHODS: ConsentMethod[] = ['PHONE', 'EMAIL', 'IN_PERSON'];

export interface SetConsentInput {
  purpose: string;
  granted: boolean;
  method?: ConsentMethod | null;
  policyVersion?: string | null;
  /** Global id of the subject account; staff only. */
  accountId?: string | null;
}

export interface ConsentState {
  purpose: ProcessingPurposeDefinition;
  granted: boolean;
  since: Date | null;
  record: ConsentRecord | null;
}

/** The consent-based purpose named by `code`, or BAD_USER_INPUT at `field`. */
export function consentPurpose(purposes: ProcessingPurposeDefinition[], code: string, field: string): ProcessingPurposeDefinition {
  const purpose = purposes.find((p) => p.code === code);
  if (!purpose) throw badInput(field, `Unknown processing purpose "${code}".`);
  if (!requiresConsent(purpose)) {
    throw badInput(field, `Purpose "${code}" is based on ${purpose.legalBasis.toLowerCase().replace('_', ' ')}, not consent.`);
  }
  if (purpose.consentRecordedBy) throw badInput(field, `Choices for "${code}" are recorded with ${purpose.consentRecordedBy}.`);
  return purpose;
}

/** Decodes an Account global id; NOT_FOUND when it is not one or the account does not exist. */
export async function subjectAccount(app: AppServices, globalId: string) {
  const id = requireId(globalId, 'Account');
  const account = await app.prisma.account.findUnique({ where: { id }, select: { id: true, locale: true } });
  if (!account) throw notFound('Account');
  return account;
}

/** The Prisma client or an open transaction (PGlite has one connection: never mix them). */
type PolicyReader = Pick<Tx, 'policyDocument'>;

/**
 * The policy of `kind` in force now: the newest effective version, in the
 * requested locale, else English, else any locale.
 */
export async function currentPolicyDocument(db: PolicyReader, kind: PolicyKind, locale: Locale, now = new Date()) {
  const latest = await db.policyDocument.findFirst({
    where: { kind, effectiveAt: { lte: now } },
    orderBy: [{ effectiveAt: 'desc' }, { createdAt: 'desc' }],
    select: { version: true },
  });
  if (!latest) return null;
  const docs = await db.policyDocument.findMany({ where: { kind, version: latest.version } });
  return docs.find((d) => d.locale === locale) ?? docs.find((d) => d.locale === 'EN') ?? docs[0] ?? null;
}

/** Latest record per (account, purpose), for the given accounts and purposes. */
export async function latestConsentRecords(app: AppServices, accountIds: readonly string[], purposeCodes: string[]) {
  const rows = await app.prisma.consentRecord.findMany({
    where: { accountId: { in: [...accountIds] }, purpose: { in: purposeCodes } },
    orderBy: [{ recordedAt: 'desc' }, { id: 'desc' }],
  });
  const byAccount = new Map<string, Map<string, ConsentRecord>>();
  for (const row of rows) {
    if (!row.accountId) continue;
    const perPurpose = byAccount.get(row.accountId) ?? new Map<string, ConsentRecord>();
    if (!perPurpose.has(row.purpose)) perPurpose.set(row.purpose, row);
    byAccount.set(row.accountId, perPurpose);
  }
  return byAccount;
}

export function consentState(purpose: ProcessingPurposeDefinition, record: ConsentRecord | undefined | null): ConsentState {
  return { purpose, granted: record?.granted ?? false, since: record?.recordedAt ?? null, record: record ?? null };
}

/**
 * Appends one ConsentRecord. A customer records their own choice; SUPPORT
 * staff record a choice received by phone, e-mail or in person for
 * `accountId`, and the record names them. Nothing is ever overwritten.
 */
export async function setConsent(app: AppServices, purposes: ProcessingPurposeDefinition[], anyViewer: Viewer, input: SetConsentInput) {
  const viewer = requireAccount(anyViewer);
  const purpose = consentPurpose(purposes, input.purpose, 'input.purpose');
  const byStaff = input.accountId != null;
  const method = input.method ?? (byStaff ? null : 'API');
  if (byStaff && (!method || !STAFF_ENTERED_METHODS.includes(method))) {
    throw badInput('input.method', `A choice entered by staff must say how it was received: ${STAFF_ENTERED_METHODS.join(', ')}.`);
  }
  if (!byStaff && !SELF_SERVICE_METHODS.includes(method!)) {
    throw badInput(
      'input.method',
      `Your own choice is recorded with ${SELF_SERVICE_METHODS.join(', ')}; other methods are entered by staff.`,
    );
  }
  const subject = byStaff
    ? await subjectAccount(app, input.accountId!)
    : await app.prisma.account.findUniqueOrThrow({ where: { id: viewer.accountId }, select: { id: true, locale: true } });

  let policyVersion = input.policyVersion ?? null;
  if (policyVersion) {
    const known = await app.prisma.policyDocument.findFirst({ where: { kind: 'PRIVACY_POLICY', version: policyVersion } });
    if (!known) throw badInput('input.policyVersion', `Unknown privacy policy version "${policyVersion}".`);
  } else {
    const current = await currentPolicyDocument(app.prisma, 'PRIVACY_POLICY', subject.locale);
    if (!current) throw badInput('input.policyVersion', 'No privacy policy is published yet; name the version shown.');
    policyVersion = current.version;
  }

  const record = await app.prisma.$transaction((tx) =>
    appendConsentRecord(app, tx, {
      accountId: subject.id,
      purpose: purpose.code,
      granted: input.granted,
      method: method!,
      policyVersion: policyVersion!,
      locale: subject.locale,
      recordedById: byStaff ? viewer.accountId : null,
    }),
  );
  return consentState(purpose, record);
}

export const noPolicy = (kind: PolicyKind) => notFound(kind === 'PRIVACY_POLICY' ? 'Privacy policy' : 'Cookie policy');
