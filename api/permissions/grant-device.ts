/**
 * The device of a sharing grant, as the grant's parties see it. A grantee
 * whose grant was revoked or expired has no access to the device any more,
 * yet the grant they hold (receivedSharingGrants, sharingGrantChanged's
 * REVOKED/EXPIRED event) must still say which device it was. The grant's
 * `device` resolver marks the object it returns; the Device rules admit the
 * marked object for `id` and `name` only (nothing else of the device).
 */
const reachedThroughGrant = new WeakSet<object>();

export function markGrantDevice<T extends object>(device: T): T {
  reachedThroughGrant.add(device);
  return device;
}

export function isGrantDevice(device: unknown): boolean {
  return typeof device === 'object' && device !== null && reachedThroughGrant.has(device);
}
