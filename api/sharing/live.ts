/**
 * The three live streams of the contract, as plain functions of the context:
 * which events they listen to, which wake-ups make them re-check access and
 * when (see live-stream.ts). The access decisions are the same ones the rule
 * map uses: deviceAccess for devices, findValidShareLink for links. A point
 * is delivered with the decision of the last check (no SQL per delivery).
 */
import { createContext, type Context } from '../context';
import { forbidden, notFound, unauthenticated, type AppError } from '../errors';
import type { LivePoint } from '../pubsub';
import { deviceAccess, deviceDenial, ownerRestricted } from '../permissions/device-access';
import { accountReadable } from '../permissions/policy';
import type { LiveDelivery } from '../permissions/live-delivery';
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

const rowsOfEvents = new WeakMap<LivePoint, LivePointRow>();

/**
 * The row of a published point, one object for every stream that receives the same event (the pubsub hands each
 * listener the same payload, also through Redis): converted once, and the key under which subscribers with the same
 * result share one execution (server/live-sharing.ts). Gone with the event.
 */
export function sharedLivePoint(p: LivePoint): LivePointRow {
  let row = rowsOfEvents.get(p);
  if (!row) rowsOfEvents.set(p, (row = pointFromLive(p)));
  return row;
}

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
 * refresh-token reuse, password change, account deletion) and not expired, or
 * its API key still active; a device's token not rotated and the device not
 * removed; no role taken away since sign-in. Checked when the stream starts, on its wake-ups ('access:account'
 * for sessions and API keys, 'access:device' for device tokens) and when the
 * session or key expires (`until`), so a stream does not outlive the
 * credentials it was opened with.
 */
async function sessionEnded(ctx: Context, at: Date): Promise<AppError | { until: Date | null }> {
  const v = ctx.viewer;
  if (v.kind === 'device') {
    const device = await ctx.app.prisma.device.findUnique({ where: { id: v.deviceId }, select: { tokenVersion: true } });
    return !device || device.tokenVersion !== v.tokenVersion ? unauthenticated('Device token has been revoked.') : { until: null };
  }
  if (v.kind !== 'account') return { until: null };
  if (v.apiKey) {
    // An API key has no session: it must still be active (revokeApiKey publishes 'access:account').
    const active = (await ctx.app.extensions.apiKeys?.isActive(v.apiKey.id, at)) ?? false;
    return active ? { until: v.apiKey.expiresAt ?? null } : unauthenticated('The API key has been revoked or has expired.');
  }
  const session = await ctx.app.prisma.session.findUnique({
    where: { id: v.sessionId },
    select: { revokedAt: true, expiresAt: true, account: { select: { roles: true } } },
  });
  if (!session || session.revokedAt || session.expiresAt <= at) return unauthenticated('Session has ended; sign in again.');
  // A role the token carried was taken away (admin create-staff): its staff access must not live on in the stream.
  if (v.roles.some((r) => !session.account.roles.includes(r))) return unauthenticated('Your roles have changed; sign in again.');
  return { until: session.expiresAt };
}

/** The earliest of several moments (null = none). */
function soonest(...times: (Date | null)[]): Date | null {
  const ms = times.filter((t): t is Date => !!t).map((t) => t.getTime());
  return ms.length ? new Date(Math.min(...ms)) : null;
}

/**
 * Wake-ups of a signed-in viewer's streams: its own account (logout, API key
 * revoked, password changed, erasure) and the owners of the devices it
 * follows (erasure, restriction).
 */
function accountWakeup(ctx: Context, ownerIds: Iterable<string> = []) {
  const ids = new Set(ownerIds);
  if (ctx.viewer.kind === 'account') ids.add(ctx.viewer.accountId);
  return [...ids].map((id) => ctx.app.pubsub.subscribe('access:account', id));
}

/** Soonest expiresAt of the grants that currently give access (when a re-check must run). */
async function nextGrantExpiry(ctx: Context, grantIds: string[], now: Date): Promise<Date | null> {
  if (!grantIds.length) return null;
  const grants = await ctx.app.prisma.sharingGrant.findMany({
    where: { id: { in: grantIds }, expiresAt: { gt: now } },
    select: { expiresAt: true },
  });
  return soonest(...grants.map((g) => g.expiresAt));
}

/**
 * Staff see a device through an access case whose end the stream is not told
 * about by a timer (the case lives in a plugin): their streams re-check at
 * least this often, besides the wake-up on the case's closing.
 */
const STAFF_RECHECK_MS = 60_000;

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

/** A point of locationUpdated with the decision that admits it (see api/permissions/live-delivery.ts). */
export type LivePointDelivery = LiveDelivery<LivePointRow>;
type Decision = Omit<LivePointDelivery, 'point'>;

/**
 * The viewer's access to each device, decided at `at` with fresh (uncached)
 * reads: the decisions, or the error that ends the stream, and when a
 * decision may change by time (the soonest grant expiry).
 */
