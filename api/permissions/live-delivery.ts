/**
 * Points delivered by a live subscription (locationUpdated). A LIVE grant
 * includes live updates, but through queries it shows only the device's
 * current last location; a streamed point may already be older than that
 * (several fixes in one upload, or a newer fix stored before this event is
 * sent). The point rule admits LIVE viewers for points marked here, which
 * only the subscription resolver does (after its own access re-check).
 */
const delivered = new WeakSet<object>();

export function markLiveDelivery<T extends object>(point: T): T {
  delivered.add(point);
  return point;
}

export function isLiveDelivery(point: unknown): boolean {
  return typeof point === 'object' && point !== null && delivered.has(point);
}
