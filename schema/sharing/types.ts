/**
 * Sharing: grants to other accounts, share links for people without one, and
 * what a share link shows. Who may read or call what is in
 * api/permissions/rules/sharing.ts; resolvers here only fetch and change data.
 */
import { SharingScope as SharingScopeEnum } from '../../generated/prisma/enums';
import type { Builder } from '../builder';
import type { CoreRefs } from '../core-refs';
import { grantStatus, grantNotOver, shareLinkStatus } from '../../api/sharing/status';
import * as grants from '../../api/sharing/grants';
import * as links from '../../api/sharing/share-links';
import { rawId } from '../../api/global-ids';
import { notFound } from '../../api/errors';
import { sharedRecentTrack } from '../../api/sharing/shared-track';
import type { ObjectRef } from '@pothos/core';
import type { TrackResult } from '../../api/locations/track';
import { markGrantDevice } from '../../api/permissions/grant-device';

/** What a share link shows of a point: no ids, no battery, nothing about the owner. */
export interface SharedPointShape {
  recordedAt: Date;
  /** When the server stored it (live and replayed points; resume with `since`). */
  receivedAt?: Date | null;
  latitude: number;
  longitude: number;
  accuracy: number | null;
  speed: number | null;
  heading: number | null;
}

export interface SharedLocationShape {
  deviceId: string;
  deviceName: string;
  expiresAt: Date;
  scope: 'LIVE' | 'HISTORY';
  historyFrom: Date | null;
  lastLocation: SharedPointShape | null;
}

export const toSharedPoint = (p: SharedPointShape): SharedPointShape => ({
  recordedAt: p.recordedAt,
  receivedAt: p.receivedAt ?? null,
  latitude: p.latitude,
  longitude: p.longitude,
  accuracy: p.accuracy,
  speed: p.speed,
  heading: p.heading,
});

const accountSummarySelect = { select: { id: true, givenName: true, familyName: true } } as const;

/** The Track type is implemented in ./locations.ts; a field may name it, and Pothos resolves the name when building. */
type BuilderTypes<B> = B extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
const Track = 'Track' as unknown as ObjectRef<BuilderTypes<Builder>, TrackResult>;
/** The Device type (schema/devices/types.ts), by name, for a field that marks what it returns. */
const DeviceRef = 'Device' as unknown as ObjectRef<BuilderTypes<Builder>, { id: string }>;

