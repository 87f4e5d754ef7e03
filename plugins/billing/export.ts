/** The person's billing data in their export: subscriptions, invoices, payments (IBAN masked), debt cases, identity checks. */
import { type AppServices, mask } from '../../schema/plugin-api';

export async function collectBilling(app: AppServices, accountId: string) {
  const [subscriptions, invoices, debtCases, identityVerifications] = await Promise.all([
    app.prisma.subscription.findMany({ where: { accountId }, orderBy: { createdAt: 'asc' } }),
    app.prisma.invoice.findMany({
      where: { accountId },
      orderBy: { issuedAt: 'asc' },
      include: { payments: { orderBy: { receivedAt: 'asc' } } },
    }),
    app.prisma.debtCase.findMany({
      where: { accountId },
      orderBy: { openedAt: 'asc' },
      include: { invoice: { select: { number: true } } },
    }),
    app.prisma.identityVerification.findMany({
      where: { accountId },
      orderBy: { verifiedAt: 'asc' },
      select: { method: true, verifiedAt: true },
    }),
  ]);
  return {
    subscriptions: subscriptions.map(({ accountId: _a, ...s }) => s),
    invoices: invoices.map(({ accountId: _a, payments, ...i }) => ({
      ...i,
      payments: payments.map(({ payerIbanEnc, ...p }) => ({
        ...p,
        payerIban: payerIbanEnc ? mask(app.cipher.decrypt(payerIbanEnc, `payment-iban:${p.invoiceId}`)) : null,
      })),
    })),
    debtCases: debtCases.map((d) => ({ id: d.id, invoiceNumber: d.invoice.number, openedAt: d.openedAt, closedAt: d.closedAt })),
    identityVerifications,
  };
}
