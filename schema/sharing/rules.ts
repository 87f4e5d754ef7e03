/**
 * Rules for sharing: grants, share links, what a link shows, and the live
 * subscriptions. The owner of a device decides who else sees it; an object
 * the viewer may not see is NOT_FOUND (its existence is not revealed).
 */
import { allow, chain, defineRule, isAccount, isAuthenticated, type RuleMap } from '../permissions/kit';
import { forbidden, notFound, unauthenticated } from '../../api/errors';
import { redactUnless } from '../permissions/redaction';
import { ownsDeviceInput, viewerOwnsDevice } from '../devices/rules';
import { rawId } from '../../api/global-ids';

type GrantParties = { ownerId: string; granteeId: string | null };

const viewerAccountId = (ctx: { viewer: { kind: string; accountId?: string } }) =>
  ctx.viewer.kind === 'account' ? (ctx.viewer.accountId ?? null) : null;

/** A grant is visible to its owner and its grantee only. */
export const canSeeGrant = defineRule<GrantParties>('canSeeGrant', (grant, _a, ctx) => {
  const me = viewerAccountId(ctx);
  return (!!me && (grant.ownerId === me || grant.granteeId === me)) || notFound('Sharing grant');
});

const viewerOwnsGrant = (grant: GrantParties, _a: unknown, ctx: Parameters<typeof viewerAccountId>[0]) =>
  viewerAccountId(ctx) === grant.ownerId;

/** Share links are the owner's business only. */
export const canManageShareLink = defineRule<{ ownerId: string }>(
  'canManageShareLink',
  (link, _a, ctx) => viewerAccountId(ctx) === link.ownerId || notFound('Share link'),
);

/** Sharing is done by accounts: UNAUTHENTICATED when anonymous, FORBIDDEN for device tokens (as for other device mutations). */
export const isSharingAccount = defineRule(
  'isSharingAccount',
  (_p, _a, ctx) =>
    ctx.viewer.kind === 'account' ||
    (ctx.viewer.kind === 'anonymous' ? unauthenticated() : forbidden('A device token may only record locations.')),
  'contextual',
);

/** GDPR art. 18: while processing is restricted, the account's data is not shared with anyone new. */
export const mayShareWithOthers = defineRule(
  'mayShareWithOthers',
  (_p, _a, ctx) =>
    ctx.viewer.kind !== 'account' ||
    ctx.viewer.status !== 'RESTRICTED' ||
    forbidden('Processing of your data is restricted (GDPR art. 18): sharing with others is not possible while the restriction lasts.'),
  'contextual',
);

/** revokeSharing: the grant's owner (revoke) or grantee (leave). */
export const isPartyOfArgGrant = defineRule<unknown, { grantId: unknown }>('isPartyOfArgGrant', async (_p, args, ctx) => {
  const id = rawId(args.grantId, 'SharingGrant');
  const me = viewerAccountId(ctx);
  const grant =
    id && me ? await ctx.app.prisma.sharingGrant.findUnique({ where: { id }, select: { ownerId: true, granteeId: true } }) : null;
  return (!!grant && (grant.ownerId === me || grant.granteeId === me)) || notFound('Sharing grant');
});

/** revokeShareLink: the link's owner. */
export const ownsArgShareLink = defineRule<unknown, { id: unknown }>('ownsArgShareLink', async (_p, args, ctx) => {
  const id = rawId(args.id, 'ShareLink');
  const me = viewerAccountId(ctx);
  const link = id && me ? await ctx.app.prisma.shareLink.findUnique({ where: { id }, select: { ownerId: true } }) : null;
  return (!!link && link.ownerId === me) || notFound('Share link');
});

export const sharingRules: RuleMap = {
  Query: {
    receivedSharingGrants: isAccount,
    // Public: the token is the credential; an invalid one is NOT_FOUND (in the resolver's lookup).
    sharedLocation: allow,
  },
  Mutation: {
    // ownsDeviceInput (rules/devices.ts): NOT_FOUND unless the viewer owns input.deviceId.
    grantSharing: chain(ownsDeviceInput, mayShareWithOthers),
    createShareLink: chain(ownsDeviceInput, mayShareWithOthers),
    revokeSharing: chain(isSharingAccount, isPartyOfArgGrant),
    revokeShareLink: chain(isSharingAccount, ownsArgShareLink),
  },
  // Subscribe functions check access themselves (shield does not run there); these guard each event's resolve.
  Subscription: {
    locationUpdated: isAuthenticated,
    sharingGrantChanged: isAccount,
    sharedLocationUpdated: allow,
  },
  Device: {
    sharingGrants: redactUnless('Device.sharingGrants', viewerOwnsDevice, []),
    shareLinks: redactUnless('Device.shareLinks', viewerOwnsDevice, []),
  },
  SharingGrant: {
    '*': canSeeGrant,
    inviteeEmail: redactUnless('SharingGrant.inviteeEmail', viewerOwnsGrant, null),
  },
  ShareLink: canManageShareLink,
  // Reachable only through a valid token.
  SharedLocation: allow,
  SharedPoint: allow,
};
