/**
 * What the viewer may see of a device: the single decision behind every
 * device, location and sharing rule, and behind subscriptions (where
 * graphql-shield does not run). Batched per request: any number of devices
 * costs one statement (their rows joined with the owner's restriction and the
 * viewer's unrevoked grants, read past Prisma's engine), and deciding for the owner of a device whose row
 * the request already read costs none (see primeDeviceOwner).
 */
import type { Context } from '../context';
import type { Device } from '../../generated/prisma/client';
import { createContext, isStaff } from '../context';
import { accountReadable } from './policy';
import { grantStatus, type GrantTimes } from '../sharing/status';
import { forbidden, notFound, type AppError } from '../errors';
import { DEVICE_COLUMN_COUNT, DEVICE_COLUMNS, deviceFromRow, timeOrNull } from '../devices/device-rows';
import { TEXT, TEXTS } from '../db/arg-types';
import { PREPARED } from '../db/adapters';

/** What a grantee or link holder is told while the owner's processing is restricted (GDPR art. 18). */
export const OWNER_RESTRICTED_MESSAGE =
  'The owner has restricted the processing of their data (GDPR art. 18): their location is not shown to others while the restriction lasts.';
export const ownerRestricted = () => forbidden(OWNER_RESTRICTED_MESSAGE);

const restrictedKey = (deviceId: string) => `deviceAccess.ownerRestricted:${deviceId}`;

/**
 * The error for a device deviceAccess refused in this request: FORBIDDEN with
 * the reason when only the owner's restriction stands between the viewer and
 * an active grant (the grantee may know why), else NOT_FOUND.
 */
export function deviceDenial(ctx: Context, deviceId: string): AppError {
  return ctx.memo.get(restrictedKey(deviceId)) ? ownerRestricted() : notFound('Device');
}

export type DeviceAccess =
  | { role: 'OWNER'; ownerId: string }
  | { role: 'LIVE_VIEWER'; ownerId: string; grantIds: string[] }
  | { role: 'HISTORY_VIEWER'; ownerId: string; grantIds: string[]; historyFrom: Date | null }
  | { role: 'STAFF'; ownerId: string };

/** A grant gives access now if accepted, started, not expired and not revoked. */
export function grantIsActive(g: GrantTimes, now = new Date()) {
  return grantStatus(g, now) === 'ACTIVE';
}

