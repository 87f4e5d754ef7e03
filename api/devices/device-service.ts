/**
 * Device lifecycle: register, rename, rotate the device token, remove.
 * Authorization is decided by the rule map before these run; they only
 * validate input and change data.
 */
import type { AppServices } from '../context';
import type { Actor } from '../events';
import type { DeviceKind } from '../../generated/prisma/enums';
import { badInput, notFound } from '../errors';

export interface DeviceInput {
  name?: string | null;
  kind?: DeviceKind | null;
  identifier?: string | null;
}

const MAX_NAME = 100;
const MAX_IDENTIFIER = 64;

function cleanName(name: string, field: string): string {
  const n = name.trim();
  if (!n || n.length > MAX_NAME) throw badInput(field, `Name must be 1 to ${MAX_NAME} characters.`);
  return n;
}

export function cleanIdentifier(identifier: string | null | undefined, field: string): string | null {
  const v = identifier?.trim();
  if (!v) return null;
  if (v.length > MAX_IDENTIFIER) throw badInput(field, `Identifier must be at most ${MAX_IDENTIFIER} characters.`);
  return v;
}

/** A new device token; earlier tokens of the device stop working (tokenVersion). */
async function issueToken(app: AppServices, device: { id: string; tokenVersion: number }) {
  return app.tokens.signDeviceToken({ deviceId: device.id, tokenVersion: device.tokenVersion });
}

export async function registerDevice(
  app: AppServices,
  ownerId: string,
  input: { name: string; kind: DeviceKind; identifier?: string | null },
  actor: Actor,
) {
  const name = cleanName(input.name, 'input.name');
  const identifier = cleanIdentifier(input.identifier, 'input.identifier');
  const device = await app.prisma.$transaction(async (tx) => {
    const d = await tx.device.create({ data: { ownerId, name, kind: input.kind, identifier } });
    await app.events.emit('device.registered', { deviceId: d.id, ownerId }, { actor, tx });
    return d;
  });
  return { deviceId: device.id, deviceToken: await issueToken(app, device) };
}

export async function updateDevice(app: AppServices, deviceId: string, input: DeviceInput) {
  const data: { name?: string; kind?: DeviceKind } = {};
  if (input.name !== undefined && input.name !== null) data.name = cleanName(input.name, 'input.name');
  if (input.kind) data.kind = input.kind;
  return app.prisma.device.update({ where: { id: deviceId }, data, select: { id: true } });
}

/**
 * Bumps tokenVersion: the previous token is refused from the next request on
 * (api/auth/viewer.ts), and live streams opened with it end at once.
 */
export async function rotateDeviceToken(app: AppServices, deviceId: string) {
  const device = await app.prisma.device.update({
    where: { id: deviceId },
    data: { tokenVersion: { increment: 1 } },
    select: { id: true, tokenVersion: true },
  });
  app.pubsub.publish('access:device', deviceId, { reason: 'device.token-rotated' });
  return { deviceId: device.id, deviceToken: await issueToken(app, device) };
}

/**
 * Deletes the device and all its location points in one transaction (grants
 * and share links go with it by foreign-key cascade), then ends open live
 * subscriptions on it.
 */
export async function removeDevice(app: AppServices, deviceId: string, actor: Actor) {
  const { ownerId, deletedLocations } = await app.prisma.$transaction(async (tx) => {
    const device = await tx.device.findUnique({ where: { id: deviceId }, select: { ownerId: true } });
    if (!device) throw notFound('Device');
    // Device.lastLocationId is ON DELETE SET NULL, so the points can go first.
    const { count } = await tx.locationPoint.deleteMany({ where: { deviceId } });
    await app.events.emit('device.removed', { deviceId, ownerId: device.ownerId, deletedLocations: count }, { actor, tx });
    await tx.device.delete({ where: { id: deviceId } });
    return { ownerId: device.ownerId, deletedLocations: count };
  });
  app.pubsub.publish('access:device', deviceId, { reason: 'device.removed' });
  return { deviceId, ownerId, deletedLocations };
}
