/**
 * Erasure of an account and everything it owns. Deleting the Account row
 * cascades (foreign keys) to sessions, devices, location points, grants
 * given and received, share links, consent records and plugin rows that
 * reference it. Plugins react to 'account.deleting' inside the same
 * transaction (the audit plugin keeps a minimised proof of consents; a
 * plugin may refuse by throwing, e.g. for a legal hold) and clean up
 * anything else on 'account.deleted'.
 */
import type { AppServices, Db, ErasureNotice } from '../context';
import type { Actor, Tx } from '../events';

export type ErasureReason = 'request' | 'erasure' | 'inactivity';

/** Erases inside the given transaction; the caller emits 'account.deleted' after commit (see eraseAccount). */
export async function eraseAccountInTx(app: AppServices, tx: Tx, accountId: string, reason: ErasureReason, actor: Actor): Promise<boolean> {
  const exists = await tx.account.findUnique({ where: { id: accountId }, select: { id: true } });
  if (!exists) return false;
  await app.events.emit('account.deleting', { accountId, reason }, { actor, tx });
  await tx.account.delete({ where: { id: accountId } });
  return true;
}

export async function eraseAccount(app: AppServices, accountId: string, reason: ErasureReason, actor: Actor): Promise<boolean> {
  const erased = await app.prisma.$transaction((tx) => eraseAccountInTx(app, tx, accountId, reason, actor), { timeout: 60_000 });
  if (erased) await app.events.emit('account.deleted', { accountId, reason }, { actor });
  return erased;
}

/** What plugins keep after this account's erasure, why and until when (extension erasureNotices; empty without such plugins). */
export async function erasureNoticesFor(app: AppServices, db: Db, accountId: string): Promise<ErasureNotice[]> {
  return (await Promise.all(app.extensions.erasureNotices.map((source) => source(db, app, accountId)))).flat();
}
