/**
 * Received payments, from the card provider's webhook (stripe-webhook.ts) or
 * entered by ACCOUNTING for a bank transfer. One function applies a payment:
 * it stores it, marks the invoice PAID once fully paid, and activates or
 * extends the subscription the invoice is for.
 */
import {
  type Actor,
  addDuration,
  type AppServices,
  badInput,
  conflict,
  normalizeIban,
  notFound,
  recordAudit,
  type Tx,
} from '../../schema/plugin-api';

export interface ReceivedPayment {
  invoiceNumber: string;
  amountCents: number;
  currency: string;
  receivedAt: Date;
  provider: 'STRIPE' | 'BANK_TRANSFER';
  providerReference: string;
  payerIbanEnc?: string | null;
  recordedById?: string | null;
}

/** Applies a payment inside tx. Returns null when the invoice does not exist (the caller decides what that means). */
export async function applyPayment(app: AppServices, tx: Tx, p: ReceivedPayment, actor: Actor) {
  // Lock the invoice row: two payments of one invoice (webhook and bank) must not both see it unpaid.
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Invoice" WHERE "number" = ${p.invoiceNumber} FOR UPDATE`;
  if (!locked.length) return null;
  const invoice = await tx.invoice.findUniqueOrThrow({
    where: { id: locked[0].id },
    include: { subscription: { include: { plan: true } } },
  });
  if (invoice.currency !== p.currency) throw badInput('input.currency', `The invoice is in ${invoice.currency}.`);
  const payment = await tx.payment.create({
    data: {
      invoiceId: invoice.id,
      amountCents: p.amountCents,
      currency: p.currency,
      receivedAt: p.receivedAt,
      provider: p.provider,
      providerReference: p.providerReference,
      payerIbanEnc: p.payerIbanEnc ?? null,
      recordedById: p.recordedById ?? null,
    },
  });
  const paid = await tx.payment.aggregate({ where: { invoiceId: invoice.id }, _sum: { amountCents: true } });
  const fullyPaid = (paid._sum.amountCents ?? 0) >= invoice.totalCents;
  if (fullyPaid && invoice.status !== 'PAID') {
    await tx.invoice.update({ where: { id: invoice.id }, data: { status: 'PAID', paidAt: p.receivedAt } });
    const sub = invoice.subscription;
    if (sub && sub.status === 'PENDING_PAYMENT') {
      // The first period starts when the payment arrives.
      await tx.subscription.update({
        where: { id: sub.id },
        data: { status: 'ACTIVE', currentPeriodStart: p.receivedAt, currentPeriodEnd: addDuration(p.receivedAt, sub.plan.period) },
      });
    } else if (sub && sub.status === 'ACTIVE' && (!sub.currentPeriodEnd || sub.currentPeriodEnd < invoice.periodEnd)) {
      // A paid renewal extends the service to the end of the invoiced period.
      await tx.subscription.update({
        where: { id: sub.id },
        data: { currentPeriodStart: invoice.periodStart, currentPeriodEnd: invoice.periodEnd },
      });
    }
  }
  await recordAudit(app, tx, {
    action: 'billing.paymentReceived',
    actor,
    subjectAccountId: invoice.accountId,
    details: { invoiceNumber: invoice.number, paymentId: payment.id, provider: p.provider, amountCents: p.amountCents, fullyPaid },
  });
  return { payment, invoicePaid: fullyPaid };
}

export interface BankPaymentInput {
  invoiceNumber: string;
  amountCents: number;
  receivedAt: Date;
  payerIban: string;
  reference: string;
}

/** ACCOUNTING enters a bank transfer from the statement. */
export async function recordBankPayment(app: AppServices, actor: Actor, input: BankPaymentInput) {
  if (!Number.isInteger(input.amountCents) || input.amountCents <= 0)
    throw badInput('input.amountCents', 'A positive whole number of cents.');
  if (input.receivedAt.getTime() > Date.now() + 60_000) throw badInput('input.receivedAt', 'Cannot be in the future.');
  const iban = normalizeIban(input.payerIban);
  if (!iban) throw badInput('input.payerIban', 'Not a valid IBAN.');
  const reference = input.reference.trim();
  if (!reference || reference.length > 140) throw badInput('input.reference', 'The transfer’s reference, 1 to 140 characters.');
  const invoice = await app.prisma.invoice.findUnique({
    where: { number: input.invoiceNumber.trim() },
    select: { id: true, currency: true, status: true },
  });
  if (!invoice) throw badInput('input.invoiceNumber', 'No invoice has this number.');
  if (invoice.status === 'VOID') throw conflict('The invoice is void; refund the transfer instead.');
  const result = await app.prisma.$transaction((tx) =>
    applyPayment(
      app,
      tx,
      {
        invoiceNumber: input.invoiceNumber.trim(),
        amountCents: input.amountCents,
        currency: invoice.currency,
        receivedAt: input.receivedAt,
        provider: 'BANK_TRANSFER',
        providerReference: reference,
        payerIbanEnc: app.cipher.encrypt(iban, `payment-iban:${invoice.id}`),
        recordedById: actor.accountId,
      },
      actor,
    ),
  );
  if (!result) throw notFound('Invoice');
  return result.payment;
}
