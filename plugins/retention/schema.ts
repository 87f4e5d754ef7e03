/** GraphQL types of the retention plugin. */
import { publicRules } from './all-rules';
import { runRetention, type RetentionResult } from './run';
import { placeLegalHold, releaseLegalHold } from './holds';
import { accountSummary, actorOf, type Builder, type CoreRefs } from '../../schema/plugin-api';

export function addRetentionSchema(builder: Builder, refs: CoreRefs) {
  const RetentionRule = refs.RetentionRule;

  const RetentionHeldReason = builder.objectRef<{ reason: string; count: number }>('RetentionHeldReason').implement({
    fields: (t) => ({
      reason: t.exposeString('reason', {
        description: "LEGAL_HOLD, or a deletion guard's reason, e.g. OPEN_REQUEST (a data-subject request is open).",
      }),
      count: t.exposeInt('count'),
    }),
  });

  const RetentionResultRef = builder.objectRef<RetentionResult>('RetentionResult').implement({
    fields: (t) => ({
      dataCategory: t.exposeString('dataCategory'),
      deleted: t.exposeInt('deleted'),
      held: t.exposeInt('held', { description: 'Kept despite their age because of a legal hold or a deletion guard (see heldReasons).' }),
      heldReasons: t.field({ type: [RetentionHeldReason], resolve: (r) => r.heldReasons ?? [] }),
    }),
  });

  const RetentionRun = builder.prismaNode('RetentionRun', {
    id: { field: 'id' },
    fields: (t) => ({
      dryRun: t.exposeBoolean('dryRun'),
      startedAt: t.expose('startedAt', { type: 'DateTime' }),
      finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
      results: t.field({ type: [RetentionResultRef], resolve: (r) => r.results as unknown as RetentionResult[] }),
    }),
  });
  const RetentionRunConnection = builder.connectionObject({ type: RetentionRun, name: 'RetentionRunConnection' });

  builder.prismaNode('LegalHold', {
    id: { field: 'id' },
    fields: (t) => ({
      account: t.field({ type: refs.AccountSummary, resolve: (h, _a, ctx) => accountSummary(ctx, h.accountId) }),
      reason: t.exposeString('reason'),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      until: t.expose('until', { type: 'DateTime', nullable: true }),
      releasedAt: t.expose('releasedAt', { type: 'DateTime', nullable: true }),
    }),
  });

  const PlaceLegalHoldInput = builder.inputType('PlaceLegalHoldInput', {
    fields: (t) => ({
      accountId: t.globalID({ required: true }),
      reason: t.string({ required: true }),
      until: t.field({ type: 'DateTime' }),
    }),
  });

  builder.queryFields((t) => ({
    retentionRules: t.field({
      type: [RetentionRule],
      description: 'Public.',
      resolve: (_r, _a, ctx) => publicRules(ctx.app),
    }),
    retentionRuns: t.prismaConnection(
      {
        type: 'RetentionRun',
        cursor: 'id',
        description: 'DPO and ADMIN.',
        resolve: (query, _r, _a, ctx) =>
          ctx.app.prisma.retentionRun.findMany({ ...query, orderBy: [{ startedAt: 'desc' }, { id: 'desc' }] }),
      },
      RetentionRunConnection,
    ),
  }));

  builder.mutationFields((t) => ({
    runRetention: t.prismaField({
      type: 'RetentionRun',
      args: { dryRun: t.arg.boolean({ defaultValue: true }) },
      resolve: (_q, _r, args, ctx) => runRetention(ctx.app, { dryRun: args.dryRun ?? true, actor: actorOf(ctx.viewer) }),
    }),
    placeLegalHold: t.prismaField({
      type: 'LegalHold',
      args: { input: t.arg({ type: PlaceLegalHoldInput, required: true }) },
      resolve: (_q, _r, { input }, ctx) =>
        placeLegalHold(ctx.app, actorOf(ctx.viewer), {
          accountId: input.accountId.typename === 'Account' ? input.accountId.id : '',
          reason: input.reason,
          until: input.until ?? null,
        }),
    }),
    releaseLegalHold: t.prismaField({
      type: 'LegalHold',
      args: { id: t.arg.globalID({ required: true }) },
      resolve: (_q, _r, args, ctx) => releaseLegalHold(ctx.app, actorOf(ctx.viewer), args.id.typename === 'LegalHold' ? args.id.id : ''),
    }),
  }));
}
