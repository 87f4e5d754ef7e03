/**
 * Access cases: a staff member sees one customer's personal data only while
 * a case with a reason is open for that account, and every such read is
 * audited with the case. No role is exempt (DPO and ADMIN included).
 *
 * Need-to-know by role: MARKETING opens no cases (audiences never need one
 * person's data). A SUPPORT or ADMIN case covers the profile (masked) and the
 * devices (scope PROFILE_AND_DEVICES); location history and the personal code
 * or IBAN in clear need the case widened to FULL by a DPO (approveAccessCase).
 * A DPO's own case is FULL from the start.
 */
import { appendEvent } from './chain';
import type { AccessCaseScope } from '../../generated/prisma/enums';
import {
  type AccessScope,
  type AppServices,
  badInput,
  conflict,
  type Context,
  forbidden,
  hasRole,
  isStaff,
  notFound,
  publishAccountAccessChange,
  type Role,
} from '../../schema/plugin-api';

/** Roles that may open access cases (MARKETING may not). */
export const CASE_ROLES: Role[] = ['SUPPORT', 'DPO', 'ADMIN'];

/** Whether a case of this scope covers what the reader needs. */
export function caseCovers(scope: AccessCaseScope, needed: AccessScope): boolean {
  return needed === 'PROFILE' || scope === 'FULL';
}

/** The audit action of a staff read of this scope. */
export const READ_ACTIONS: Record<AccessScope, string> = {
  PROFILE: 'account.read',
  LOCATIONS: 'account.locations.read',
  UNMASKED: 'account.unmasked.read',
};

export const DEFAULT_CASE_MINUTES = 60;
export const MAX_CASE_MINUTES = 8 * 60;

export interface OpenCase {
  id: string;
  reason: string;
  scope: AccessCaseScope;
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
        select: { id: true, reason: true, accountId: true, scope: true },
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

export async function openAccessCase(
  app: AppServices,
  staff: { accountId: string; roles: Role[] },
  input: { accountId: string; reason: string; minutes: number },
) {
  const staffId = staff.accountId;
  if (!staff.roles.some((r) => CASE_ROLES.includes(r))) throw forbidden('Only SUPPORT, DPO or ADMIN open access cases.');
  const full = staff.roles.includes('DPO');
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
      data: {
        staffId,
        accountId: input.accountId,
        reason,
        openedAt: now,
        expiresAt: new Date(now.getTime() + input.minutes * 60_000),
        scope: full ? 'FULL' : 'PROFILE_AND_DEVICES',
        approvedAt: full ? now : null,
      },
    });
    await appendEvent(tx, {
      action: 'accessCase.opened',
      actor: { kind: 'STAFF', accountId: staffId },
      subjectAccountId: input.accountId,
      accessCaseId: c.id,
      details: { minutes: input.minutes, scope: c.scope },
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
  const closed = await ctx.app.prisma.$transaction(async (tx) => {
    const row = await tx.accessCase.update({ where: { id: c.id }, data: { closedAt: new Date() } });
    await appendEvent(tx, {
      action: 'accessCase.closed',
      actor: { kind: 'STAFF', accountId: viewer.accountId },
      subjectAccountId: c.accountId,
      accessCaseId: c.id,
    });
    return row;
  });
  // The staff member's live streams on the account's devices re-check now.
  publishAccountAccessChange(ctx.app, c.staffId, 'accessCase.closed');
  return closed;
}

/** A DPO widens an open case to FULL (location history, unmasked personal code and IBAN); audited with the case. */
export async function approveAccessCase(ctx: Context, caseId: string) {
  const viewer = ctx.viewer;
  if (viewer.kind !== 'account' || !hasRole(viewer, 'DPO')) throw forbidden('Only a DPO approves access cases.');
  const c = await ctx.app.prisma.accessCase.findUnique({ where: { id: caseId } });
  if (!c) throw notFound('Access case');
  const now = new Date();
  if (c.closedAt || c.expiresAt <= now) throw conflict('The access case is closed or has expired; open a new one.');
  if (c.scope === 'FULL') throw conflict('The access case already has the full scope.');
  if (c.staffId === viewer.accountId) throw conflict('A case is approved by another DPO than the one who opened it.');
  return ctx.app.prisma.$transaction(async (tx) => {
    const approved = await tx.accessCase.update({
      where: { id: c.id },
      data: { scope: 'FULL', approvedById: viewer.accountId, approvedAt: now },
    });
    await appendEvent(tx, {
      action: 'accessCase.approved',
      actor: { kind: 'STAFF', accountId: viewer.accountId },
      subjectAccountId: c.accountId,
      accessCaseId: c.id,
      details: { scope: 'FULL', staffId: c.staffId },
    });
    return approved;
  });
}
