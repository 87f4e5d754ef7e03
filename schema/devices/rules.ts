/**
 * Rules for devices, location history and ingestion. Every decision goes
 * through deviceAccess() (batched per request): OWNER, LIVE_VIEWER,
 * HISTORY_VIEWER (from historyFrom), STAFF (open access case), or nothing,
 * in which case the device does not exist for the viewer (NOT_FOUND).
 */
import { decodeAnyId, idOf } from '../../api/global-ids';
import { allow, defineRule, isAccount, type RuleMap } from '../permissions/kit';
import { badInput, forbidden, notFound, unauthenticated } from '../../api/errors';
import type { Context } from '../../api/context';
import { deviceAccess, deviceAccessTaken, deviceDenial, primeDeviceOwner, type DeviceAccess } from '../../api/permissions/device-access';
import { redactUnless } from '../permissions/redaction';
import { impliedByTypeRule } from '../permissions/object-decisions';
import { isLiveDelivery } from '../../api/permissions/live-delivery';
import { isGrantDevice } from '../../api/permissions/grant-device';
import { accountReadable } from '../../api/permissions/policy';
import { locationPointKey } from '../../api/locations/point-key';

/** The raw id of a Device global id, or null when it is not one (treated as not found). */
export function deviceIdOf(globalId: unknown): string | null {
  return idOf(globalId, 'Device');
}

/**
 * deviceAccess for a Device object this request resolved: its row carries the
 * owner, so deciding for the owner reads nothing more (lists stay one statement).
 */
export function accessToDevice(ctx: Context, device: { id: string; ownerId?: unknown }): Promise<DeviceAccess | null> {
  primeDeviceOwner(ctx, device);
  return deviceAccess(ctx, device.id);
}

/** Any relation to the device (owner, active grantee, staff with a case); otherwise it does not exist. */
export const canSeeDevice = defineRule<{ id: string }>('canSeeDevice', async (device, _a, ctx) =>
  (await accessToDevice(ctx, device)) ? true : deviceDenial(ctx, device.id),
);

/**
 * id and name: anyone who may see the device, and the parties of a grant for it (also after it ended): the
 * device object a grant's `device` field returned to a party of that grant (SharingGrant rules ran first).
 * One rule, not or(canSeeDevice, …): graphql-shield's `or` runs every rule, so each allowed field also built
 * the other rule's error (a GraphQLError with a stack; 200 per `devices(first: 100)` page). Not cached by id:
 * the grant's exception belongs to that object, not to every object with the device's id. It allows whatever
 * canSeeDevice allows, so a device canSeeDevice admitted resolves id and name without it (object-decisions.ts).
 */
const canSeeDeviceSummary = impliedByTypeRule(
  defineRule<{ id: string }>(
    'canSeeDeviceSummary',
    async (device, _a, ctx) => ((await accessToDevice(ctx, device)) ? true : isGrantDevice(device) || deviceDenial(ctx, device.id)),
    'no_cache',
  ),
);

/** Owner (or staff with an open case) only. */
export const isDeviceOwnerOrStaff = defineRule<{ id: string }>('isDeviceOwnerOrStaff', async (device, _a, ctx) => {
  const access = await accessToDevice(ctx, device);
  return access?.role === 'OWNER' || access?.role === 'STAFF';
});

