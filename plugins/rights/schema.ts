/** GraphQL types of the data-subject rights plugin. */
import {
  DataSubjectRequestStatus as DataSubjectRequestStatusEnum,
  VerificationMethod as VerificationMethodEnum,
  ExportFormat as ExportFormatEnum,
} from '../../generated/prisma/enums';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { completeRequest, extendRequest, rejectRequest, submitRequest, verifyRequest } from './requests';
import { exportContent, exportData } from './exports';
import { liftRestriction } from './restriction';
import {
  accountSummary,
  actorOf,
  badInput,
  type Builder,
  type Context,
  type CoreRefs,
  eraseAccount,
  type ErasureNotice,
  erasureNoticesFor,
  profileInputFields,
  verifyPassword,
  requireAccount,
} from '../../schema/plugin-api';

function viewerId(ctx: Context): string {
  return requireAccount(ctx.viewer).accountId;
}

/** The id of a global id of the given type ('' otherwise, which then is NOT_FOUND). */
const idOf = (g: { typename: string; id: string } | null | undefined, typename: string) => (g && g.typename === typename ? g.id : '');

/** Checks the password, notes what will outlive the account (erasureNotices), then erases it. */
async function deleteOwnAccount(ctx: Context, password: string): Promise<{ deleted: boolean; kept: ErasureNotice[] }> {
  const id = viewerId(ctx);
  const account = await ctx.app.prisma.account.findUniqueOrThrow({ where: { id }, select: { passwordHash: true } });
  if (!(await verifyPassword(password, account.passwordHash))) throw badInput('password', 'The password is wrong.');
  const kept = await erasureNoticesFor(ctx.app, ctx.app.prisma, id);
  return { deleted: await eraseAccount(ctx.app, id, 'request', actorOf(ctx.viewer)), kept };
}

