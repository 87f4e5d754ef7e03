/**
 * Access cases: a staff member sees one customer's personal data only while
 * a case with a reason is open for that account, and every such read is
 * audited with the case. No role is exempt (DPO and ADMIN included).
 */
import { appendEvent } from './chain';
import { type AppServices, badInput, conflict, type Context, forbidden, hasRole, isStaff, notFound } from '../../schema/plugin-api';

export const DEFAULT_CASE_MINUTES = 60;
export const MAX_CASE_MINUTES = 8 * 60;

export interface OpenCase {
  id: string;
  reason: string;
}

/** The viewer's open, unexpired case for the account, if any (one query per request and account). */
export function openCaseFor(ctx: Context, accountId: string): Promise<OpenCase | null> {
  if (ctx.viewer.kind !== 'account' || !isStaff(ctx.viewer)) return Promise.resolve(null);
  const staffId = ctx.viewer.accountId;
  return ctx
    .loader<string, OpenCase | null>(`audit.openCase:${staffId}`, async (ids) => {
      const now = new Date();
      const rows = await ctx.app.prisma.accessCase.findMany({
        where: { staffId, accountId: { in: [...ids] }, closedAt: null, expiresAt: { gt: now } },
        orderBy: { openedAt: 'desc' },
        select: { id: true, reason: true, accountId: true },
      });
      return ids.map((id) => rows.find((r) => r.accountId === id) ?? null);
    })
    .load(accountId);
}

/** Writes one account.read event per request and account (the access policy calls it when it admits staff). */
export async function auditStaffRead(ctx: Context, accountId: string, accessCase: OpenCase, action = 'account.read') {
  const key = `audit.logged:${action}:${accountId}`;
  if (ctx.memo.has(key)) return ctx.memo.get(key) as Promise<void>;
  const viewer = ctx.viewer;
  if (viewer.kind !== 'account') return;
  const write = ctx.app.prisma.$transaction(async (tx) => {
    await appendEvent(tx, {
      action,
      actor: { kind: 'STAFF', accountId: viewer.accountId },
      subjectAccountId: accountId,
      accessCaseId: accessCase.id,
    });
  });
  ctx.memo.set(key, write);
  return write;
}

export async function openAccessCase(app: AppServices, staffId: string, input: { accountId: string; reason: string; minutes: number }) {
  const reason = input.reason.trim();
  if (reason.length < 5) throw badInput('reason', 'Give the reason for the access (at least 5 characters).');
  if (reason.length > 500) throw badInput('reason', 'At most 500 characters.');
  if (!Number.isInteger(input.minutes) || input.minutes < 1 || input.minutes > MAX_CASE_MINUTES) {
    throw badInput('minutes', `Between 1 and ${MAX_CASE_MINUTES} minutes.`);
  }
  if (input.accountId === staffId) throw badInput('accountId', 'Your own data needs no access case.');
  const exists = await app.prisma.account.findUnique({ where: { id: input.accountId }, select: { id: true } });
  if (!exists) throw notFound('Account');
  const now = new Date();
  return app.prisma.$transaction(async (tx) => {
    const c = await tx.accessCase.create({
      data: { staffId, accountId: input.accountId, reason, openedAt: now, expiresAt: new Date(now.getTime() + input.minutes * 60_000) },
    });
    await appendEvent(tx, {
      action: 'accessCase.opened',
      actor: { kind: 'STAFF', accountId: staffId },
      subjectAccountId: input.accountId,
      accessCaseId: c.id,
      details: { minutes: input.minutes },
    });
    return c;
  });
}

/** The staff member who opened it, or a DPO, may close a case. */
export async function closeAccessCase(ctx: Context, caseId: string) {
  const viewer = ctx.viewer;
  if (viewer.kind !== 'account') throw forbidden();
  const c = await ctx.app.prisma.accessCase.findUnique({ where: { id: caseId } });
  if (!c || (c.staffId !== viewer.accountId && !hasRole(viewer, 'DPO'))) throw notFound('Access case');
  if (c.closedAt) throw conflict('The access case is already closed.');
  return ctx.app.prisma.$transaction(async (tx) => {
    const closed = await tx.accessCase.update({ where: { id: c.id }, data: { closedAt: new Date() } });
    await appendEvent(tx, {
      action: 'accessCase.closed',
      actor: { kind: 'STAFF', accountId: viewer.accountId },
      subjectAccountId: c.accountId,
      accessCaseId: c.id,
    });
    return closed;
  });
}
