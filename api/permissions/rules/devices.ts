/** Rules for devices and location points (the skeleton; sharing and history rules extend it). */
import { defineRule, type RuleMap } from '../kit';
import { notFound } from '../../errors';
import { deviceAccess } from '../device-access';
import { redactUnless } from '../redaction';

/** Any relation to the device (owner, active grantee, staff with a case); otherwise it does not exist. */
export const canSeeDevice = defineRule<{ id: string }>('canSeeDevice', async (device, _a, ctx) =>
  (await deviceAccess(ctx, device.id)) ? true : notFound('Device'),
);

/** Owner (or staff with an open case) only: for fields that are null/empty for others, see redactions. */
export const isDeviceOwnerOrStaff = defineRule<{ id: string }>('isDeviceOwnerOrStaff', async (device, _a, ctx) => {
  const access = await deviceAccess(ctx, device.id);
  return access?.role === 'OWNER' || access?.role === 'STAFF';
});

/** A point is visible with its device; HISTORY viewers only from their historyFrom, LIVE viewers only the last location. */
export const canSeePoint = defineRule<{ id: string; deviceId: string; recordedAt: Date }>('canSeePoint', async (point, _a, ctx) => {
  const access = await deviceAccess(ctx, point.deviceId);
  if (!access) return notFound('Location point');
  if (access.role === 'HISTORY_VIEWER' && access.historyFrom && point.recordedAt < access.historyFrom) return notFound('Location point');
  return true;
});

/** Predicate for redactions: the viewer owns the device (an account, not the device's own token). */
export async function viewerOwnsDevice(device: { id: string }, _a: unknown, ctx: Parameters<typeof deviceAccess>[0]) {
  return ctx.viewer.kind === 'account' && (await deviceAccess(ctx, device.id))?.role === 'OWNER';
}

/** Predicate for redactions: owner or staff with an open case. */
export async function viewerOwnsDeviceOrIsStaff(device: { id: string }, _a: unknown, ctx: Parameters<typeof deviceAccess>[0]) {
  const role = (await deviceAccess(ctx, device.id))?.role;
  return role === 'OWNER' || role === 'STAFF';
}

export const deviceRules: RuleMap = {
  Device: {
    '*': canSeeDevice,
    identifier: redactUnless('Device.identifier', viewerOwnsDeviceOrIsStaff, null),
  },
  LocationPoint: canSeePoint,
};
