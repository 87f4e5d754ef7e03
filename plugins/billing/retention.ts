/**
 * Billing's part in retention and erasure, through core's extension points
 * (the retention plugin is never imported):
 * - holds: an open debt case keeps the account from purges and erasure;
 * - inactivity: an account with a running subscription, an unpaid invoice or
 *   an open debt case is not deleted for inactivity, and the inactivity period
 *   counts from the end of the last contract period;
 * - ACCOUNTING_RECORDS: invoices and payments are kept RETENTION_ACCOUNTING_RECORDS
 *   after the end of the invoice's year, then purged (also after erasure);
 * - erasure: the invoices stay, minimised (buyer name and address, amounts,
 *   dates, references; no account, subscription or device link), and the
 *   person is told what is kept, why and until when.
 */
import {
  addDuration,
  type AppServices,
  type Db,
  type ErasureNotice,
  type RetentionPurger,
  type RetentionGuard,
  subtractDuration,
  type Tx,
} from '../../schema/plugin-api';
import { billingSettings } from './config';

const UNPAID = ['OPEN', 'OVERDUE'] as const;

async function openDebtAccounts(db: Db): Promise<string[]> {
  const rows = await db.debtCase.findMany({
    where: { closedAt: null, accountId: { not: null } },
    select: { accountId: true },
    distinct: ['accountId'],
  });
  return rows.map((r) => r.accountId!);
}

export const billingRetentionGuard: RetentionGuard = {
  name: 'billing',
  heldAccounts: (db) => openDebtAccounts(db),
  async keepFromInactivity(db, cutoff) {
    const [subs, invoices, debts] = await Promise.all([
      // Running, or ended less than the inactivity period ago (it counts from the contract's end).
      db.subscription.findMany({
        where: { OR: [{ status: { in: ['ACTIVE', 'PENDING_PAYMENT'] } }, { currentPeriodEnd: { gte: cutoff } }] },
        select: { accountId: true },
        distinct: ['accountId'],
      }),
      db.invoice.findMany({
        where: { status: { in: [...UNPAID] }, accountId: { not: null } },
        select: { accountId: true },
        distinct: ['accountId'],
      }),
      openDebtAccounts(db),
    ]);
    return [...new Set([...subs.map((s) => s.accountId), ...invoices.map((i) => i.accountId!), ...debts])];
  },
};

/** Invoices issued before this are past their retention (kept `period` after the end of their year). */
export function accountingCutoff(now: Date, period: string): Date {
  const shifted = subtractDuration(now, period);
  return new Date(Date.UTC(shifted.getUTCFullYear(), 0, 1));
}

/** The day an invoice issued at `issuedAt` may be deleted. */
export function keptUntil(issuedAt: Date, period: string): Date {
  return addDuration(new Date(Date.UTC(issuedAt.getUTCFullYear() + 1, 0, 1)), period);
}

/** Expired records: of erased accounts, or settled ones (PAID, VOID) of accounts not under a hold; never with an open debt case. */
function expiredWhere(now: Date, period: string, held: string[]) {
  return {
    issuedAt: { lt: accountingCutoff(now, period) },
    debtCases: { none: { closedAt: null } },
    OR: [{ accountId: null }, { accountId: { notIn: held }, status: { in: ['PAID' as const, 'VOID' as const] } }],
  };
}

/**
 * The ACCOUNTING_RECORDS rule. Its period counts from the end of the invoice's year, so it computes its own
 * cutoff from `now` rather than using the scope's (now minus the period).
 */
export const accountingRecords: RetentionPurger = {
  dataCategory: 'ACCOUNTING_RECORDS',
  env: 'RETENTION_ACCOUNTING_RECORDS',
  period: (app) => billingSettings.of(app).accountingRecords,
  description: {
    EN: 'Invoices and received payments (also of deleted accounts, minimised) are kept this long after the end of the invoice’s year, as accounting and tax law requires, then deleted.',
    LV: 'Rēķini un saņemtie maksājumi (arī dzēstu kontu, minimizētā veidā) tiek glabāti šādu laiku pēc rēķina gada beigām, kā to prasa grāmatvedības un nodokļu likumi, tad dzēsti.',
  },
  async count({ app, now, held }) {
    const period = billingSettings.of(app).accountingRecords;
    const base = { issuedAt: { lt: accountingCutoff(now, period) }, status: { in: ['PAID' as const, 'VOID' as const] } };
    const [eligible, kept] = await Promise.all([
      app.prisma.invoice.count({ where: expiredWhere(now, period, held) }),
      held.length ? app.prisma.invoice.count({ where: { ...base, accountId: { in: held } } }) : 0,
    ]);
    return { eligible, held: kept };
  },
  async deleteBatch({ app, now, held }, tx, limit) {
    const period = billingSettings.of(app).accountingRecords;
    const rows = await tx.invoice.findMany({ where: expiredWhere(now, period, held), select: { id: true }, take: limit });
    if (!rows.length) return 0;
    // Payments and closed debt cases go with their invoice (foreign keys cascade).
    return (await tx.invoice.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } })).count;
  },
};

/** On 'account.deleting' (inside the erasing transaction): detach and minimise the account's invoices. */
export async function minimiseOnErasure(tx: Tx, accountId: string) {
  await tx.invoice.updateMany({ where: { accountId }, data: { accountDeleted: true, subscriptionId: null } });
  // The buyer's data stays on the invoices themselves; the account link goes with the account (SET NULL).
}

/** What billing keeps after the account's erasure, why and until when. */
export async function billingErasureNotices(db: Db, app: AppServices, accountId: string): Promise<ErasureNotice[]> {
  const period = billingSettings.of(app).accountingRecords;
  const invoices = await db.invoice.findMany({ where: { accountId }, select: { issuedAt: true, _count: { select: { payments: true } } } });
  if (!invoices.length) return [];
  const latest = invoices.reduce((a, b) => (a.issuedAt > b.issuedAt ? a : b)).issuedAt;
  const payments = invoices.reduce((n, i) => n + i._count.payments, 0);
  return [
    {
      dataCategory: 'ACCOUNTING_RECORDS',
      purpose: 'PAYMENTS_TAX_RECORDS',
      count: invoices.length + payments,
      reason: {
        EN: `${invoices.length} invoice(s) and ${payments} payment(s) are kept, with your name and address, amounts, dates and references only (no devices or locations), because accounting and tax law require it.`,
        LV: `${invoices.length} rēķins(-i) un ${payments} maksājums(-i) tiek glabāti tikai ar jūsu vārdu un adresi, summām, datumiem un atsaucēm (bez ierīcēm un atrašanās vietām), jo to prasa grāmatvedības un nodokļu likumi.`,
      },
      keptUntil: keptUntil(latest, period),
    },
  ];
}
