/**
 * Device tokens checked once (signature and the device's tokenVersion), then
 * trusted for a short while without crypto or SQL: a device app sends a fix
 * every few seconds, and the check had cost more than storing the fix
 * (issue 18: an EdDSA verify and a Device read per 1-point call).
 *
 * What ends the trust at once is what ends the device's live streams: every
 * path that rotates a token, removes a device or erases/changes its owner
 * publishes 'access:device' (the device) or 'access:account' (the owner) after
 * its commit (api/sharing/notify.ts, api/devices/device-service.ts). This
 * cache listens to both for every device it holds and drops that device's
 * tokens on any such event, on every instance (through Redis with REDIS_URL).
 *
 * A token is cached only when its check started after the listening had been
 * running for a while (SUBSCRIBED_MS: a Redis SUBSCRIBE must be in place) and
 * no such event arrived meanwhile, so an event cannot fall between the check
 * and the listening. TTL_MS bounds what a lost event (Redis down) can cost:
 * a rotated token works on another instance for at most that long. An entry
 * also ends with the token's own expiry, and when the owner's lastActiveAt
 * is due a refresh (the full check records the activity, as before).
 */
import type { AppServices, Viewer } from '../context';

type DeviceViewer = Extract<Viewer, { kind: 'device' }>;

const TTL_MS = 30_000;
const SUBSCRIBED_MS = 1_000;
const MAX_TOKENS = 10_000;
const MAX_WATCHES = 10_000;
const ACTIVITY_RESOLUTION_MS = 10 * 60 * 1000;

interface Entry {
  viewer: DeviceViewer;
  until: number;
  lastActiveAt: number;
}

interface Watch {
  readyAt: number;
  tokens: Set<string>;
  stop(): void;
}

/** Taken before the check's SQL: the moment and the invalidation count then. */
export interface CheckTicket {
  startedAt: number;
  epoch: number;
}

export class DeviceTokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly watches = new Map<string, Watch>();
  /** Invalidating events received so far (any device or account). */
  private epoch = 0;
  private closed = false;

  constructor(private readonly pubsub: AppServices['pubsub']) {}

  get(token: string, now: number): DeviceViewer | null {
    const e = this.entries.get(token);
    if (!e) return null;
    if (now >= e.until || now - e.lastActiveAt >= ACTIVITY_RESOLUTION_MS) {
      this.entries.delete(token);
      return null;
    }
    return e.viewer;
  }

  begin(now: number): CheckTicket {
    return { startedAt: now, epoch: this.epoch };
  }

  /** After a successful check: caches the token if nothing could have been missed since `ticket` (else starts listening). */
  put(ticket: CheckTicket, token: string, viewer: DeviceViewer, lastActiveAt: number, expiresAt: number | null) {
    if (this.closed) return;
    const device = this.watch('access:device', viewer.deviceId, ticket.startedAt);
    const owner = this.watch('access:account', viewer.ownerId, ticket.startedAt);
    if (device.readyAt > ticket.startedAt || owner.readyAt > ticket.startedAt || this.epoch !== ticket.epoch) return;
    if (this.entries.size >= MAX_TOKENS) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { viewer, lastActiveAt, until: Math.min(ticket.startedAt + TTL_MS, expiresAt ?? Infinity) });
    device.tokens.add(token);
    owner.tokens.add(token);
  }

  close() {
    this.closed = true;
    for (const w of this.watches.values()) w.stop();
    this.watches.clear();
    this.entries.clear();
  }

  private watch(topic: 'access:device' | 'access:account', id: string, now: number): Watch {
    const key = `${topic}:${id}`;
    const existing = this.watches.get(key);
    if (existing) return existing;
    if (this.watches.size >= MAX_WATCHES) {
      const [oldKey, old] = this.watches.entries().next().value!;
      this.watches.delete(oldKey);
      old.stop();
      this.invalidate(old);
    }
    const iterator = this.pubsub.subscribe(topic, id)[Symbol.asyncIterator]();
    const w: Watch = { readyAt: now + SUBSCRIBED_MS, tokens: new Set(), stop: () => void iterator.return?.() };
    this.watches.set(key, w);
    void (async () => {
      for (;;) {
        const r = await iterator.next();
        if (r.done) return;
        this.epoch++;
        this.invalidate(w);
      }
    })().catch(() => {
      // The channel failed: forget the watch (the next check starts a new one) and what it guarded.
      if (this.watches.get(key) === w) this.watches.delete(key);
      this.epoch++;
      this.invalidate(w);
    });
    return w;
  }

  private invalidate(w: Watch) {
    for (const token of w.tokens) this.entries.delete(token);
    w.tokens.clear();
  }
}

const caches = new WeakMap<AppServices['pubsub'], DeviceTokenCache>();

/** The app's cache (one per pubsub, i.e. per app instance). */
export function deviceTokenCache(app: Pick<AppServices, 'pubsub'>): DeviceTokenCache {
  let cache = caches.get(app.pubsub);
  if (!cache) caches.set(app.pubsub, (cache = new DeviceTokenCache(app.pubsub)));
  return cache;
}

/** `exp` of a JWT already verified, in ms (null when absent). */
export function tokenExpiry(token: string): number | null {
  try {
    const exp = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}