export function addSharingTypes(builder: Builder, refs: CoreRefs) {
  const SharingScope = builder.enumType(SharingScopeEnum, { name: 'SharingScope' });
  const SharingGrantStatus = builder.enumType('SharingGrantStatus', {
    values: {
      PENDING: { description: 'Invitee has no account yet; becomes ACTIVE when that email registers.' },
      SCHEDULED: { description: 'startsAt is in the future.' },
      ACTIVE: {},
      EXPIRED: {},
      REVOKED: {},
    } as const,
  });

  builder.prismaNode('SharingGrant', {
    id: { field: 'id' },
    fields: (t) => ({
      // Marked so both parties still see which device an ended grant was for (id and name only, see grant-device.ts).
      device: t.field({ type: DeviceRef, select: { device: true }, resolve: (g) => markGrantDevice(g.device) }),
      owner: t.field({ type: refs.AccountSummary, select: { owner: accountSummarySelect }, resolve: (g) => g.owner }),
      grantee: t.field({
        type: refs.AccountSummary,
        nullable: true,
        select: { grantee: accountSummarySelect },
        resolve: (g) => g.grantee,
      }),
      inviteeEmail: t.exposeString('inviteeEmail', { nullable: true, description: 'Owner only.' }),
      scope: t.field({ type: SharingScope, resolve: (g) => g.scope }),
      historyFrom: t.expose('historyFrom', {
        type: 'DateTime',
        nullable: true,
        description: 'HISTORY scope: earliest recordedAt the grantee may see.',
      }),
      startsAt: t.expose('startsAt', { type: 'DateTime' }),
      expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
      revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      status: t.field({ type: SharingGrantStatus, resolve: (g) => grantStatus(g) }),
    }),
  });

  builder.prismaNode('ShareLink', {
    id: { field: 'id' },
    description:
      "A link that shows a device's live position to anyone who has it, without an\naccount (for a courier, a family member, a friend meeting you). It always\nexpires; the owner can revoke it at any time.",
    fields: (t) => ({
      device: t.relation('device'),
      url: t.string({
        nullable: true,
        description: 'Owner only, and only in the createShareLink answer; null afterwards.',
        // Only the object createShareLink returns carries the url; the token is not stored.
        resolve: (l) => (l as { url?: string }).url ?? null,
      }),
      scope: t.field({ type: SharingScope, resolve: (l) => l.scope }),
      historyFrom: t.expose('historyFrom', { type: 'DateTime', nullable: true }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      expiresAt: t.expose('expiresAt', { type: 'DateTime', description: 'At most 30 days after createdAt.' }),
      revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
      status: t.field({ type: SharingGrantStatus, resolve: (l) => shareLinkStatus(l) }),
      views: t.exposeInt('views', { description: 'How many times the link was opened.' }),
    }),
  });

  const SharedPoint = builder.objectRef<SharedPointShape>('SharedPoint').implement({
    description: 'A position as a share link shows it: no ids, no battery, nothing about the owner.',
    fields: (t) => ({
      recordedAt: t.expose('recordedAt', { type: 'DateTime' }),
      receivedAt: t.expose('receivedAt', {
        type: 'DateTime',
        nullable: true,
        description: 'When the server stored it (set on live points: pass it as `since` to resume).',
      }),
      latitude: t.exposeFloat('latitude'),
      longitude: t.exposeFloat('longitude'),
      accuracy: t.exposeFloat('accuracy', { nullable: true }),
      speed: t.exposeFloat('speed', { nullable: true }),
      heading: t.exposeFloat('heading', { nullable: true }),
    }),
  });

  const SharedLocation = builder.objectRef<SharedLocationShape>('SharedLocation').implement({
    description: 'What a share link shows: the device name and its position.',
    fields: (t) => ({
      deviceName: t.exposeString('deviceName'),
      expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
      lastLocation: t.field({ type: SharedPoint, nullable: true, resolve: (s) => s.lastLocation }),
      recentTrack: t.field({
        type: Track,
        nullable: true,
        description: 'HISTORY links only: points since historyFrom, oldest first, at most 5000.',
        resolve: (s, _a, ctx) => sharedRecentTrack(ctx.app, s),
      }),
    }),
  });

  builder.prismaObjectFields('Device', (t) => ({
    sharingGrants: t.relation('grants', {
      description: 'Grants on this device; owner only (empty for others).',
      args: { includeInactive: t.arg.boolean({ defaultValue: false }) },
      query: (args) => ({ where: args.includeInactive ? {} : grantNotOver(), orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    }),
    shareLinks: t.relation('shareLinks', {
      description: 'Share links of this device; owner only (empty for others).',
      args: { includeInactive: t.arg.boolean({ defaultValue: false }) },
      query: (args) => ({
        where: args.includeInactive ? {} : { revokedAt: null, expiresAt: { gt: new Date() } },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
    }),
  }));

  const GrantSharingInput = builder.inputType('GrantSharingInput', {
    fields: (t) => ({
      deviceId: t.id({ required: true }),
      granteeEmail: t.string({ required: true }),
      scope: t.field({ type: SharingScope, required: true }),
      startsAt: t.field({ type: 'DateTime' }),
      expiresAt: t.field({ type: 'DateTime' }),
      historyFrom: t.field({ type: 'DateTime' }),
    }),
  });
  const CreateShareLinkInput = builder.inputType('CreateShareLinkInput', {
    fields: (t) => ({
      deviceId: t.id({ required: true }),
      expiresAt: t.field({ type: 'DateTime', required: true }),
      scope: t.field({ type: SharingScope, defaultValue: 'LIVE' }),
      historyFrom: t.field({ type: 'DateTime' }),
    }),
  });

  builder.queryFields((t) => ({
    receivedSharingGrants: t.prismaField({
      type: ['SharingGrant'],
      description: 'Grants the viewer has received (active, scheduled and pending by default).',
      args: { includeInactive: t.arg.boolean({ defaultValue: false }) },
      resolve: (query, _r, args, ctx) =>
        ctx.viewer.kind !== 'account'
          ? []
          : ctx.app.prisma.sharingGrant.findMany({
              ...query,
              where: { granteeId: ctx.viewer.accountId, ...(args.includeInactive ? {} : grantNotOver()) },
              orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
            }),
    }),
    sharedLocation: t.field({
      type: SharedLocation,
      description: 'Public: what a share link shows; NOT_FOUND once expired or revoked.',
      args: { token: t.arg.string({ required: true }) },
      resolve: async (_r, args, ctx) => {
        const link = await links.openShareLink(ctx.app, args.token);
        return {
          deviceId: link.deviceId,
          deviceName: link.device.name,
          expiresAt: link.expiresAt,
          scope: link.scope,
          historyFrom: link.historyFrom,
          lastLocation: link.device.lastLocation ? toSharedPoint(link.device.lastLocation) : null,
        };
      },
    }),
  }));

  builder.mutationFields((t) => ({
    grantSharing: t.prismaField({
      type: 'SharingGrant',
      args: { input: t.arg({ type: GrantSharingInput, required: true }) },
      resolve: async (query, _r, { input }, ctx) => {
        const deviceId = rawId(input.deviceId, 'Device');
        if (!deviceId) throw notFound('Device');
        const g = await grants.grantSharing(ctx.app, ctx.viewer, { ...input, deviceId });
        return ctx.app.prisma.sharingGrant.findUniqueOrThrow({ ...query, where: { id: g.id } });
      },
    }),
    revokeSharing: t.prismaField({
      type: 'SharingGrant',
      description: 'Owner revokes, or grantee leaves.',
      args: { grantId: t.arg.id({ required: true }) },
      resolve: async (query, _r, args, ctx) => {
        const id = rawId(args.grantId, 'SharingGrant');
        if (!id) throw notFound('Sharing grant');
        await grants.revokeSharing(ctx.app, ctx.viewer, id);
        return ctx.app.prisma.sharingGrant.findUniqueOrThrow({ ...query, where: { id } });
      },
    }),
    createShareLink: t.prismaField({
      type: 'ShareLink',
      args: { input: t.arg({ type: CreateShareLinkInput, required: true }) },
      resolve: async (query, _r, { input }, ctx) => {
        const deviceId = rawId(input.deviceId, 'Device');
        if (!deviceId) throw notFound('Device');
        const { url, id } = await links.createShareLink(ctx.app, { ...input, deviceId });
        const link = await ctx.app.prisma.shareLink.findUniqueOrThrow({ ...query, where: { id } });
        return Object.assign(link, { url });
      },
    }),
    revokeShareLink: t.prismaField({
      type: 'ShareLink',
      args: { id: t.arg.id({ required: true }) },
      resolve: async (query, _r, args, ctx) => {
        const id = rawId(args.id, 'ShareLink');
        if (!id) throw notFound('Share link');
        await links.revokeShareLink(ctx.app, id);
        return ctx.app.prisma.shareLink.findUniqueOrThrow({ ...query, where: { id } });
      },
    }),
  }));

  return { SharingScope, SharingGrantStatus, SharedPoint, SharedLocation };
}
