/** GraphQL of disclosures to other controllers: recordDisclosure and disclosures(accountId) for the DPO, myDisclosures for the person. */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { recordDisclosure, visibleToSubject } from './disclosures';
import { type Builder, type CoreRefs, requireAccount } from '../../schema/plugin-api';

export function addDisclosureSchema(builder: Builder, refs: CoreRefs) {
  const Disclosure = builder.prismaObject('Disclosure', {
    description: 'Personal data given to another controller (law enforcement, a bank, another lawful requester).',
    fields: (t) => ({
      id: t.id({ resolve: (d) => encodeGlobalID('Disclosure', d.id) }),
      recipientCategory: t.field({ type: refs.RecipientCategory, resolve: (d) => d.recipientCategory }),
      recipientName: t.exposeString('recipientName'),
      legalBasis: t.exposeString('legalBasis', { description: 'The law or request that required or allowed the disclosure.' }),
      requestReference: t.exposeString('requestReference'),
      dataCategories: t.exposeStringList('dataCategories'),
      disclosedAt: t.expose('disclosedAt', { type: 'DateTime' }),
      confidentialUntil: t.expose('confidentialUntil', {
        type: 'DateTime',
        nullable: true,
        description: 'Until then the person is not shown the disclosure.',
      }),
      recordedAt: t.expose('recordedAt', { type: 'DateTime' }),
      accessCase: t.prismaField({
        type: 'AccessCase',
        nullable: true,
        description: 'DPO only: the access case it was recorded under.',
        resolve: (query, d, _a, ctx) => ctx.app.prisma.accessCase.findUnique({ ...query, where: { id: d.accessCaseId } }),
      }),
    }),
  });

  const RecordDisclosureInput = builder.inputType('RecordDisclosureInput', {
    fields: (t) => ({
      accountId: t.id({ required: true }),
      recipientCategory: t.field({ type: refs.RecipientCategory, required: true }),
      recipientName: t.string({ required: true }),
      legalBasis: t.string({ required: true }),
      requestReference: t.string({ required: true }),
      dataCategories: t.stringList({ required: true }),
      disclosedAt: t.field({ type: 'DateTime', required: true }),
      confidentialUntil: t.field({ type: 'DateTime' }),
    }),
  });

  builder.mutationField('recordDisclosure', (t) =>
    t.field({
      type: Disclosure,
      description: 'DPO: records a disclosure to another controller, under an open access case for the account (audited).',
      args: { input: t.arg({ type: RecordDisclosureInput, required: true }) },
      resolve: (_r, { input }, ctx) => recordDisclosure(ctx, input),
    }),
  );

  builder.queryFields((t) => ({
    disclosures: t.field({
      type: [Disclosure],
      description: "DPO: every disclosure of an account's data, newest first.",
      args: { accountId: t.arg.globalID({ required: true }) },
      resolve: (_r, args, ctx) =>
        args.accountId.typename !== 'Account'
          ? []
          : ctx.app.prisma.disclosure.findMany({
              where: { accountId: args.accountId.id },
              orderBy: [{ disclosedAt: 'desc' }, { id: 'desc' }],
            }),
    }),
    myDisclosures: t.field({
      type: [Disclosure],
      description: "Disclosures of the viewer's data to other controllers, newest first, once their confidentiality period has passed.",
      resolve: (_r, _a, ctx) =>
        ctx.app.prisma.disclosure.findMany({
          where: visibleToSubject(requireAccount(ctx.viewer).accountId),
          orderBy: [{ disclosedAt: 'desc' }, { id: 'desc' }],
        }),
    }),
  }));
  return { Disclosure };
}
