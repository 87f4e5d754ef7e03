/**
 * The consent ledger: append-only ConsentRecords, each with a signed receipt
 * (compact JWS, verifiable against /.well-known/jwks.json) the person can keep.
 * The subject is an account, or a contact without one (appendContactConsentRecord:
 * e.g. a survey respondent who left an e-mail address), named by an opaque
 * contactRef that the receipt carries as its subject instead of an account id.
 */
import { randomUUID } from 'node:crypto';
import type { AppServices } from '../context';
import { RECEIPT_TTL_SECONDS } from '../auth/tokens';
import type { Tx } from '../events';
import type { ConsentMethod, Locale } from '../../generated/prisma/enums';

export interface ConsentInput {
  accountId: string;
  purpose: string;
  granted: boolean;
  method: ConsentMethod;
  policyVersion: string;
  locale: Locale;
  recordedById?: string | null;
  recordedAt?: Date;
}

export async function signReceipt(
  app: AppServices,
  kind: 'consent' | 'cookie-consent',
  subject: string,
  claims: Record<string, unknown>,
): Promise<string> {
  return app.tokens.sign(`${kind}-receipt`, subject, claims, RECEIPT_TTL_SECONDS);
}

export async function appendConsentRecord(app: AppServices, tx: Tx, input: ConsentInput) {
  const record = await insertRecord(app, tx, { ...input, contactRef: null });
  await app.events.emit(
    'consent.changed',
    { accountId: input.accountId, purpose: input.purpose, granted: input.granted, recordId: record.id },
    { actor: { kind: input.recordedById ? 'STAFF' : 'CUSTOMER', accountId: input.recordedById ?? input.accountId }, tx },
  );
  return record;
}

export type ContactConsentInput = Omit<ConsentInput, 'accountId'> & { contactRef: string };

/** A record for a contact without an account (no consent.changed event: that one names an account). */
export async function appendContactConsentRecord(app: AppServices, tx: Tx, input: ContactConsentInput) {
  if (!input.contactRef) throw new Error('contactRef is required');
  return insertRecord(app, tx, { ...input, accountId: null });
}

type RecordInput = Omit<ConsentInput, 'accountId'> & { accountId: string | null; contactRef: string | null };

async function insertRecord(app: AppServices, tx: Tx, input: RecordInput) {
  const id = randomUUID();
  const recordedAt = input.recordedAt ?? new Date();
  const subject = input.accountId ?? `contact:${input.contactRef}`;
  const receipt = await signReceipt(app, 'consent', subject, {
    rid: id,
    purpose: input.purpose,
    granted: input.granted,
    method: input.method,
    policyVersion: input.policyVersion,
    recordedAt: recordedAt.toISOString(),
    ...(input.recordedById ? { recordedBy: input.recordedById } : {}),
  });
  return tx.consentRecord.create({
    data: {
      id,
      accountId: input.accountId,
      contactRef: input.contactRef,
      purpose: input.purpose,
      granted: input.granted,
      method: input.method,
      policyVersion: input.policyVersion,
      locale: input.locale,
      recordedById: input.recordedById ?? null,
      recordedAt,
      receipt,
    },
  });
}
