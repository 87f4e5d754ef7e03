/** GraphQL types of the billing plugin: plans, subscriptions, invoices, payments, debt cases, identity checks. */
import {
  IdentityMethod as IdentityMethodEnum,
  InvoiceStatus as InvoiceStatusEnum,
  SubscriptionStatus as SubscriptionStatusEnum,
} from '../../generated/prisma/enums';
import type { Payment } from '../../generated/prisma/client';
import { actorOf, type Builder, type CoreRefs, localized, mask, requireAccount, requireId } from '../../schema/plugin-api';
import { cancelSubscription, recordIdentityVerification, subscribe } from './subscriptions';
import { recordBankPayment } from './payments';
import { closeDebtCase, openDebtCase } from './debt';

const ibanAad = (p: Pick<Payment, 'invoiceId'>) => `payment-iban:${p.invoiceId}`;

export function addBillingSchema(builder: Builder, refs: CoreRefs) {
  const SubscriptionStatus = builder.enumType(SubscriptionStatusEnum, { name: 'SubscriptionStatus' });
  const InvoiceStatus = builder.enumType(InvoiceStatusEnum, { name: 'InvoiceStatus' });
  const IdentityMethod = builder.enumType(IdentityMethodEnum, { name: 'IdentityMethod' });

  builder.prismaObject('ServicePlan', {
    fields: (t) => ({
      code: t.exposeString('code'),
      name: t.string({
        args: { locale: t.arg({ type: refs.Locale }) },
        resolve: (p, a) => localized({ LV: p.nameLv, EN: p.nameEn }, a.locale),
      }),
      priceCents: t.exposeInt('priceCents', { description: 'Per period, VAT included.' }),
      currency: t.exposeString('currency'),
      period: t.exposeString('period', { description: 'ISO-8601 duration, e.g. P1M.' }),
      requiresIdentityVerification: t.exposeBoolean('requiresIdentityCheck'),
    }),
  });

  // "Subscription" is GraphQL's root type for live updates: the contract is a ServiceSubscription.
  builder.prismaNode('Subscription', {
    name: 'ServiceSubscription',
    id: { field: 'id' },
    fields: (t) => ({
      plan: t.relation('plan'),
      device: t.relation('device', { nullable: true }),
      status: t.expose('status', { type: SubscriptionStatus }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      currentPeriodStart: t.expose('currentPeriodStart', { type: 'DateTime', nullable: true }),
      currentPeriodEnd: t.expose('currentPeriodEnd', { type: 'DateTime', nullable: true, description: 'Service runs until then.' }),
      cancelledAt: t.expose('cancelledAt', { type: 'DateTime', nullable: true, description: 'Set: no renewal.' }),
      invoices: t.relation('invoices', { query: { orderBy: { issuedAt: 'desc' } } }),
    }),
  });

  builder.prismaNode('Invoice', {
    id: { field: 'id' },
    fields: (t) => ({
      number: t.exposeString('number', { description: 'Gap-free per year, e.g. 2026-000123.' }),
      status: t.expose('status', { type: InvoiceStatus }),
      accountDeleted: t.exposeBoolean('accountDeleted', { description: 'The buyer’s account was erased; the invoice is kept minimised.' }),
      buyerName: t.exposeString('buyerName'),
      buyerAddress: t.exposeString('buyerAddress', { nullable: true }),
      description: t.exposeString('description'),
      totalCents: t.exposeInt('totalCents', { description: 'VAT included.' }),
      vatCents: t.exposeInt('vatCents'),
      currency: t.exposeString('currency'),
      issuedAt: t.expose('issuedAt', { type: 'DateTime' }),
      dueAt: t.expose('dueAt', { type: 'DateTime' }),
      paidAt: t.expose('paidAt', { type: 'DateTime', nullable: true }),
      periodStart: t.expose('periodStart', { type: 'DateTime' }),
      periodEnd: t.expose('periodEnd', { type: 'DateTime' }),
      payments: t.relation('payments', { query: { orderBy: { receivedAt: 'asc' } } }),
    }),
  });

  builder.prismaNode('Payment', {
    id: { field: 'id' },
    fields: (t) => ({
      invoice: t.relation('invoice'),
      amountCents: t.exposeInt('amountCents'),
      currency: t.exposeString('currency'),
      receivedAt: t.expose('receivedAt', { type: 'DateTime' }),
      provider: t.exposeString('provider', { description: 'STRIPE or BANK_TRANSFER.' }),
      providerReference: t.exposeString('providerReference'),
      payerIban: t.string({
        nullable: true,
        description: 'Masked (bank transfers only).',
        resolve: (p, _a, ctx) => (p.payerIbanEnc ? mask(ctx.app.cipher.decrypt(p.payerIbanEnc, ibanAad(p))) : null),
      }),
    }),
  });

  builder.prismaNode('DebtCase', {
    id: { field: 'id' },
    fields: (t) => ({
      invoice: t.relation('invoice'),
      openedAt: t.expose('openedAt', { type: 'DateTime' }),
      closedAt: t.expose('closedAt', { type: 'DateTime', nullable: true }),
    }),
  });

  builder.prismaObject('IdentityVerification', {
    fields: (t) => ({
      method: t.expose('method', { type: IdentityMethod }),
      verifiedAt: t.expose('verifiedAt', { type: 'DateTime' }),
    }),
  });

  type ProviderEvent = { id: string; type: string; outcome: string; invoiceNumber: string | null; receivedAt: Date };
  const PaymentProviderEvent = builder.objectRef<ProviderEvent>('PaymentProviderEvent').implement({
    fields: (t) => ({
      id: t.exposeString('id', { description: 'The provider’s event id.' }),
      type: t.exposeString('type'),
      outcome: t.exposeString('outcome', { description: 'UNKNOWN_INVOICE or CURRENCY_MISMATCH: a payment staff must match by hand.' }),
      invoiceNumber: t.exposeString('invoiceNumber', { nullable: true }),
      receivedAt: t.expose('receivedAt', { type: 'DateTime' }),
    }),
  });

  builder.prismaObjectFields('Account', (t) => ({
    subscriptions: t.relation('subscriptions', { query: { orderBy: { createdAt: 'desc' } } }),
    invoices: t.relation('invoices', { query: { orderBy: { issuedAt: 'desc' } } }),
    debtCases: t.relation('debtCases', { query: { orderBy: { openedAt: 'desc' } } }),
    identityVerifications: t.relation('identityVerifications', { query: { orderBy: { verifiedAt: 'desc' } } }),
    payments: t.prismaField({
      type: ['Payment'],
      description: 'Payments received for this account’s invoices.',
      resolve: (query, account, _a, ctx) =>
        ctx.app.prisma.payment.findMany({ ...query, where: { invoice: { accountId: account.id } }, orderBy: { receivedAt: 'desc' } }),
    }),
  }));

  const SubscribeInput = builder.inputType('SubscribeInput', {
    fields: (t) => ({
      planCode: t.string({ required: true }),
      deviceId: t.globalID({ description: 'The device the service is for (optional).' }),
    }),
  });
  const RecordPaymentInput = builder.inputType('RecordPaymentInput', {
    fields: (t) => ({
      invoiceNumber: t.string({ required: true }),
      amountCents: t.int({ required: true }),
      receivedAt: t.field({ type: 'DateTime', required: true }),
      payerIban: t.string({ required: true }),
      reference: t.string({ required: true }),
    }),
  });

  builder.queryFields((t) => ({
    servicePlans: t.prismaField({
      type: ['ServicePlan'],
      description: 'Public: the plans on sale.',
      resolve: (query, _r, _a, ctx) =>
        ctx.app.prisma.servicePlan.findMany({ ...query, where: { active: true }, orderBy: { priceCents: 'asc' } }),
    }),
    invoice: t.prismaField({
      type: 'Invoice',
      nullable: true,
      description: 'ACCOUNTING: any invoice by number, also of erased accounts.',
      args: { number: t.arg.string({ required: true }) },
      resolve: (query, _r, args, ctx) => ctx.app.prisma.invoice.findUnique({ ...query, where: { number: args.number.trim() } }),
    }),
    unmatchedPaymentEvents: t.field({
      type: [PaymentProviderEvent],
      description: 'ACCOUNTING: card payments the webhook could not match to an invoice, newest first.',
      resolve: (_r, _a, ctx) =>
        ctx.app.prisma.paymentProviderEvent.findMany({
          where: { outcome: { in: ['UNKNOWN_INVOICE', 'CURRENCY_MISMATCH'] } },
          orderBy: { receivedAt: 'desc' },
          take: 500,
        }),
    }),
  }));

  builder.mutationFields((t) => ({
    subscribe: t.prismaField({
      type: 'Subscription',
      description: 'Creates the subscription (PENDING_PAYMENT) and its first invoice; paying the invoice activates it.',
      args: { input: t.arg({ type: SubscribeInput, required: true }) },
      resolve: (_q, _r, { input }, ctx) =>
        subscribe(ctx.app, requireAccount(ctx.viewer).accountId, {
          planCode: input.planCode,
          deviceId: input.deviceId ? requireId(input.deviceId, 'Device') : null,
        }),
    }),
    cancelSubscription: t.prismaField({
      type: 'Subscription',
      description: 'The owner, at any time: no renewal; the service runs until currentPeriodEnd.',
      args: { id: t.arg.globalID({ required: true }) },
      resolve: (_q, _r, args, ctx) =>
        cancelSubscription(ctx.app, requireAccount(ctx.viewer).accountId, requireId(args.id, 'ServiceSubscription')),
    }),
    recordPayment: t.prismaField({
      type: 'Payment',
      description: 'ACCOUNTING: a bank transfer from the statement.',
      args: { input: t.arg({ type: RecordPaymentInput, required: true }) },
      resolve: (_q, _r, { input }, ctx) => recordBankPayment(ctx.app, actorOf(ctx.viewer), input),
    }),
    openDebtCase: t.prismaField({
      type: 'DebtCase',
      description: 'ACCOUNTING: the account is held (no purge, no erasure) until the case is closed.',
      args: { invoiceNumber: t.arg.string({ required: true }) },
      resolve: (_q, _r, args, ctx) => openDebtCase(ctx.app, actorOf(ctx.viewer), args.invoiceNumber),
    }),
    closeDebtCase: t.prismaField({
      type: 'DebtCase',
      args: { id: t.arg.globalID({ required: true }) },
      resolve: (_q, _r, args, ctx) => closeDebtCase(ctx.app, actorOf(ctx.viewer), requireId(args.id, 'DebtCase')),
    }),
    recordIdentityVerification: t.prismaField({
      type: 'IdentityVerification',
      description: 'SUPPORT with an open access case for the account.',
      args: { accountId: t.arg.globalID({ required: true }), method: t.arg({ type: IdentityMethod, required: true }) },
      resolve: (_q, _r, args, ctx) =>
        recordIdentityVerification(ctx.app, actorOf(ctx.viewer), requireId(args.accountId, 'Account'), args.method),
    }),
  }));
}
