/**
 * The consent ledger: append-only ConsentRecords, each with a signed receipt
 * (compact JWS, verifiable against /.well-known/jwks.json) the person can keep.
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
  const id = randomUUID();
  const recordedAt = input.recordedAt ?? new Date();
  const receipt = await signReceipt(app, 'consent', input.accountId, {
    rid: id,
    purpose: input.purpose,
    granted: input.granted,
    method: input.method,
    policyVersion: input.policyVersion,
    recordedAt: recordedAt.toISOString(),
    ...(input.recordedById ? { recordedBy: input.recordedById } : {}),
  });
  const record = await tx.consentRecord.create({
    data: {
      id,
      accountId: input.accountId,
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
  await app.events.emit(
    'consent.changed',
    { accountId: input.accountId, purpose: input.purpose, granted: input.granted, recordId: id },
    { actor: { kind: input.recordedById ? 'STAFF' : 'CUSTOMER', accountId: input.recordedById ?? input.accountId }, tx },
  );
  return record;
}
