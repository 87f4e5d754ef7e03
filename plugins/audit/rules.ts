/** Who may see cases and the log; staff reach customer data only through an open case. */
import { auditStaffRead, openCaseFor } from './access-cases';
import {
  accountReadable,
  allow,
  idOf,
  canReadAccount,
  chain,
  defineRule,
  forbidden,
  hasAnyRole,
  hasRole,
  isAccount,
  isStaff,
  isStaffMember,
  notFound,
  type RuleMap,
  unauthenticated,
} from '../../schema/plugin-api';

function accountIdFrom(globalId: unknown): string | null {
  return idOf(globalId, 'Account');
}

/** Query.account: staff only; NOT_FOUND for no such account, FORBIDDEN without an open case. */
const canLookUpAccount = defineRule<unknown, { id: string }>('canLookUpAccount', async (_p, args, ctx) => {
  if (ctx.viewer.kind === 'anonymous') return unauthenticated();
  if (!isStaff(ctx.viewer)) return forbidden('Staff only.');
  const id = accountIdFrom(args.id);
  const exists = id ? await ctx.app.prisma.account.findUnique({ where: { id }, select: { id: true } }) : null;
  if (!id || !exists) return notFound('Account');
  return (await accountReadable(ctx, id)) || forbidden('Open an access case for this account first.');
});

/** Unmasked personal code / IBAN: the owner, or staff with an open case (audited as its own event). */
const unmaskAllowed = defineRule<{ id: string }, { unmasked?: boolean }>(
  'unmaskAllowed',
  async (account, args, ctx, info) => {
    if (!args.unmasked) return true;
    if (ctx.viewer.kind === 'account' && ctx.viewer.accountId === account.id) return true;
    const c = await openCaseFor(ctx, account.id);
    if (!c) return forbidden('Unmasking needs an open access case.');
    if (c.scope !== 'FULL') return forbidden('Unmasking needs an access case approved by a DPO (approveAccessCase).');
    await auditStaffRead(ctx, account.id, c, `account.${info.fieldName}.unmasked`);
    return true;
  },
  'no_cache',
); // per field: personalCode and iban have the same parent and args but are audited separately

const canSeeAccessCase = defineRule<{ staffId: string; accountId: string }>('canSeeAccessCase', (c, _a, ctx) => {
  if (ctx.viewer.kind !== 'account') return unauthenticated();
  return c.staffId === ctx.viewer.accountId || c.accountId === ctx.viewer.accountId || hasRole(ctx.viewer, 'DPO') || forbidden();
});

/** The DPO sees the whole log; a customer sees the events about their own data. */
const canSeeAuditEvent = defineRule<{ subjectAccountId: string | null }>('canSeeAuditEvent', (e, _a, ctx) => {
  if (ctx.viewer.kind !== 'account') return unauthenticated();
  return hasRole(ctx.viewer, 'DPO') || (!!e.subjectAccountId && e.subjectAccountId === ctx.viewer.accountId) || forbidden();
});

/** The DPO sees every disclosure; the person their own once its confidentiality has passed. */
const canSeeDisclosure = defineRule<{ accountId: string; confidentialUntil: Date | null }>('canSeeDisclosure', (d, _a, ctx) => {
  if (ctx.viewer.kind !== 'account') return unauthenticated();
  if (hasRole(ctx.viewer, 'DPO')) return true;
  const visible = d.accountId === ctx.viewer.accountId && (!d.confidentialUntil || d.confidentialUntil <= new Date());
  return visible || notFound('Disclosure');
});

export const auditRules: RuleMap = {
  Query: {
    account: canLookUpAccount,
    myDataAccessLog: isAccount,
    auditLog: hasAnyRole('DPO'),
    verifyAuditChain: hasAnyRole('DPO'),
    disclosures: hasAnyRole('DPO'),
    myDisclosures: isAccount,
  },
  Mutation: {
    // Need-to-know: MARKETING opens no access cases.
    openAccessCase: hasAnyRole('SUPPORT', 'DPO', 'ADMIN'),
    closeAccessCase: isStaffMember,
    recordDisclosure: hasAnyRole('DPO'),
    approveAccessCase: hasAnyRole('DPO'),
  },
  Disclosure: { '*': canSeeDisclosure, accessCase: hasAnyRole('DPO') },
  Account: {
    personalCode: chain(canReadAccount, unmaskAllowed),
    iban: chain(canReadAccount, unmaskAllowed),
  },
  AccessCase: canSeeAccessCase,
  AuditEvent: canSeeAuditEvent,
  AuditEventConnection: allow,
  AuditEventEdge: allow,
  AuditChainCheck: allow,
};
