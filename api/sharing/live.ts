/**
 * The three live streams of the contract, as plain functions of the context:
 * which events they listen to and how access is re-checked (see
 * live-stream.ts). The access decisions are the same ones the rule map uses:
 * deviceAccess for devices, findValidShareLink for links.
 */
import type { Context } from '../context';
import { forbidden, notFound, unauthenticated } from '../errors';
import type { LivePoint } from '../pubsub';
import { deviceAccess, deviceAccessUncached, deviceDenial, ownerRestricted } from '../permissions/device-access';
import { liveStream, type LiveItem } from './live-stream';
import { findValidShareLink, ownerIsRestricted } from './share-links';
import { grantActiveFor } from './status';
import { hashToken } from '../auth/sessions';
import { requireScope } from '../auth/api-scopes';

/** A live point in the shape of a LocationPoint row (dates as Date). */
export function pointFromLive(p: LivePoint) {
  return { ...p, clientId: '', recordedAt: new Date(p.recordedAt), receivedAt: new Date(p.receivedAt) };
}
export type LivePointRow = ReturnType<typeof pointFromLive>;

/** Devices a locationUpdated without deviceIds follows: the viewer's own and those with an active grant. */
async function defaultDeviceIds(ctx: Context, now: Date): Promise<string[]> {
  const v = ctx.viewer;
  if (v.kind === 'device') return [v.deviceId];
  if (v.kind !== 'account') return [];
  const [own, grants] = await Promise.all([
    ctx.app.prisma.device.findMany({ where: { ownerId: v.accountId }, select: { id: true } }),
    ctx.app.prisma.sharingGrant.findMany({
      // Owners whose processing is restricted (GDPR art. 18) are not followed by default.
      where: { ...grantActiveFor(v.accountId, now), owner: { restrictedAt: null } },
      select: { deviceId: true },
    }),
  ]);
  return [...new Set([...own.map((d) => d.id), ...grants.map((g) => g.deviceId)])];
}

/**
 * The signed-in viewer is still signed in: its session not revoked (logout,
 * refresh-token reuse, account deletion) and not expired, or its API key
 * still active; a device's token not rotated and the device not removed.
 * Checked with every event (and at once on the device's 'access:device'
 * wake-up), so a stream does not outlive the credentials it was opened with.
 */
async function sessionEnded(ctx: Context, at: Date) {
  const v = ctx.viewer;
  if (v.kind === 'device') {
    const device = await ctx.app.prisma.device.findUnique({ where: { id: v.deviceId }, select: { tokenVersion: true } });
    return !device || device.tokenVersion !== v.tokenVersion ? unauthenticated('Device token has been revoked.') : null;
  }
  if (v.kind !== 'account') return null;
  if (v.apiKey) {
    // An API key has no session: it must still be active (revokeApiKey ends its streams at the next event or wake-up).
    const active = (await ctx.app.extensions.apiKeys?.isActive(v.apiKey.id, at)) ?? false;
    return active ? null : unauthenticated('The API key has been revoked or has expired.');
  }
  const session = await ctx.app.prisma.session.findUnique({ where: { id: v.sessionId }, select: { revokedAt: true, expiresAt: true } });
  return !session || session.revokedAt || session.expiresAt <= at ? unauthenticated('Session has ended; sign in again.') : null;
}

/** A signed-in viewer's streams also re-check when its credentials change (API key revoked). */
function accountWakeup(ctx: Context) {
  return ctx.viewer.kind === 'account' ? [ctx.app.pubsub.subscribe('access:account', ctx.viewer.accountId)] : [];
}

/** Soonest expiresAt of the grants that currently give access (when a re-check must run). */
async function nextGrantExpiry(ctx: Context, grantIds: string[], now: Date): Promise<Date | null> {
  if (!grantIds.length) return null;
  const grants = await ctx.app.prisma.sharingGrant.findMany({
    where: { id: { in: grantIds }, expiresAt: { gt: now } },
    select: { expiresAt: true },
  });
  const times = grants.map((g) => g.expiresAt!.getTime());
  return times.length ? new Date(Math.min(...times)) : null;
}

/** At most this many stored points are replayed when a stream resumes (older gaps: query the history). */
export const MAX_REPLAY_POINTS = 1000;

/**
 * Points received after `since` on the given devices, oldest first, each device
 * only from when the viewer's current access began (`from`): exactly what the
 * live stream would have delivered had it been open (a LIVE grant too gets
 * every point stored while it was active, as live delivery does).
 */
async function replayPoints(ctx: Context, since: Date, from: Map<string, Date | null>): Promise<LivePointRow[]> {
  const where = [...from].map(([deviceId, start]) => ({
    deviceId,
    receivedAt: { gt: start && start > since ? start : since },
  }));
  if (!where.length) return [];
  const rows = await ctx.app.prisma.locationPoint.findMany({
    where: { OR: where },
    orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
    take: MAX_REPLAY_POINTS,
  });
  return rows as unknown as LivePointRow[];
}

/** When the viewer's access to each device began: null for owners, staff and devices; the earliest active grant's start otherwise. */
async function accessStarts(ctx: Context, ids: string[], now: Date): Promise<Map<string, Date | null>> {
  const out = new Map<string, Date | null>();
  for (const id of ids) {
    const access = await deviceAccess(ctx, id, now);
    if (access && 'grantIds' in access) {
      const grants = await ctx.app.prisma.sharingGrant.findMany({ where: { id: { in: access.grantIds } }, select: { startsAt: true } });
      const starts = grants.map((g) => g.startsAt.getTime());
      out.set(id, starts.length ? new Date(Math.min(...starts)) : now);
    } else out.set(id, null);
  }
  return out;
}

