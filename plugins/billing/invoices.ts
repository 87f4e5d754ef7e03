/**
 * Issuing invoices. Numbers come from a per-year counter row that is
 * incremented inside the invoice's own transaction: the row lock serialises
 * concurrent issuers and a rolled-back invoice rolls its number back too, so
 * numbers are gap-free (accounting law) also under concurrent `subscribe`.
 */
import type { Prisma } from '../../generated/prisma/client';
import { addDuration, type AppServices, type Tx } from '../../schema/plugin-api';
import { billingSettings } from './config';

export type PlanRow = Prisma.ServicePlanGetPayload<object>;
export type InvoiceRow = Prisma.InvoiceGetPayload<object>;

/** The next number of `year`, e.g. 2026-000123 (takes the year's counter row lock until tx ends). */
export async function nextInvoiceNumber(tx: Tx, year: number): Promise<string> {
  const rows = await tx.$queryRaw<{ last: number }[]>`
    INSERT INTO "InvoiceSequence" ("year", "last") VALUES (${year}, 1)
    ON CONFLICT ("year") DO UPDATE SET "last" = "InvoiceSequence"."last" + 1
    RETURNING "last"`;
  return `${year}-${String(rows[0].last).padStart(6, '0')}`;
}

/** VAT included in a gross amount at `rateBp` basis points (2100 = 21 %), rounded to the cent. */
export function vatIncluded(totalCents: number, rateBp: number): number {
  return Math.round((totalCents * rateBp) / (10_000 + rateBp));
}

/** The buyer as on the account now (copied onto the invoice: an invoice never changes after issue). */
export async function buyerOf(tx: Tx, accountId: string) {
  const a = await tx.account.findUniqueOrThrow({
    where: { id: accountId },
    select: { givenName: true, familyName: true, address: true, email: true },
  });
  const name = [a.givenName, a.familyName].filter(Boolean).join(' ').trim();
  return { name: name || null, address: a.address };
}

export interface IssueInput {
  accountId: string;
  subscriptionId: string;
  plan: PlanRow;
  buyerName: string;
  buyerAddress: string | null;
  periodStart: Date;
  now: Date;
}

export async function issueInvoice(app: AppServices, tx: Tx, input: IssueInput): Promise<InvoiceRow> {
  const { paymentTerm } = billingSettings.of(app);
  const number = await nextInvoiceNumber(tx, input.now.getUTCFullYear());
  const periodEnd = addDuration(input.periodStart, input.plan.period);
  return tx.invoice.create({
    data: {
      number,
      accountId: input.accountId,
      subscriptionId: input.subscriptionId,
      buyerName: input.buyerName,
      buyerAddress: input.buyerAddress,
      description: `${input.plan.nameEn} (${input.plan.code}), ${input.periodStart.toISOString().slice(0, 10)} – ${periodEnd.toISOString().slice(0, 10)}`,
      totalCents: input.plan.priceCents,
      vatCents: vatIncluded(input.plan.priceCents, input.plan.vatRateBp),
      currency: input.plan.currency,
      issuedAt: input.now,
      dueAt: addDuration(input.now, paymentTerm),
      periodStart: input.periodStart,
      periodEnd,
    },
  });
}
