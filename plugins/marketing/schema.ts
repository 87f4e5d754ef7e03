/** GraphQL types of the marketing plugin: preferences on Account, opt-outs, unsubscribe, audiences. */
import { MarketingChannel as MarketingChannelEnum, OptOutVia as OptOutViaEnum } from '../../generated/prisma/enums';
import { encodeGlobalID, resolveCursorConnection } from '@pothos/plugin-relay';
import * as marketing from './service';
import { audiencePage, CONTACT_COLUMN, type AudienceRow } from './eligibility';
import { badInput, type Builder, type CoreRefs } from '../../schema/plugin-api';

const MAX_PAGE = 500;
const DEFAULT_PAGE = 100;
const cursorOf = (id: string) => Buffer.from(`recipient:${id}`).toString('base64url');
function idOfCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString();
  if (!text.startsWith('recipient:')) throw badInput('after', 'Not a cursor of this list.');
  return text.slice('recipient:'.length);
}

export function addMarketingSchema(builder: Builder, refs: CoreRefs) {
  const MarketingChannel = builder.enumType(MarketingChannelEnum, { name: 'MarketingChannel' });
  const MarketingScope = builder.enumType('MarketingScope', {
    values: {
      SIMILAR_PRODUCTS: { description: 'Notices about goods and services similar to those bought (allowed unless the customer objected).' },
      OTHER: { description: 'Any other commercial notice (only with consent).' },
      ALL: {},
    } as const,
  });
  const OptOutVia = builder.enumType(OptOutViaEnum, { name: 'OptOutVia' });

  const MarketingOptOut = builder.objectRef<marketing.OptOutRow>('MarketingOptOut').implement({
    fields: (t) => ({
      id: t.id({ resolve: (o) => encodeGlobalID('MarketingOptOut', o.id) }),
      scope: t.field({ type: MarketingScope, resolve: (o) => o.scope }),
      channel: t.field({ type: MarketingChannel, nullable: true, description: 'Null = every channel.', resolve: (o) => o.channel }),
      via: t.field({ type: OptOutVia, resolve: (o) => o.via }),
      receivedAt: t.expose('receivedAt', { type: 'DateTime' }),
      effectiveAt: t.expose('effectiveAt', {
        type: 'DateTime',
        description: 'When sending stopped; never later than 3 business days after receivedAt (here: at once).',
      }),
      recordedBy: t.field({
        type: refs.AccountSummary,
        nullable: true,
        description: 'Staff member who entered a request received by e-mail, phone or at the office.',
        resolve: (o, _a, ctx) =>
          o.recordedById
            ? ctx.app.prisma.account.findUnique({ where: { id: o.recordedById }, select: { id: true, givenName: true, familyName: true } })
            : null,
      }),
    }),
  });

  const MarketingPreferences = builder.objectRef<marketing.MarketingPreferences>('MarketingPreferences').implement({
    fields: (t) => ({
      similarProducts: t.exposeBoolean('similarProducts', { description: 'May receive notices about similar products on some channel.' }),
      otherNotices: t.exposeBoolean('otherNotices', { description: 'Has consented to other commercial notices on some channel.' }),
      channels: t.field({
        type: [MarketingChannel],
        description: 'Channels on which some notice may be sent now.',
        resolve: (p) => p.channels,
      }),
      optOuts: t.field({ type: [MarketingOptOut], description: 'Every opt-out, newest first.', resolve: (p) => p.optOuts }),
    }),
  });

  const OptOutInput = builder.inputType('OptOutInput', {
    fields: (t) => ({
      scope: t.field({ type: MarketingScope, required: true }),
      channel: t.field({ type: MarketingChannel }),
      via: t.field({ type: OptOutVia, defaultValue: 'ACCOUNT' }),
      accountId: t.id({ description: 'Staff only: record an opt-out received by phone, email or at the office.' }),
    }),
  });

  const UnsubscribeResult = builder.objectRef<marketing.UnsubscribeResult>('UnsubscribeResult').implement({
    fields: (t) => ({
      ok: t.exposeBoolean('ok', { description: 'True also when the link was already used (idempotent).' }),
      scope: t.field({ type: MarketingScope, resolve: (r) => r.scope }),
      channel: t.field({ type: MarketingChannel, nullable: true, resolve: (r) => r.channel }),
    }),
  });

  type Recipient = AudienceRow & { unsubscribeUrl: string; channel: keyof typeof CONTACT_COLUMN };
  const MarketingRecipient = builder.objectRef<Recipient>('MarketingRecipient').implement({
    description: 'One person who may receive the notice now; only the contact detail the channel needs is filled in.',
    fields: (t) => ({
      account: t.field({ type: refs.AccountSummary, resolve: (r) => r }),
      email: t.string({ nullable: true, resolve: (r) => (r.channel === 'EMAIL' ? r.email : null) }),
      phone: t.string({ nullable: true, resolve: (r) => (CONTACT_COLUMN[r.channel] === 'phone' ? r.phone : null) }),
      address: t.string({
        nullable: true,
        description: 'Postal address (POST only).',
        resolve: (r) => (r.channel === 'POST' ? r.address : null),
      }),
      unsubscribeUrl: t.exposeString('unsubscribeUrl', { description: 'Signed link for the one-click opt-out at the end of the notice.' }),
    }),
  });

  builder.prismaObjectField('Account', 'marketing', (t) =>
    t.field({
      type: MarketingPreferences,
      description: 'Which commercial notices this account may receive, and its opt-outs.',
      resolve: (account, _a, ctx) => marketing.preferences(ctx.app, account.id),
    }),
  );

  builder.queryField('marketingAudience', (t) =>
    t.connection(
      {
        type: MarketingRecipient,
        description:
          'MARKETING role: who may receive this scope on this channel now (honours consents, opt-outs, restriction and objection), with a fresh unsubscribe link each.',
        args: { scope: t.arg({ type: MarketingScope, required: true }), channel: t.arg({ type: MarketingChannel, required: true }) },
        resolve: async (_r, args, ctx) => {
          if (args.last != null || args.before != null) throw badInput('last', 'This list pages forward only (first/after).');
          const first = args.first ?? DEFAULT_PAGE;
          if (first < 0 || first > MAX_PAGE) throw badInput('first', `first must be from 0 to ${MAX_PAGE}.`);
          let totalCount = 0;
          const connection = await resolveCursorConnection<Promise<Recipient[]>>(
            { args, toCursor: (recipient) => cursorOf(recipient.id), defaultSize: DEFAULT_PAGE, maxSize: MAX_PAGE },
            async ({ after, limit }) => {
              const { rows, total } = await audiencePage(ctx.app, args.scope, args.channel, {
                afterId: after ? idOfCursor(after) : null,
                limit,
              });
              totalCount = total;
              // The last row of a full read only tells whether there is a next page: it is not shown, signed or logged.
              const shown = rows.slice(0, limit - 1);
              for (const row of shown) {
                await ctx.app.events.emit(
                  'data.accessed',
                  { subjectAccountId: row.id, action: 'marketing.audience', details: { scope: args.scope, channel: args.channel } },
                  { actor: { kind: 'STAFF', accountId: ctx.viewer.kind === 'account' ? ctx.viewer.accountId : null } },
                );
              }
              return Promise.all(
                shown.map(async (row) => ({
                  ...row,
                  channel: args.channel,
                  unsubscribeUrl: await marketing.unsubscribeUrl(ctx.app, row.id, args.scope, args.channel),
                })),
              ).then((nodes) =>
                rows.length === limit ? [...nodes, { ...rows[limit - 1], channel: args.channel, unsubscribeUrl: '' }] : nodes,
              );
            },
          );
          return { ...connection, totalCount };
        },
      },
      {
        name: 'MarketingRecipientConnection',
        fields: (c) => ({ totalCount: c.int({ resolve: (conn) => (conn as unknown as { totalCount: number }).totalCount }) }),
      },
      { name: 'MarketingRecipientEdge' },
    ),
  );

  builder.mutationFields((t) => ({
    optOutOfMarketing: t.field({
      type: MarketingPreferences,
      description:
        'Stops commercial notices at once. Customers use via ACCOUNT; SUPPORT staff enter a request received by e-mail, phone or at the office with accountId.',
      args: { input: t.arg({ type: OptOutInput, required: true }) },
      resolve: (_r, { input }, ctx) => marketing.optOut(ctx.app, ctx.viewer, input),
    }),
    unsubscribe: t.field({
      type: UnsubscribeResult,
      description: 'Public: the signed link from a commercial notice.',
      args: { token: t.arg.string({ required: true }) },
      resolve: (_r, args, ctx) => marketing.unsubscribe(ctx.app, args.token),
    }),
  }));
}