export async function locationUpdatedStream(
  ctx: Context,
  deviceIds: string[] | null,
  since: Date | null = null,
): Promise<AsyncIterable<LiveItem<LivePointRow>>> {
  if (ctx.viewer.kind === 'anonymous') throw unauthenticated();
  requireScope(ctx.viewer, 'LOCATIONS_READ');
  const now = new Date();
  const ids = deviceIds ?? (await defaultDeviceIds(ctx, now));
  for (const id of ids) if (!(await deviceAccess(ctx, id, now))) throw deviceDenial(ctx, id);
  const { pubsub } = ctx.app;
  return liveStream<LivePoint, LivePointRow>({
    events: ids.map((id) => pubsub.subscribe('location:device', id)),
    // A device token's stream also wakes on its own device (token rotated, device removed); an API key's on its account.
    wakeups: [
      ...[...new Set([...ids, ...(ctx.viewer.kind === 'device' ? [ctx.viewer.deviceId] : [])])].map((id) =>
        pubsub.subscribe('access:device', id),
      ),
      ...accountWakeup(ctx),
    ],
    check: async (at) => {
      const ended = await sessionEnded(ctx, at);
      if (ended) return ended;
      const grantIds: string[] = [];
      for (const id of ids) {
        const access = await deviceAccessUncached(ctx, id, at);
        if (!access) {
          const owner = await ctx.app.prisma.device.findUnique({ where: { id }, select: { owner: { select: { restrictedAt: true } } } });
          return owner?.owner.restrictedAt ? ownerRestricted() : forbidden('Your access to this device has ended.');
        }
        if ('grantIds' in access) grantIds.push(...access.grantIds);
      }
      return { next: await nextGrantExpiry(ctx, grantIds, at) };
    },
    map: async (point) => pointFromLive(point),
    replay: since ? async () => replayPoints(ctx, since, await accessStarts(ctx, ids, new Date())) : undefined,
    key: (point) => point.id,
    onError: (e) => ctx.app.logger.error('locationUpdated stream failed', { error: e }),
  });
}

/** The viewer's grants (given or received) whose status changes by time between `since` and `now`, and the next such moment. */
async function grantTransitions(ctx: Context, accountId: string, since: Date, now: Date) {
  const grants = await ctx.app.prisma.sharingGrant.findMany({
    where: { OR: [{ ownerId: accountId }, { granteeId: accountId }], revokedAt: null },
  });
  // A start counts only for grants created ahead of it (SCHEDULED -> ACTIVE); a grant that starts
  // when it is created is announced by its creation event.
  const changes = (g: (typeof grants)[number]) => [g.startsAt > g.createdAt ? g.startsAt : null, g.expiresAt];
  const due = grants.filter((g) => changes(g).some((t) => t && t > since && t <= now));
  const future = grants.flatMap(changes).filter((t): t is Date => !!t && t > now);
  const next = future.length ? new Date(Math.min(...future.map((t) => t.getTime()))) : null;
  return { due, next };
}

export async function sharingGrantChangedStream(ctx: Context) {
  const viewer = ctx.viewer;
  if (viewer.kind !== 'account') throw unauthenticated();
  requireScope(viewer, 'SHARING_MANAGE');
  const { pubsub, prisma } = ctx.app;
  type GrantRow = NonNullable<Awaited<ReturnType<typeof prisma.sharingGrant.findUnique>>>;
  return liveStream<{ grantId: string }, GrantRow>({
    events: [pubsub.subscribe('sharing:account', viewer.accountId)],
    wakeups: accountWakeup(ctx),
    check: async (at, since) => {
      const ended = await sessionEnded(ctx, at);
      if (ended) return ended;
      const { due, next } = await grantTransitions(ctx, viewer.accountId, since, at);
      return { next, items: due };
    },
    map: ({ grantId }) => prisma.sharingGrant.findUnique({ where: { id: grantId } }),
    onError: (e) => ctx.app.logger.error('sharingGrantChanged stream failed', { error: e }),
  });
}

export async function sharedLocationUpdatedStream(ctx: Context, token: string, since: Date | null = null) {
  const link = await findValidShareLink(ctx.app, token);
  if (!link) throw notFound('Share link');
  if (await ownerIsRestricted(ctx.app, link.ownerId)) throw ownerRestricted();
  const { pubsub, prisma } = ctx.app;
  const tokenHash = hashToken(token);
  return liveStream<LivePoint, LivePointRow>({
    events: [pubsub.subscribe('location:device', link.deviceId)],
    wakeups: [pubsub.subscribe('access:device', link.deviceId)],
    check: async (at) => {
      const current = await prisma.shareLink.findUnique({
        where: { tokenHash },
        select: { revokedAt: true, expiresAt: true, owner: { select: { restrictedAt: true } } },
      });
      if (!current || current.revokedAt || current.expiresAt <= at) return forbidden('The share link has expired or was revoked.');
      if (current.owner.restrictedAt) return ownerRestricted();
      return { next: current.expiresAt };
    },
    map: async (point) => pointFromLive(point),
    // A link shows every point stored while it is valid: replay from its creation at the earliest.
    replay: since ? () => replayPoints(ctx, since, new Map([[link.deviceId, link.createdAt]])) : undefined,
    key: (point) => point.id,
    onError: (e) => ctx.app.logger.error('sharedLocationUpdated stream failed', { error: e }),
  });
}
