/**
 * Who may use the billing plugin's fields (deny by default covers anything
 * not listed). A customer's billing records are read by whoever may read the
 * account (the owner, staff with an open access case) and by ACCOUNTING,
 * whose job they are; every type is guarded itself because Relay's node(id)
 * reaches it directly.
 */
import {
  accountReadable,
  allow,
  and,
  canReadAccount,
  type Context,
  defineRule,
  forbidden,
  hasAnyRole,
  hasRole,
  isAccount,
  notFound,
  rawId,
  type RuleMap,
} from '../../schema/plugin-api';

const accounting = hasAnyRole('ACCOUNTING');

async function ownerOrAccounting(ctx: Context, accountId: string | null): Promise<boolean> {
  if (hasRole(ctx.viewer, 'ACCOUNTING')) return true;
  return accountId !== null && accountReadable(ctx, accountId);
}

/** Subscriptions, invoices and debt cases carry their account id. */
const canReadBillingRecord = defineRule<{ accountId: string | null }>(
  'billing.canReadRecord',
  async (row, _a, ctx) => (await ownerOrAccounting(ctx, row.accountId)) || notFound('Billing record'),
);

/** A payment is read like its invoice (one query per request for all payments' invoices). */
const canReadPayment = defineRule<{ invoiceId: string }>('billing.canReadPayment', async (payment, _a, ctx) => {
  const accountId = await ctx
    .loader<string, string | null>('billing.invoiceAccount', async (ids) => {
      const rows = await ctx.app.prisma.invoice.findMany({ where: { id: { in: [...ids] } }, select: { id: true, accountId: true } });
      return ids.map((id) => rows.find((r) => r.id === id)?.accountId ?? null);
    })
    .load(payment.invoiceId);
  return (await ownerOrAccounting(ctx, accountId)) || notFound('Payment');
});

/** Identity checks are done by SUPPORT staff with an open access case for the account (audited by the audit plugin). */
const supportWithCase = defineRule<unknown, { accountId: unknown }>('billing.supportWithCase', async (_p, args, ctx) => {
  if (!hasRole(ctx.viewer, 'SUPPORT')) return forbidden('Requires role SUPPORT.');
  const accountId = rawId(args.accountId, 'Account');
  return (accountId !== null && (await accountReadable(ctx, accountId))) || forbidden('Open an access case for this account first.');
});

export const billingRules: RuleMap = {
  Query: { servicePlans: allow, invoice: accounting, unmatchedPaymentEvents: accounting },
  Mutation: {
    subscribe: isAccount,
    cancelSubscription: isAccount,
    recordPayment: accounting,
    openDebtCase: accounting,
    closeDebtCase: accounting,
    recordIdentityVerification: and(isAccount, supportWithCase),
  },
  Account: {
    subscriptions: canReadAccount,
    invoices: canReadAccount,
    payments: canReadAccount,
    debtCases: canReadAccount,
    identityVerifications: canReadAccount,
  },
  ServicePlan: allow,
  ServiceSubscription: canReadBillingRecord,
  Invoice: canReadBillingRecord,
  DebtCase: canReadBillingRecord,
  Payment: canReadPayment,
  IdentityVerification: allow, // reached only through Account.identityVerifications (guarded) and the SUPPORT mutation
  PaymentProviderEvent: accounting,
};
