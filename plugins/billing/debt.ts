/**
 * Debt cases (ACCOUNTING). While a case is open the account is under a hold:
 * the retention plugin purges nothing of it and it cannot be erased (see
 * retention-guards.ts), until the case is closed.
 */
import { type Actor, type AppServices, badInput, conflict, notFound, recordAudit } from '../../schema/plugin-api';

export async function openDebtCase(app: AppServices, actor: Actor, invoiceNumber: string) {
  const invoice = await app.prisma.invoice.findUnique({ where: { number: invoiceNumber.trim() } });
  if (!invoice) throw badInput('invoiceNumber', 'No invoice has this number.');
  if (invoice.status === 'PAID' || invoice.status === 'VOID') throw conflict(`The invoice is ${invoice.status}; there is no debt.`);
  const open = await app.prisma.debtCase.findFirst({ where: { invoiceId: invoice.id, closedAt: null } });
  if (open) throw conflict('A debt case is already open for this invoice.');
  return app.prisma.$transaction(async (tx) => {
    const row = await tx.debtCase.create({ data: { invoiceId: invoice.id, accountId: invoice.accountId, openedById: actor.accountId } });
    await recordAudit(app, tx, {
      action: 'billing.debtCaseOpened',
      actor,
      subjectAccountId: invoice.accountId,
      details: { debtCaseId: row.id, invoiceNumber },
    });
    return row;
  });
}

export async function closeDebtCase(app: AppServices, actor: Actor, id: string) {
  const row = await app.prisma.debtCase.findUnique({ where: { id } });
  if (!row) throw notFound('Debt case');
  if (row.closedAt) throw conflict('The debt case is already closed.');
  return app.prisma.$transaction(async (tx) => {
    const closed = await tx.debtCase.update({ where: { id }, data: { closedAt: new Date(), closedById: actor.accountId } });
    await recordAudit(app, tx, { action: 'billing.debtCaseClosed', actor, subjectAccountId: row.accountId, details: { debtCaseId: id } });
    return closed;
  });
}
