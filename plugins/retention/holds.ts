import { type Actor, type AppServices, badInput, conflict, notFound, recordAudit, type Tx } from '../../schema/plugin-api';
/** Legal holds: while one is active, retention skips the account and its data, and erasure is refused (GDPR art. 17(3)(e)). */

export async function placeLegalHold(app: AppServices, actor: Actor, input: { accountId: string; reason: string; until: Date | null }) {
  const reason = input.reason.trim();
  if (reason.length < 5) throw badInput('input.reason', 'Give the reason for the hold (at least 5 characters).');
  if (input.until && input.until <= new Date()) throw badInput('input.until', 'Must be in the future.');
  const account = await app.prisma.account.findUnique({ where: { id: input.accountId }, select: { id: true } });
  if (!account) throw notFound('Account');
  return app.prisma.$transaction(async (tx) => {
    const hold = await tx.legalHold.create({ data: { accountId: account.id, reason, until: input.until, placedById: actor.accountId } });
    await recordAudit(app, tx, { action: 'legalHold.placed', actor, subjectAccountId: account.id, details: { holdId: hold.id } });
    return hold;
  });
}

export async function releaseLegalHold(app: AppServices, actor: Actor, id: string) {
  const hold = await app.prisma.legalHold.findUnique({ where: { id } });
  if (!hold) throw notFound('Legal hold');
  if (hold.releasedAt) throw conflict('The hold is already released.');
  return app.prisma.$transaction(async (tx) => {
    const released = await tx.legalHold.update({ where: { id }, data: { releasedAt: new Date() } });
    await recordAudit(app, tx, { action: 'legalHold.released', actor, subjectAccountId: hold.accountId, details: { holdId: id } });
    return released;
  });
}

/** A legal hold, or a hold another plugin declares (retentionGuards, e.g. an open debt case). */
export async function isHeld(app: AppServices, tx: Tx, accountId: string, now = new Date()): Promise<boolean> {
  const n = await tx.legalHold.count({ where: { accountId, releasedAt: null, OR: [{ until: null }, { until: { gt: now } }] } });
  if (n > 0) return true;
  for (const guard of app.extensions.retentionGuards) {
    if ((await guard.heldAccounts?.(tx, now))?.includes(accountId)) return true;
  }
  return false;
}
