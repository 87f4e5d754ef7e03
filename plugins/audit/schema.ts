/** GraphQL types of the staff access and audit plugin. */
import { requireAccount } from '../../schema/plugin-api';
import { AccessCaseScope as AccessCaseScopeEnum, ActorKind as ActorKindEnum } from '../../generated/prisma/enums';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { approveAccessCase, closeAccessCase, DEFAULT_CASE_MINUTES, openAccessCase } from './access-cases';
import { verifyChain } from './chain';
import { accountSummary, type Builder, type Context, type CoreRefs } from '../../schema/plugin-api';

export function addAuditSchema(builder: Builder, refs: CoreRefs) {
  const ActorKind = builder.enumType(ActorKindEnum, { name: 'ActorKind' });
  const AccessCaseScope = builder.enumType(AccessCaseScopeEnum, {
    name: 'AccessCaseScope',
    description: 'PROFILE_AND_DEVICES: profile (masked) and devices. FULL: also location history and unmasked personal code and IBAN.',
  });

  const AccessCase = builder.prismaNode('AccessCase', {
    id: { field: 'id' },
    description: "Need-to-know access: a staff member sees one customer's personal data only while a case is open.",
    fields: (t) => ({
      staff: t.field({ type: refs.AccountSummary, resolve: (c, _a, ctx) => accountSummary(ctx, c.staffId) }),
      account: t.field({ type: refs.AccountSummary, resolve: (c, _a, ctx) => accountSummary(ctx, c.accountId) }),
      reason: t.exposeString('reason'),
      openedAt: t.expose('openedAt', { type: 'DateTime' }),
      expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
      closedAt: t.expose('closedAt', { type: 'DateTime', nullable: true }),
      scope: t.field({ type: AccessCaseScope, resolve: (c) => c.scope }),
      approvedAt: t.expose('approvedAt', {
        type: 'DateTime',
        nullable: true,
        description: 'When the case got the FULL scope (a DPO case: when it was opened).',
      }),
      approvedBy: t.field({
        type: refs.AccountSummary,
        nullable: true,
        description: "The DPO who approved the FULL scope (null for a DPO's own case or an unapproved one).",
        resolve: (c, _a, ctx) => (c.approvedById ? accountSummary(ctx, c.approvedById) : null),
      }),
    }),
  });

  const AuditEvent = builder.prismaNode('AuditEvent', {
    id: { field: 'id' },
    description: 'Tamper-evident: each event carries the hash of the previous one.',
    fields: (t) => ({
      at: t.expose('at', { type: 'DateTime' }),
      actorKind: t.field({ type: ActorKind, resolve: (e) => e.actorKind }),
      actor: t.field({
        type: refs.AccountSummary,
        nullable: true,
        resolve: (e, _a, ctx) => (e.actorId ? accountSummary(ctx, e.actorId) : null),
      }),
      action: t.exposeString('action', {
        description: 'e.g. account.read, device.removed, location.exported, consent.changed, retention.purged',
      }),
      subjectAccountId: t.id({
        nullable: true,
        resolve: (e) => (e.subjectAccountId ? encodeGlobalID('Account', e.subjectAccountId) : null),
      }),
      accessCase: t.prismaField({
        type: 'AccessCase',
        nullable: true,
        resolve: (query, e, _a, ctx) =>
          e.accessCaseId ? ctx.app.prisma.accessCase.findUnique({ ...query, where: { id: e.accessCaseId } }) : null,
      }),
      hash: t.exposeString('hash'),
      previousHash: t.exposeString('previousHash', { nullable: true }),
    }),
  });

  const AuditEventConnection = builder.connectionObject({ type: AuditEvent, name: 'AuditEventConnection' });

  const AuditChainCheck = builder
    .objectRef<{ valid: boolean; checkedEvents: number; firstBrokenEventId: string | null }>('AuditChainCheck')
    .implement({
      fields: (t) => ({
        valid: t.exposeBoolean('valid'),
        checkedEvents: t.exposeInt('checkedEvents'),
        firstBrokenEventId: t.id({
          nullable: true,
          description: 'First event whose hash does not match, when not valid.',
          resolve: (c) => (c.firstBrokenEventId ? encodeGlobalID('AuditEvent', c.firstBrokenEventId) : null),
        }),
      }),
    });

  builder.queryFields((t) => ({
    account: t.prismaField({
      type: 'Account',
      nullable: true,
      description: "Staff only: a customer's account, readable while an access case is open.",
      args: { id: t.arg.globalID({ required: true }) },
      resolve: (query, _r, args, ctx) => ctx.app.prisma.account.findUnique({ ...query, where: { id: args.id.id } }),
    }),
    myDataAccessLog: t.prismaConnection(
      {
        type: 'AuditEvent',
        cursor: 'id',
        description: "Who of the staff accessed the viewer's data, and why.",
        resolve: (query, _r, _a, ctx) =>
          ctx.app.prisma.auditEvent.findMany({
            ...query,
            where: { subjectAccountId: viewerId(ctx), actorKind: 'STAFF', NOT: { actorId: viewerId(ctx) } },
            orderBy: { seq: 'desc' },
          }),
      },
      AuditEventConnection,
    ),
    auditLog: t.prismaConnection(
      {
        type: 'AuditEvent',
        cursor: 'id',
        description: 'DPO only.',
        args: { accountId: t.arg.globalID() },
        resolve: (query, _r, args, ctx) =>
          ctx.app.prisma.auditEvent.findMany({
            ...query,
            where: args.accountId ? { subjectAccountId: args.accountId.id } : {},
            orderBy: { seq: 'desc' },
          }),
      },
      AuditEventConnection,
    ),
    verifyAuditChain: t.field({
      type: AuditChainCheck,
      description: 'DPO only.',
      resolve: (_r, _a, ctx) => verifyChain(ctx.app.prisma),
    }),
  }));

  builder.mutationFields((t) => ({
    openAccessCase: t.prismaField({
      type: 'AccessCase',
      args: {
        accountId: t.arg.globalID({ required: true }),
        reason: t.arg.string({ required: true }),
        minutes: t.arg.int({ defaultValue: DEFAULT_CASE_MINUTES }),
      },
      resolve: async (query, _r, args, ctx) => {
        const c = await openAccessCase(ctx.app, requireAccount(ctx.viewer), {
          accountId: args.accountId.typename === 'Account' ? args.accountId.id : '',
          reason: args.reason,
          minutes: args.minutes ?? DEFAULT_CASE_MINUTES,
        });
        return ctx.app.prisma.accessCase.findUniqueOrThrow({ ...query, where: { id: c.id } });
      },
    }),
    approveAccessCase: t.prismaField({
      type: 'AccessCase',
      description: 'DPO: widens an open case to FULL (location history, unmasked personal code and IBAN).',
      args: { id: t.arg.globalID({ required: true }) },
      resolve: async (query, _r, args, ctx) => {
        const c = await approveAccessCase(ctx, args.id.typename === 'AccessCase' ? args.id.id : '');
        return ctx.app.prisma.accessCase.findUniqueOrThrow({ ...query, where: { id: c.id } });
      },
    }),
    closeAccessCase: t.prismaField({
      type: 'AccessCase',
      args: { id: t.arg.globalID({ required: true }) },
      resolve: async (query, _r, args, ctx) => {
        const c = await closeAccessCase(ctx, args.id.typename === 'AccessCase' ? args.id.id : '');
        return ctx.app.prisma.accessCase.findUniqueOrThrow({ ...query, where: { id: c.id } });
      },
    }),
  }));

  return { AccessCase, AuditEvent, AuditEventConnection, AuditChainCheck, ActorKind, AccessCaseScope };
}

function viewerId(ctx: Context): string {
  return requireAccount(ctx.viewer).accountId;
}
