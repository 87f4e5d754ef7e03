/**
 * Policy documents with their text (publishPolicyDocument, ADMIN) and the
 * person's acknowledgement of the policy in force (Account.policyAcknowledgement,
 * acknowledgePolicy), recorded in the consent ledger.
 */
import type { Builder } from '../builder';
import type { CoreRefs } from '../core-refs';
import type { PolicyKind as PolicyKindValue } from '../../generated/prisma/enums';
import { publishPolicyDocument } from '../../api/consent/policy-documents';
import * as acks from '../../api/consent/acknowledgements';
import { requireAccount } from '../../api/context';
import { currentPolicyDocument } from '../../api/consent/consent-service';

export function addPolicyTypes(builder: Builder, refs: CoreRefs) {
  const PolicyKind = refs.PolicyKind;
  const PublishPolicyDocumentInput = builder.inputType('PublishPolicyDocumentInput', {
    fields: (t) => ({
      kind: t.field({ type: PolicyKind, required: true }),
      version: t.string({ required: true, description: 'e.g. 2026-01-15; a published version never changes.' }),
      locale: t.field({ type: refs.Locale, required: true }),
      text: t.string({ required: true, description: 'The document in Markdown.' }),
      effectiveAt: t.field({ type: 'DateTime', description: 'When it takes effect (default: now). All locales of a version share it.' }),
    }),
  });

  const PolicyAcknowledgement = builder.objectRef<acks.PolicyAcknowledgement>('PolicyAcknowledgement').implement({
    description: 'Which version of a policy the person last accepted, and whether a newer one is in effect.',
    fields: (t) => ({
      kind: t.field({ type: PolicyKind, resolve: (a) => a.kind }),
      version: t.exposeString('version', { nullable: true, description: 'Last accepted version; null if never.' }),
      acknowledgedAt: t.expose('acknowledgedAt', { type: 'DateTime', nullable: true }),
      currentVersion: t.exposeString('currentVersion', { nullable: true, description: 'The version in effect now.' }),
      needsReview: t.exposeBoolean('needsReview', {
        description: 'A newer version than the accepted one is in effect: show it and ask again.',
      }),
    }),
  });

  builder.mutationFields((t) => ({
    publishPolicyDocument: t.prismaField({
      type: 'PolicyDocument',
      description: 'ADMIN: publishes the text of a policy version in one locale (same text again: no change; another text: CONFLICT).',
      args: { input: t.arg({ type: PublishPolicyDocumentInput, required: true }) },
      resolve: async (query, _r, { input }, ctx) => {
        const doc = await publishPolicyDocument(ctx.app.prisma, input, { publishedById: requireAccount(ctx.viewer).accountId });
        return ctx.app.prisma.policyDocument.findUniqueOrThrow({ ...query, where: { id: doc.id } });
      },
    }),
    acknowledgePolicy: t.field({
      type: PolicyAcknowledgement,
      description: 'Records in the consent ledger that the viewer accepted this version of the policy.',
      args: { kind: t.arg({ type: PolicyKind, required: true }), version: t.arg.string({ required: true }) },
      resolve: (_r, args, ctx) => acks.acknowledgePolicy(ctx.app, ctx.viewer, args.kind, args.version),
    }),
  }));

  builder.prismaObjectField('Account', 'policyAcknowledgement', (t) =>
    t.field({
      type: PolicyAcknowledgement,
      args: { kind: t.arg({ type: PolicyKind, required: true }) },
      resolve: async (account, args, ctx) => {
        const kind = args.kind as PolicyKindValue;
        const last = await ctx
          .loader<string, { version: string; at: Date } | null>(`consent.acknowledgement:${kind}`, async (ids) => {
            const byAccount = await acks.latestAcknowledgements(ctx.app, ids, kind);
            return ids.map((id) => byAccount.get(id) ?? null);
          })
          .load(account.id);
        const memoKey = `consent.currentPolicy:${kind}`;
        if (!ctx.memo.has(memoKey)) ctx.memo.set(memoKey, currentPolicyDocument(ctx.app.prisma, kind, 'EN'));
        const current = (await ctx.memo.get(memoKey)) as Awaited<ReturnType<typeof currentPolicyDocument>>;
        return acks.acknowledgementState(ctx.app, kind, last ?? undefined, current);
      },
    }),
  );
  return { PolicyAcknowledgement };
}