interface GrantRow {
  id: string;
  deviceId: string;
  scope: 'LIVE' | 'HISTORY';
  historyFrom: Date | null;
  granteeId: string | null;
  startsAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** What one statement tells about a device: its row, whether its owner restricted processing, the viewer's unrevoked grants. */
interface DeviceFacts {
  row: Device;
  ownerRestricted: boolean;
  grants: GrantRow[];
}

/**
 * The devices with their owner's restriction and the viewer's unrevoked grants: one row per (device, grant), or
 * one with null grant columns. Read past Prisma's engine (device-rows.ts): every device request starts here.
 */
const FACTS_SQL = `${PREPARED}SELECT ${DEVICE_COLUMNS}, a."restrictedAt", g."id", g."scope"::text, g."historyFrom", g."startsAt", g."expiresAt"
  FROM "Device" d JOIN "Account" a ON a."id" = d."ownerId"
  LEFT JOIN "SharingGrant" g ON g."deviceId" = d."id" AND g."granteeId" = $2 AND g."revokedAt" IS NULL
  WHERE d."id" = ANY($1)
  ORDER BY d."id", g."id"`;

function deviceFactsLoader(ctx: Context) {
  const granteeId = ctx.viewer.kind === 'account' ? ctx.viewer.accountId : null;
  return ctx.loader<string, DeviceFacts | null>('device.facts', async (ids) => {
    const { rows } = await ctx.app.db.queryRows({ sql: FACTS_SQL, args: [[...ids], granteeId], argTypes: [TEXTS, TEXT] });
    const byId = new Map<string, DeviceFacts>();
    const n = DEVICE_COLUMN_COUNT;
    for (const r of rows) {
      const id = r[0] as string;
      let facts = byId.get(id);
      if (!facts) byId.set(id, (facts = { row: deviceFromRow(r), ownerRestricted: r[n] !== null, grants: [] }));
      if (r[n + 1] === null) continue;
      facts.grants.push({
        id: r[n + 1] as string,
        deviceId: id,
        scope: r[n + 2] as GrantRow['scope'],
        historyFrom: timeOrNull(r[n + 3]),
        granteeId,
        startsAt: timeOrNull(r[n + 4])!,
        expiresAt: timeOrNull(r[n + 5]),
        revokedAt: null,
      });
    }
    return ids.map((id) => byId.get(id) ?? null);
  });
}

export function deviceOwnerLoader(ctx: Context) {
  return ctx.loader<string, string | null>('device.ownerId', async (ids) =>
    (await deviceFactsLoader(ctx).loadMany(ids)).map((f) => {
      if (f instanceof Error) throw f;
      return f?.row.ownerId ?? null;
    }),
  );
}

/**
 * Tells deviceAccess the owner of a device whose row this request has already
 * read (a list resolver's rows, a rule's parent), so deciding for its owner
 * costs no statement. A device's owner never changes.
 */
export function primeDeviceOwner(ctx: Context, device: { id: string; ownerId?: unknown }) {
  if (typeof device.ownerId === 'string') deviceOwnerLoader(ctx).prime(device.id, device.ownerId);
}

/**
 * The device's row as the access decision read it in this request (null when
 * it does not exist), so `device(id)` need not read it again.
 */
export async function deviceRowReadForAccess(ctx: Context, deviceId: string): Promise<Device | null> {
  return (await deviceFactsLoader(ctx).load(deviceId))?.row ?? null;
}

const primedKey = (deviceId: string) => `deviceAccess.primed:${deviceId}`;

/**
 * Tells deviceAccess the answer for this request: a live delivery resolves its
 * point with the decision its stream took at its last check (kept current by
 * wake-ups and expiry timers, see api/sharing/live-stream.ts), so resolving
 * the point's fields sends no SQL.
 */
export function primeDeviceAccess(ctx: Context, deviceId: string, access: DeviceAccess) {
  ctx.memo.set(primedKey(deviceId), access);
}

const decidedKey = (deviceId: string) => `deviceAccess.decided:${deviceId}`;

/**
 * The decision deviceAccess has already taken for the device in this request
 * (primed, or computed at the time of the request), without waiting: undefined
 * when it has not been taken yet. For rules that decide many objects of one
 * device (the 100 points of a history page) after the device's own rule.
 */
export function deviceAccessTaken(ctx: Context, deviceId: string): DeviceAccess | null | undefined {
  const primed = ctx.memo.get(primedKey(deviceId)) as DeviceAccess | undefined;
  if (primed) return primed;
  return ctx.memo.get(decidedKey(deviceId)) as DeviceAccess | null | undefined;
}

/**
 * The viewer's relation to a device, or null (then the device does not exist
 * for the viewer: NOT_FOUND). HISTORY beats LIVE; the earliest historyFrom of
 * the viewer's active HISTORY grants applies. Evaluated fresh at `now`; a
 * decision at the request's own time (no `now` given) is also kept for
 * deviceAccessTaken.
 */
export async function deviceAccess(ctx: Context, deviceId: string, now?: Date): Promise<DeviceAccess | null> {
  if (!deviceId) return null;
  const primed = ctx.memo.get(primedKey(deviceId)) as DeviceAccess | undefined;
  if (primed) return primed;
  const access = await decideAccess(ctx, deviceId, now ?? new Date());
  if (!now) ctx.memo.set(decidedKey(deviceId), access);
  return access;
}

async function decideAccess(ctx: Context, deviceId: string, now: Date): Promise<DeviceAccess | null> {
  const ownerId = await deviceOwnerLoader(ctx).load(deviceId);
  if (!ownerId) return null;
  const viewer = ctx.viewer;
  if (viewer.kind === 'device') return viewer.deviceId === deviceId ? { role: 'OWNER', ownerId } : null;
  if (viewer.kind !== 'account') return null;
  if (viewer.accountId === ownerId) return { role: 'OWNER', ownerId };
  const facts = await deviceFactsLoader(ctx).load(deviceId);
  const active = (facts?.grants ?? []).filter((g) => grantIsActive(g, now));
  // GDPR art. 18: while the owner's processing is restricted, grants disclose nothing.
  if (active.length && facts?.ownerRestricted) {
    ctx.memo.set(restrictedKey(deviceId), true);
    return null;
  }
  const history = active.filter((g) => g.scope === 'HISTORY');
  if (history.length) {
    const froms = history.map((g) => g.historyFrom?.getTime() ?? Number.NEGATIVE_INFINITY);
    const min = Math.min(...froms);
    return {
      role: 'HISTORY_VIEWER',
      ownerId,
      grantIds: history.map((g) => g.id),
      historyFrom: Number.isFinite(min) ? new Date(min) : null,
    };
  }
  if (active.length) return { role: 'LIVE_VIEWER', ownerId, grantIds: active.map((g) => g.id) };
  if (isStaff(viewer) && (await accountReadable(ctx, ownerId))) return { role: 'STAFF', ownerId };
  return null;
}

/** Fresh check without the per-request caches (for long-lived subscriptions: re-check on every event). */
export function deviceAccessUncached(ctx: Context, deviceId: string, now = new Date()): Promise<DeviceAccess | null> {
  return deviceAccess(createContext(ctx.app, ctx.viewer, ctx.request, ctx.clientAddress), deviceId, now);
}
