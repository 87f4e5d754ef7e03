/**
 * The billing job: renews running subscriptions at currentPeriodEnd (a new
 * invoice for the next period; paying it extends the service), ends
 * cancelled ones, and marks invoices OVERDUE after dueAt + the grace period.
 * Each subscription is renewed in its own transaction and only once: a
 * renewal invoice for the period starting at currentPeriodEnd is looked up
 * first, so a rerun or a second instance changes nothing.
 */
import { type AppServices, subtractDuration } from '../../schema/plugin-api';
import { billingSettings } from './config';
import { issueInvoice } from './invoices';

export interface BillingRunResult {
  renewed: number;
  ended: number;
  overdue: number;
}

export async function runBilling(app: AppServices, now = new Date()): Promise<BillingRunResult> {
  const { overdueGrace } = billingSettings.of(app);
  const due = await app.prisma.subscription.findMany({
    where: { status: 'ACTIVE', currentPeriodEnd: { lte: now } },
    include: { plan: true, account: { select: { givenName: true, familyName: true, address: true } } },
    take: 500,
  });
  let renewed = 0;
  let ended = 0;
  for (const sub of due) {
    if (sub.cancelledAt) {
      await app.prisma.subscription.update({ where: { id: sub.id }, data: { status: 'ENDED' } });
      ended++;
      continue;
    }
    const periodStart = sub.currentPeriodEnd!;
    const done = await app.prisma
      .$transaction(async (tx) => {
        const existing = await tx.invoice.count({ where: { subscriptionId: sub.id, periodStart } });
        if (existing) return false;
        const last = await tx.invoice.findFirst({
          where: { subscriptionId: sub.id },
          orderBy: { issuedAt: 'desc' },
          select: { buyerName: true },
        });
        const name = [sub.account.givenName, sub.account.familyName].filter(Boolean).join(' ').trim() || last?.buyerName || 'Customer';
        const buyer = { buyerName: name, buyerAddress: sub.account.address };
        await issueInvoice(app, tx, { accountId: sub.accountId, subscriptionId: sub.id, plan: sub.plan, ...buyer, periodStart, now });
        return true;
      })
      // Another instance issued it meanwhile (unique subscription + period): nothing to do, and no number is lost.
      .catch((e: unknown) => {
        if ((e as { code?: string }).code === 'P2002') return false;
        throw e;
      });
    if (done) renewed++;
  }
  const overdue = await app.prisma.invoice.updateMany({
    where: { status: 'OPEN', dueAt: { lt: subtractDuration(now, overdueGrace) } },
    data: { status: 'OVERDUE' },
  });
  return { renewed, ended, overdue: overdue.count };
}
