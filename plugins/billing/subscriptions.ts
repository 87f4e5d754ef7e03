/**
 * Subscribing to a plan, cancelling, and the identity check some plans need.
 * Authorization is in rules.ts; these functions check input and do the work.
 * A subscription starts PENDING_PAYMENT with its first invoice; the payment
 * (payments.ts) activates it.
 */
import type { IdentityMethod } from '../../generated/prisma/enums';
import {
  type Actor,
  type AppServices,
  badInput,
  conflict,
  identityVerificationRequired,
  notFound,
  recordAudit,
} from '../../schema/plugin-api';
import { buyerOf, issueInvoice } from './invoices';

export interface SubscribeInput {
  planCode: string;
  deviceId: string | null;
}

export async function subscribe(app: AppServices, accountId: string, input: SubscribeInput) {
  const plan = await app.prisma.servicePlan.findUnique({ where: { code: input.planCode } });
  if (!plan || !plan.active) throw badInput('input.planCode', 'No plan on sale has this code (see servicePlans).');
  if (input.deviceId) {
    const device = await app.prisma.device.findUnique({ where: { id: input.deviceId }, select: { ownerId: true } });
    if (!device || device.ownerId !== accountId) throw badInput('input.deviceId', 'Not one of your devices.');
  }
  if (plan.requiresIdentityCheck) {
    const verified = await app.prisma.identityVerification.count({ where: { accountId } });
    if (!verified) {
      throw identityVerificationRequired(
        'This plan needs your identity checked first: contact support (personal code check, eID or in person).',
      );
    }
  }
  return app.prisma.$transaction(async (tx) => {
    const buyer = await buyerOf(tx, accountId);
    if (!buyer.name) throw badInput('input.planCode', 'Add your name to your profile first: an invoice needs the buyer’s name.');
    const now = new Date();
    const subscription = await tx.subscription.create({ data: { accountId, planCode: plan.code, deviceId: input.deviceId } });
    const invoice = await issueInvoice(app, tx, {
      accountId,
      subscriptionId: subscription.id,
      plan,
      buyerName: buyer.name,
      buyerAddress: buyer.address,
      periodStart: now,
      now,
    });
    await recordAudit(app, tx, {
      action: 'billing.subscribed',
      actor: { kind: 'CUSTOMER', accountId },
      subjectAccountId: accountId,
      details: { subscriptionId: subscription.id, invoiceNumber: invoice.number },
    });
    return subscription;
  });
}

/** No renewal from now on; the service runs until currentPeriodEnd (a never-paid subscription ends at once). */
export async function cancelSubscription(app: AppServices, accountId: string, id: string) {
  const subscription = await app.prisma.subscription.findUnique({ where: { id } });
  if (!subscription || subscription.accountId !== accountId) throw notFound('Subscription');
  if (subscription.cancelledAt || subscription.status === 'ENDED') return subscription;
  const now = new Date();
  return app.prisma.$transaction(async (tx) => {
    const neverPaid = subscription.status === 'PENDING_PAYMENT';
    const updated = await tx.subscription.update({
      where: { id },
      data: { cancelledAt: now, status: neverPaid ? 'CANCELLED' : subscription.status },
    });
    // The unpaid first invoice of a never-started subscription is voided (kept, numbered, for the books).
    if (neverPaid)
      await tx.invoice.updateMany({ where: { subscriptionId: id, status: { in: ['OPEN', 'OVERDUE'] } }, data: { status: 'VOID' } });
    await recordAudit(app, tx, {
      action: 'billing.cancelled',
      actor: { kind: 'CUSTOMER', accountId },
      subjectAccountId: accountId,
      details: { subscriptionId: id },
    });
    return updated;
  });
}

export async function recordIdentityVerification(app: AppServices, actor: Actor, accountId: string, method: IdentityMethod) {
  const account = await app.prisma.account.findUnique({ where: { id: accountId }, select: { id: true } });
  if (!account) throw notFound('Account');
  if (accountId === actor.accountId) throw conflict('Staff cannot verify their own identity.');
  return app.prisma.$transaction(async (tx) => {
    const row = await tx.identityVerification.create({ data: { accountId, method, verifiedById: actor.accountId! } });
    await recordAudit(app, tx, { action: 'billing.identityVerified', actor, subjectAccountId: accountId, details: { method } });
    return row;
  });
}
