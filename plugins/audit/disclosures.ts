/**
 * Disclosures to other controllers (law enforcement, banks, others with a
 * lawful request): a DPO records each one under an open access case for the
 * account, in the same transaction as its audit event. The person sees a
 * disclosure (in myDisclosures and the data export) once its confidentiality
 * period has passed.
 */
import type { Disclosure } from '../../generated/prisma/client';
import type { RecipientCategory } from '../../generated/prisma/enums';
import { appendEvent } from './chain';
import { openCaseFor } from './access-cases';
import { type AppServices, badInput, type Context, forbidden, notFound, requireAccount, requireId } from '../../schema/plugin-api';

/** Only disclosures to other controllers; processors act for us and are listed in the register instead. */
export const CONTROLLER_RECIPIENTS: RecipientCategory[] = ['LAW_ENFORCEMENT', 'BANK_PAYMENT_PROVIDER', 'OTHER_LAWFUL_REQUESTER'];
const CLOCK_SKEW_MS = 5 * 60_000;

export interface RecordDisclosureInput {
  accountId: unknown;
  recipientCategory: RecipientCategory;
  recipientName: string;
  legalBasis: string;
  requestReference: string;
  dataCategories: string[];
  disclosedAt: Date;
  confidentialUntil?: Date | null;
}

function text(value: string, field: string, min: number, max: number): string {
  const v = value.trim();
  if (v.length < min || v.length > max) throw badInput(field, `Between ${min} and ${max} characters.`);
  return v;
}

export async function recordDisclosure(ctx: Context, input: RecordDisclosureInput): Promise<Disclosure> {
  const staffId = requireAccount(ctx.viewer).accountId;
  const accountId = requireId(input.accountId, 'Account');
  if (!CONTROLLER_RECIPIENTS.includes(input.recipientCategory)) {
    throw badInput('input.recipientCategory', `A disclosure goes to another controller: ${CONTROLLER_RECIPIENTS.join(', ')}.`);
  }
  const recipientName = text(input.recipientName, 'input.recipientName', 2, 200);
  const legalBasis = text(input.legalBasis, 'input.legalBasis', 5, 500);
  const requestReference = text(input.requestReference, 'input.requestReference', 1, 200);
  if (!input.dataCategories.length || input.dataCategories.length > 30)
    throw badInput('input.dataCategories', 'Name 1 to 30 data categories.');
  const dataCategories = input.dataCategories.map((c, i) => text(c, `input.dataCategories.${i}`, 1, 100));
  if (input.disclosedAt.getTime() > Date.now() + CLOCK_SKEW_MS)
    throw badInput('input.disclosedAt', 'A disclosure is recorded after it happened.');
  if (input.confidentialUntil && input.confidentialUntil < input.disclosedAt) {
    throw badInput('input.confidentialUntil', 'Cannot end before the disclosure.');
  }
  const exists = await ctx.app.prisma.account.findUnique({ where: { id: accountId }, select: { id: true } });
  if (!exists) throw notFound('Account');
  const accessCase = await openCaseFor(ctx, accountId);
  if (!accessCase) throw forbidden('Open an access case for this account first (the disclosure is recorded with it).');

  return ctx.app.prisma.$transaction(async (tx) => {
    const row = await tx.disclosure.create({
      data: {
        accountId,
        recipientCategory: input.recipientCategory,
        recipientName,
        legalBasis,
        requestReference,
        dataCategories,
        disclosedAt: input.disclosedAt,
        confidentialUntil: input.confidentialUntil ?? null,
        accessCaseId: accessCase.id,
        recordedById: staffId,
      },
    });
    await appendEvent(tx, {
      action: 'disclosure.recorded',
      actor: { kind: 'STAFF', accountId: staffId },
      subjectAccountId: accountId,
      accessCaseId: accessCase.id,
      details: { disclosureId: row.id, recipientCategory: row.recipientCategory, dataCategories },
    });
    return row;
  });
}

/** What the person may see: disclosures whose confidentiality has ended (or never applied). */
export function visibleToSubject(accountId: string, now = new Date()) {
  return { accountId, OR: [{ confidentialUntil: null }, { confidentialUntil: { lte: now } }] };
}

/** The person's section of the JSON export (confidential disclosures stay out until their time). */
export async function collectDisclosures(app: AppServices, accountId: string) {
  const rows = await app.prisma.disclosure.findMany({ where: visibleToSubject(accountId), orderBy: { disclosedAt: 'asc' } });
  return rows.map((d) => ({
    id: d.id,
    recipientCategory: d.recipientCategory,
    recipientName: d.recipientName,
    legalBasis: d.legalBasis,
    requestReference: d.requestReference,
    dataCategories: d.dataCategories,
    disclosedAt: d.disclosedAt.toISOString(),
  }));
}
