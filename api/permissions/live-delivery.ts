/**
 * Points delivered by a live subscription (locationUpdated). A LIVE grant
 * includes live updates, but through queries it shows only the device's
 * current last location; a streamed point may already be older than that
 * (several fixes in one upload, or a newer fix stored before this event is
 * sent). The point rule admits LIVE viewers for points marked here, which
 * only the subscription resolver does (after its stream's access check).
 *
 * The resolver also primes the request's caches with that check's decision
 * (primeLiveDelivery), so the point's rule and fields cost no SQL per
 * delivery: the stream keeps the decision current through wake-ups and
 * expiry timers (api/sharing/live-stream.ts).
 */
import type { Context } from '../context';
import { primeDeviceAccess, type DeviceAccess } from './device-access';
import { primeAccountReadable } from './policy';

const delivered = new WeakSet<object>();

export function markLiveDelivery<T extends object>(point: T): T {
  delivered.add(point);
  return point;
}

export function isLiveDelivery(point: unknown): boolean {
  return typeof point === 'object' && point !== null && delivered.has(point);
}

/** A point a stream delivers, with the access decision of the stream's last check. */
export interface LiveDelivery<P extends { deviceId: string }> {
  point: P;
  access: DeviceAccess;
  /** For STAFF: whether the open access case covers location history (else the point is refused as before). */
  locationsReadable: boolean;
}

/**
 * Resolving one delivery: forgets the previous event's caches (memory does not
 * grow per event), primes them with the stream's decision and marks the point.
 */
export function primeLiveDelivery<P extends { deviceId: string }>(ctx: Context, delivery: LiveDelivery<P>): P {
  ctx.resetCaches();
  primeDeviceAccess(ctx, delivery.point.deviceId, delivery.access);
  if (delivery.access.role === 'STAFF') primeAccountReadable(ctx, delivery.access.ownerId, 'LOCATIONS', delivery.locationsReadable);
  return markLiveDelivery(delivery.point);
}
