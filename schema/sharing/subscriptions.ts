/**
 * Live subscriptions (graphql-ws on /graphql, and SSE through Yoga).
 * graphql-shield does not guard `subscribe`, so the streams in
 * api/sharing/live.ts check access when subscribing and again whenever it may
 * have changed (wake-ups, expiry timers), with the same deviceAccess decision
 * the rules use. Each event's `resolve` does run through shield (rules in
 * schema/devices/rules.ts), with the request's caches primed with the
 * stream's decision, so a delivery sends no SQL for the point's fields.
 * A stream whose access ended yields an `ended` item: resolving it throws the
 * FORBIDDEN error, and the stream then completes.
 */
import type { Builder } from '../builder';
import type { LiveItem } from '../../api/sharing/live-stream';
import {
  locationUpdatedStream,
  sharedLocationUpdatedStream,
  sharingGrantChangedStream,
  type LivePointDelivery,
} from '../../api/sharing/live';
import { rawId } from '../../api/global-ids';
import { notFound } from '../../api/errors';
import { primeLiveDelivery } from '../../api/permissions/live-delivery';
import { toSharedPoint, type SharedPointShape, type addSharingTypes } from './types';

function valueOf<T>(item: LiveItem<T>): T {
  if (item.kind === 'ended') throw item.error;
  return item.value;
}

const SINCE =
  "Resume: first replays the stored points received after this time (a delivered point's receivedAt), oldest first, " +
  'at most 1000, that the viewer may see, then continues live without duplicates.';

export function addSubscriptionTypes(builder: Builder, sharing: ReturnType<typeof addSharingTypes>) {
  builder.subscriptionType({});
  const { SharedPoint } = sharing;

  builder.subscriptionFields((t) => ({
    locationUpdated: t.prismaField({
      type: 'LocationPoint',
      description:
        "Live fixes of the given devices (default: every device the viewer owns or\nhas an active grant on). Completes with a FORBIDDEN error as soon as the\nviewer's access to a requested device ends (grant revoked or expired).",
      args: {
        deviceIds: t.arg.idList({ required: false }),
        since: t.arg({ type: 'DateTime', required: false, description: SINCE }),
      },
      subscribe: (_r, args, ctx) => {
        const ids = args.deviceIds?.map((id) => rawId(id, 'Device'));
        if (ids?.some((id) => !id)) throw notFound('Device');
        return locationUpdatedStream(ctx, (ids as string[] | undefined) ?? null, args.since ?? null) as never;
      },
      resolve: (_q, item, _a, ctx) => primeLiveDelivery(ctx, valueOf(item as unknown as LiveItem<LivePointDelivery>)) as never,
    }),
    sharingGrantChanged: t.prismaField({
      type: 'SharingGrant',
      description: 'Grants given by or to the viewer were created, accepted, revoked or expired.',
      subscribe: (_r, _a, ctx) => sharingGrantChangedStream(ctx) as never,
      // The stream yields bare rows; fields with a `select` (owner, grantee, device) need Pothos' query, so the grant is
      // read again with it (a row read without it answered null for the non-null owner).
      resolve: async (query, item, _a, ctx) => {
        ctx.resetCaches();
        const grant = valueOf(item as unknown as LiveItem<{ id: string }>);
        return (await ctx.app.prisma.sharingGrant.findUnique({ ...query, where: { id: grant.id } })) ?? (grant as never);
      },
    }),
    sharedLocationUpdated: t.field({
      type: SharedPoint,
      description: 'Public: live fixes behind a share link; completes when the link expires or is revoked.',
      args: { token: t.arg.string({ required: true }), since: t.arg({ type: 'DateTime', required: false, description: SINCE }) },
      subscribe: (_r, args, ctx) => sharedLocationUpdatedStream(ctx, args.token, args.since ?? null) as never,
      resolve: (item) => toSharedPoint(valueOf(item as unknown as LiveItem<SharedPointShape>)),
    }),
  }));
}