export function addRightsSchema(builder: Builder, refs: CoreRefs) {
  const Kind = builder.enumType('DataSubjectRequestKind', {
    values: ['ACCESS', 'PORTABILITY', 'RECTIFICATION', 'ERASURE', 'RESTRICTION', 'OBJECTION'] as const,
  });
  const AccountDeletionResult = builder.objectRef<{ deleted: boolean; kept: ErasureNotice[] }>('AccountDeletionResult').implement({
    fields: (t) => ({
      deleted: t.exposeBoolean('deleted'),
      kept: t.field({
        type: [refs.KeptAfterDeletion],
        description: 'What is kept after the deletion, why and until when.',
        resolve: (r) => r.kept,
      }),
    }),
  });
  const Status = builder.enumType(DataSubjectRequestStatusEnum, { name: 'DataSubjectRequestStatus' });
  const Method = builder.enumType(VerificationMethodEnum, { name: 'VerificationMethod' });
  const Format = builder.enumType(ExportFormatEnum, { name: 'ExportFormat' });

  const DataExport = builder.prismaObject('DataExport', {
    fields: (t) => ({
      id: t.id({ resolve: (e) => encodeGlobalID('DataExport', e.id) }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      format: t.field({ type: Format, resolve: (e) => e.format }),
      free: t.exposeBoolean('free', { description: 'False from the second copy on (a reasonable fee may apply).' }),
      sizeBytes: t.exposeInt('sizeBytes'),
      content: t.field({
        type: 'JSON',
        description: 'The full export; for JSON every personal datum the platform holds on the account.',
        select: { content: true, format: true },
        resolve: (e) => exportContent(e),
      }),
    }),
  });

  builder.prismaNode('DataSubjectRequest', {
    id: { field: 'id' },
    fields: (t) => ({
      kind: t.field({ type: Kind, resolve: (r) => r.kind }),
      status: t.field({ type: Status, resolve: (r) => r.status }),
      account: t.field({ type: refs.AccountSummary, resolve: (r, _a, ctx) => accountSummary(ctx, r.accountId) }),
      details: t.exposeString('details', { nullable: true }),
      submittedAt: t.expose('submittedAt', { type: 'DateTime' }),
      dueAt: t.expose('dueAt', { type: 'DateTime', description: 'One month after submission (GDPR art. 12(3)), or the extended date.' }),
      verifiedAt: t.expose('verifiedAt', { type: 'DateTime', nullable: true }),
      verificationMethod: t.field({ type: Method, nullable: true, resolve: (r) => r.verificationMethod }),
      completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
      extensionReason: t.exposeString('extensionReason', { nullable: true }),
      rejectionReason: t.exposeString('rejectionReason', { nullable: true }),
      export: t.field({
        type: DataExport,
        nullable: true,
        description: 'ACCESS and PORTABILITY: the export produced for this request.',
        resolve: (r, _a, ctx) => (r.exportId ? ctx.app.prisma.dataExport.findUnique({ where: { id: r.exportId } }) : null),
      }),
    }),
  });

  builder.prismaObjectField('Account', 'dataSubjectRequests', (t) =>
    t.relation('dataSubjectRequests', { query: { orderBy: { submittedAt: 'desc' } } }),
  );

  const SubmitInput = builder.inputType('SubmitDataSubjectRequestInput', {
    fields: (t) => ({
      kind: t.field({ type: Kind, required: true }),
      details: t.string(),
      accountId: t.globalID({ description: 'Staff only: a request received in writing for this account.' }),
      verificationMethod: t.field({ type: Method }),
    }),
  });

  const DeviceIdentifierInput = builder.inputType('DeviceIdentifierInput', {
    fields: (t) => ({
      deviceId: t.globalID({ required: true }),
      identifier: t.string({ description: 'The corrected IMEI or serial number; empty clears it.' }),
    }),
  });

  const RectificationInput = builder.inputType('RectificationInput', {
    description: "RECTIFICATION: the corrected data, checked like the person's own profile edit.",
    fields: (t) => ({
      ...profileInputFields(t, refs),
      email: t.string({ description: 'The corrected e-mail: a confirmation link goes to it; the address changes when it is used.' }),
      deviceIdentifiers: t.field({ type: [DeviceIdentifierInput], description: "Corrected identifiers of the person's devices." }),
    }),
  });

  builder.queryFields((t) => ({
    exportMyData: t.field({
      type: DataExport,
      description: "Export of the viewer's own data; counts as a copy.",
      args: { format: t.arg({ type: Format, defaultValue: 'JSON' }) },
      resolve: (_r, args, ctx) => exportData(ctx.app, viewerId(ctx), args.format ?? 'JSON', actorOf(ctx.viewer)),
    }),
    dataSubjectRequests: t.prismaField({
      type: ['DataSubjectRequest'],
      description: 'DPO and SUPPORT.',
      args: { status: t.arg({ type: Status }) },
      resolve: (query, _r, args, ctx) =>
        ctx.app.prisma.dataSubjectRequest.findMany({
          ...query,
          where: args.status ? { status: args.status } : {},
          orderBy: { dueAt: 'asc' },
        }),
    }),
  }));

  builder.mutationFields((t) => ({
    submitDataSubjectRequest: t.prismaField({
      type: 'DataSubjectRequest',
      args: { input: t.arg({ type: SubmitInput, required: true }) },
      resolve: (_q, _r, { input }, ctx) =>
        submitRequest(ctx.app, viewerId(ctx), actorOf(ctx.viewer), {
          kind: input.kind,
          details: input.details,
          accountId: input.accountId ? idOf(input.accountId, 'Account') || '-' : null,
          verificationMethod: input.verificationMethod,
        }),
    }),
    verifyDataSubjectRequest: t.prismaField({
      type: 'DataSubjectRequest',
      args: { id: t.arg.globalID({ required: true }), method: t.arg({ type: Method, required: true }) },
      resolve: (_q, _r, args, ctx) => verifyRequest(ctx.app, idOf(args.id, 'DataSubjectRequest'), args.method, actorOf(ctx.viewer)),
    }),
    completeDataSubjectRequest: t.prismaField({
      type: 'DataSubjectRequest',
      description: 'DPO and SUPPORT; carries out the request (export, erasure, restriction...).',
      args: {
        id: t.arg.globalID({ required: true }),
        rectification: t.arg({ type: RectificationInput, description: 'RECTIFICATION only: the corrected data.' }),
      },
      resolve: (_q, _r, args, ctx) => {
        const rect = args.rectification;
        return completeRequest(
          ctx.app,
          idOf(args.id, 'DataSubjectRequest'),
          actorOf(ctx.viewer),
          rect && {
            ...rect,
            deviceIdentifiers: rect.deviceIdentifiers?.map((d) => ({
              deviceId: idOf(d.deviceId, 'Device') || '-',
              identifier: d.identifier,
            })),
          },
        );
      },
    }),
    liftRestriction: t.boolean({
      description:
        'DPO: ends a restriction of processing (GDPR art. 18(3)). The person is told by mail first (if it cannot be sent nothing\n' +
        'changes); the lift and its reason are audited.',
      args: { accountId: t.arg.globalID({ required: true }), reason: t.arg.string({ required: true }) },
      resolve: (_r, args, ctx) => liftRestriction(ctx.app, idOf(args.accountId, 'Account'), args.reason, actorOf(ctx.viewer)),
    }),
    rejectDataSubjectRequest: t.prismaField({
      type: 'DataSubjectRequest',
      args: { id: t.arg.globalID({ required: true }), reason: t.arg.string({ required: true }) },
      resolve: (_q, _r, args, ctx) => rejectRequest(ctx.app, idOf(args.id, 'DataSubjectRequest'), args.reason, actorOf(ctx.viewer)),
    }),
    extendDataSubjectRequest: t.prismaField({
      type: 'DataSubjectRequest',
      description: 'DPO: extend dueAt by up to two months, within the first month.',
      args: {
        id: t.arg.globalID({ required: true }),
        reason: t.arg.string({ required: true }),
        until: t.arg({ type: 'DateTime', required: true }),
      },
      resolve: (_q, _r, args, ctx) =>
        extendRequest(ctx.app, idOf(args.id, 'DataSubjectRequest'), args.reason, args.until, actorOf(ctx.viewer)),
    }),
    deleteMyAccount: t.boolean({
      description: "Immediate erasure of the viewer's own account, devices and history.",
      args: { password: t.arg.string({ required: true }) },
      resolve: async (_r, args, ctx) => (await deleteOwnAccount(ctx, args.password)).deleted,
    }),
    deleteMyAccountWithNotice: t.field({
      type: AccountDeletionResult,
      description: 'deleteMyAccount that also tells what is kept after the deletion (e.g. invoices for tax law), why and until when.',
      args: { password: t.arg.string({ required: true }) },
      resolve: (_r, args, ctx) => deleteOwnAccount(ctx, args.password),
    }),
  }));
}