/** The point the device currently reports as its last location (LIVE viewers see only that one). */
function lastLocationIdLoader(ctx: Context) {
  return ctx.loader<string, string | null>('device.lastLocationId', async (ids) => {
    const rows = await ctx.app.prisma.device.findMany({ where: { id: { in: [...ids] } }, select: { id: true, lastLocationId: true } });
    const byId = new Map(rows.map((r) => [r.id, r.lastLocationId]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/**
 * A point is visible with its device; HISTORY viewers only from their
 * historyFrom, LIVE viewers only the device's current last location.
 */
async function pointVisible(ctx: Context, point: { id: string; deviceId: string; recordedAt: Date }): Promise<boolean> {
  return pointVisibleWith(ctx, point, await deviceAccess(ctx, point.deviceId));
}

/**
 * pointVisible without waiting where the device's decision is already taken in this request and settles it
 * (owner, HISTORY viewer, a live delivery): a history page's 100 points cost no promise each. Anything else
 * (staff, a LIVE viewer's point, no decision yet) goes the asynchronous way.
 */
function pointVisibleNow(ctx: Context, point: { id: string; deviceId: string; recordedAt: Date }): boolean | Promise<boolean> {
  const access = deviceAccessTaken(ctx, point.deviceId);
  if (access === undefined) return pointVisible(ctx, point);
  if (access === null) return false;
  if (access.role === 'OWNER') return true;
  if (access.role === 'HISTORY_VIEWER') return !(access.historyFrom && point.recordedAt < access.historyFrom);
  return pointVisibleWith(ctx, point, access);
}

async function pointVisibleWith(
  ctx: Context,
  point: { id: string; deviceId: string; recordedAt: Date },
  access: DeviceAccess | null,
): Promise<boolean> {
  if (!access) return false;
  // Staff read locations only when their access case covers location history (need-to-know).
  if (access.role === 'STAFF' && !(await accountReadable(ctx, access.ownerId, 'LOCATIONS'))) return false;
  if (access.role === 'HISTORY_VIEWER' && access.historyFrom && point.recordedAt < access.historyFrom) return false;
  // A point streamed by locationUpdated is part of the live updates a LIVE grant includes (see live-delivery.ts).
  if (access.role === 'LIVE_VIEWER' && !isLiveDelivery(point) && (await lastLocationIdLoader(ctx).load(point.deviceId)) !== point.id) {
    return false;
  }
  return true;
}

export const canSeePoint = defineRule<{ id: string; deviceId: string; recordedAt: Date }>('canSeePoint', (point, _a, ctx) => {
  const visible = pointVisibleNow(ctx, point);
  return typeof visible === 'boolean' ? visible || notFound('Location point') : visible.then((v) => v || notFound('Location point'));
});

/**
 * Query.node: a Device or LocationPoint id the viewer may not see answers
 * exactly like an id that does not exist (same code, same message), before
 * anything is resolved, so not even __typename reveals that it exists. Other
 * types pass here; their own type rules guard their fields.
 */
export const canSeeNode = defineRule<unknown, { id?: unknown }>('canSeeNode', async (_p, args, ctx) => {
  const decoded = decodeAnyId(args.id);
  if (!decoded) return true; // Malformed ids fail in the node resolver as usual.
  const { typename, id } = decoded;
  if (typename === 'Device') {
    if (await deviceAccess(ctx, id)) return true;
    // A hidden device answers exactly like a nonexistent node of any type; only a restricted owner's grantee learns why.
    const denial = await deviceDenial(ctx, id);
    return denial.extensions.code === 'NOT_FOUND' ? notFound() : denial;
  }
  if (typename === 'LocationPoint') {
    const point = await locationPointKey(ctx.app.prisma, id);
    return (point && (await pointVisible(ctx, point))) || notFound();
  }
  return true;
});

/** History (locations, track): owner, staff, HISTORY grantees; LIVE grantees are FORBIDDEN. */
export const canSeeHistory = defineRule<{ id: string }>('canSeeHistory', async (device, _a, ctx) => {
  const access = await accessToDevice(ctx, device);
  if (!access) return deviceDenial(ctx, device.id);
  if (access.role === 'LIVE_VIEWER') return forbidden('A live-only grant does not include location history.');
  if (access.role === 'STAFF' && !(await accountReadable(ctx, access.ownerId, 'LOCATIONS'))) {
    return forbidden('Location history needs an access case approved by a DPO (approveAccessCase).');
  }
  return true;
});

/**
 * The earliest point of a device's history the viewer may see: null = all,
 * or a HISTORY grant's historyFrom. History resolvers filter with it; the
 * decision who may call them at all is canSeeHistory.
 */
export function historyVisibleFrom(access: DeviceAccess | null): Date | null {
  return access?.role === 'HISTORY_VIEWER' ? access.historyFrom : null;
}

/** Predicate for redactions: the viewer is the owning account (not a grantee, staff, or the device's own token). */
export async function viewerOwnsDevice(device: { id: string }, _a: unknown, ctx: Context) {
  return ctx.viewer.kind === 'account' && (await accessToDevice(ctx, device))?.role === 'OWNER';
}

/** Predicate for redactions: owner or staff with an open case. */
export async function viewerOwnsDeviceOrIsStaff(device: { id: string }, _a: unknown, ctx: Context) {
  const role = (await accessToDevice(ctx, device))?.role;
  return role === 'OWNER' || role === 'STAFF';
}

/** Owner-only mutations: UNAUTHENTICATED when anonymous, FORBIDDEN for device tokens, NOT_FOUND for everyone else. */
async function ownsDevice(ctx: Context, globalId: unknown) {
  if (ctx.viewer.kind === 'anonymous') return unauthenticated();
  if (ctx.viewer.kind === 'device') return forbidden('A device token may only record locations.');
  const id = deviceIdOf(globalId);
  if (!id) return notFound('Device');
  return (await deviceAccess(ctx, id))?.role === 'OWNER' || notFound('Device');
}

export const ownsDeviceArg = defineRule<unknown, { deviceId?: unknown }>('ownsDeviceArg', (_p, args, ctx) =>
  ownsDevice(ctx, args.deviceId),
);
export const ownsDeviceInput = defineRule<unknown, { input?: { deviceId?: unknown } }>('ownsDeviceInput', (_p, args, ctx) =>
  ownsDevice(ctx, args.input?.deviceId),
);

/** Query.device(id): the same NOT_FOUND for a device that does not exist and one the viewer may not see. */
export const canSeeDeviceArg = defineRule<unknown, { id?: unknown }>('canSeeDeviceArg', async (_p, args, ctx) => {
  const id = deviceIdOf(args.id);
  if (!id) return notFound('Device');
  return (await deviceAccess(ctx, id)) ? true : deviceDenial(ctx, id);
});

/**
 * recordLocations: a device token for its own device (deviceId implied; any
 * other is FORBIDDEN), or the owning account (deviceId required).
 */
export const canRecordLocations = defineRule<unknown, { input?: { deviceId?: unknown } }>('canRecordLocations', async (_p, args, ctx) => {
  const raw = args.input?.deviceId;
  const viewer = ctx.viewer;
  if (viewer.kind === 'anonymous') return unauthenticated();
  if (viewer.kind === 'device') {
    if (raw === undefined || raw === null) return true;
    return deviceIdOf(raw) === viewer.deviceId || forbidden('A device token records only for its own device.');
  }
  if (raw === undefined || raw === null) return badInput('input.deviceId', 'deviceId is required when an account records locations.');
  const id = deviceIdOf(raw);
  if (!id) return notFound('Device');
  const access = await deviceAccess(ctx, id);
  if (!access) return notFound('Device');
  return access.role === 'OWNER' || forbidden('Only the owner or the device itself records locations.');
});

export const deviceRules: RuleMap = {
  Query: {
    node: canSeeNode,
    device: canSeeDeviceArg,
    devices: isAccount,
    sharedDevices: isAccount,
  },
  Mutation: {
    registerDevice: isAccount,
    updateDevice: ownsDeviceInput,
    rotateDeviceToken: ownsDeviceArg,
    removeDevice: ownsDeviceArg,
    recordLocations: canRecordLocations,
    importLocations: ownsDeviceArg,
  },
  Device: {
    '*': canSeeDevice,
    id: canSeeDeviceSummary,
    name: canSeeDeviceSummary,
    identifier: redactUnless('Device.identifier', viewerOwnsDeviceOrIsStaff, null),
    locations: canSeeHistory,
    track: canSeeHistory,
  },
  LocationPoint: canSeePoint,
  DeviceConnection: allow,
  DeviceEdge: allow,
  LocationConnection: allow,
  LocationEdge: allow,
  Track: allow,
  DeviceCredentials: allow,
  RemoveDevicePayload: allow,
  RecordLocationsPayload: allow,
  RejectedLocation: allow,
  ImportLocationsPayload: allow,
};