async function decideDevices(
  ctx: Context,
  ids: string[],
  at: Date,
): Promise<AppError | { decisions: Map<string, Decision>; next: Date | null }> {
  // One fresh context for the whole check: its loaders batch the devices (two or three statements for any number).
  const fresh = createContext(ctx.app, ctx.viewer, ctx.request, ctx.clientAddress);
  const accesses = await Promise.all(ids.map((id) => deviceAccess(fresh, id, at)));
  const decisions = new Map<string, Decision>();
  const grantIds: string[] = [];
  let staff = false;
  for (const [i, id] of ids.entries()) {
    const access = accesses[i];
    if (!access) {
      // deviceDenial is FORBIDDEN only when the owner's restriction is what stands between the viewer and a grant.
      return deviceDenial(fresh, id).extensions.code === 'FORBIDDEN'
        ? ownerRestricted()
        : forbidden('Your access to this device has ended.');
    }
    if ('grantIds' in access) grantIds.push(...access.grantIds);
    staff ||= access.role === 'STAFF';
    const locationsReadable = access.role !== 'STAFF' || (await accountReadable(fresh, access.ownerId, 'LOCATIONS'));
    decisions.set(id, { access, locationsReadable });
  }
  const next = soonest(await nextGrantExpiry(ctx, grantIds, at), staff ? new Date(at.getTime() + STAFF_RECHECK_MS) : null);
  return { decisions, next };
}

export async function locationUpdatedStream(
  ctx: Context,
  deviceIds: string[] | null,
  since: Date | null = null,
): Promise<AsyncIterable<LiveItem<LivePointDelivery>>> {
  if (ctx.viewer.kind === 'anonymous') throw unauthenticated();
  requireScope(ctx.viewer, 'LOCATIONS_READ');
  const now = new Date();
  const ids = deviceIds ?? (await defaultDeviceIds(ctx, now));
  const owners = new Set<string>();
  for (const id of ids) {
    const access = await deviceAccess(ctx, id, now);
    if (!access) throw deviceDenial(ctx, id);
    owners.add(access.ownerId);
  }
  const { pubsub } = ctx.app;
  // The last check's decision per device: replaced (not grown) by each check, read by every delivery.
  let decisions = new Map<string, Decision>();
  const deliver = (point: LivePointRow): LivePointDelivery | null => {
    const decision = decisions.get(point.deviceId);
    return decision ? { point, ...decision } : null;
  };
  return liveStream<LivePoint, LivePointDelivery>({
    events: ids.map((id) => pubsub.subscribe('location:device', id)),
    // A device token's stream also wakes on its own device (token rotated, device removed); an account's on itself and the owners.
    wakeups: [
      ...[...new Set([...ids, ...(ctx.viewer.kind === 'device' ? [ctx.viewer.deviceId] : [])])].map((id) =>
        pubsub.subscribe('access:device', id),
      ),
      ...accountWakeup(ctx, owners),
    ],
    check: async (at) => {
      const session = await sessionEnded(ctx, at);
      if (session instanceof Error) return session;
      const decided = await decideDevices(ctx, ids, at);
      if (decided instanceof Error) return decided;
      decisions = decided.decisions;
      return { next: soonest(session.until, decided.next) };
    },
    map: (point) => deliver(sharedLivePoint(point)),
    replay: since
      ? async () =>
          (await replayPoints(ctx, since, await accessStarts(ctx, ids, new Date()))).flatMap((p) => {
            const d = deliver(p);
            return d ? [d] : [];
          })
      : undefined,
    key: (delivery) => delivery.point.id,
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
    // A grant change may bring a new expiry or start to schedule.
    recheckEachEvent: true,
    wakeups: accountWakeup(ctx),
    check: async (at, since) => {
      const session = await sessionEnded(ctx, at);
      if (session instanceof Error) return session;
      const { due, next } = await grantTransitions(ctx, viewer.accountId, since, at);
      return { next: soonest(session.until, next), items: due };
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
    // Revoking the link or restricting the owner wakes the device; erasing the owner wakes the account.
    wakeups: [pubsub.subscribe('access:device', link.deviceId), pubsub.subscribe('access:account', link.ownerId)],
    check: async (at) => {
      const current = await prisma.shareLink.findUnique({
        where: { tokenHash },
        select: { revokedAt: true, expiresAt: true, owner: { select: { restrictedAt: true } } },
      });
      if (!current || current.revokedAt || current.expiresAt <= at) return forbidden('The share link has expired or was revoked.');
      if (current.owner.restrictedAt) return ownerRestricted();
      return { next: current.expiresAt };
    },
    map: (point) => pointFromLive(point),
    // A link shows every point stored while it is valid: replay from its creation at the earliest.
    replay: since ? () => replayPoints(ctx, since, new Map([[link.deviceId, link.createdAt]])) : undefined,
    key: (point) => point.id,
    onError: (e) => ctx.app.logger.error('sharedLocationUpdated stream failed', { error: e }),
  });
}
