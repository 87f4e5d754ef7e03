/**
 * Live-update channel behind one interface. In-memory by default; with
 * REDIS_URL set, events travel through Redis so several instances serve the
 * same subscriptions (payloads are JSON). The Redis event target is ours
 * rather than @graphql-yoga/redis-event-target's, whose PUBLISH/SUBSCRIBE
 * promises are never awaited: while Redis is down each one became an
 * unhandled rejection that killed the process. Here a failed publish is
 * logged and dropped (live delivery to other instances pauses; the point is
 * stored), and subscriptions come back by themselves after a reconnect.
 */
import { setMaxListeners } from 'node:events';
import { createPubSub } from 'graphql-yoga';
import type { Logger } from './logger';
import type { RedisClients } from './redis';

export interface LivePoint {
  id: string;
  deviceId: string;
  ownerId: string;
  recordedAt: string;
  receivedAt: string;
  latitude: number;
  longitude: number;
  accuracy: number | null;
  altitude: number | null;
  speed: number | null;
  heading: number | null;
  battery: number | null;
  source: string;
}

export interface Topics {
  /** Every stored point of a device. */
  'location:device': [deviceId: string, point: LivePoint];
  /** A grant was created, accepted, revoked or expired (for owner and grantee). */
  'sharing:account': [accountId: string, change: { grantId: string }];
  /** Access to a device may have changed (grant revoked, link revoked, device removed, device token rotated). */
  'access:device': [deviceId: string, change: { reason: string }];
  /** The account's credentials changed (e.g. an API key revoked): its open streams re-check at once. */
  'access:account': [accountId: string, change: { reason: string }];
  [topic: string]: [string, unknown] | [unknown];
}

export type PubSub = ReturnType<typeof createPubSub<Topics>>;

type Listener = (event: Event) => void;

/** An EventTarget over Redis PUBLISH/SUBSCRIBE that never leaves a rejected promise behind. */
export function redisEventTarget(redis: RedisClients, logger: Logger) {
  const listeners = new Map<string, Set<Listener>>();
  let lastDropLog = 0;
  redis.subscriber.on('message', (channel: string, message: string) => {
    const callbacks = listeners.get(channel);
    if (!callbacks) return;
    let detail: unknown;
    try {
      detail = message === '' ? null : JSON.parse(message);
    } catch {
      return;
    }
    const event = new CustomEvent(channel, { detail });
    for (const cb of callbacks) cb(event);
  });
  const toListener = (l: EventListenerOrEventListenerObject): Listener => ('handleEvent' in l ? (e) => l.handleEvent(e) : l);
  const wrapped = new WeakMap<EventListenerOrEventListenerObject, Listener>();
  return {
    addEventListener(topic: string, l: EventListenerOrEventListenerObject | null) {
      if (!l) return;
      const cb = wrapped.get(l) ?? toListener(l);
      wrapped.set(l, cb);
      let set = listeners.get(topic);
      if (!set) {
        listeners.set(topic, (set = new Set()));
        redis.subscriber.subscribe(topic).catch((e: unknown) => logger.warn('Redis subscribe failed', { topic, error: e }));
      }
      set.add(cb);
    },
    removeEventListener(topic: string, l: EventListenerOrEventListenerObject | null) {
      const set = listeners.get(topic);
      const cb = l && wrapped.get(l);
      if (!set || !cb) return;
      set.delete(cb);
      if (set.size) return;
      listeners.delete(topic);
      redis.subscriber.unsubscribe(topic).catch(() => undefined);
    },
    dispatchEvent(event: Event) {
      const detail = (event as CustomEvent).detail;
      redis.commands.publish(event.type, detail === undefined ? '' : JSON.stringify(detail)).catch((e: unknown) => {
        // At most one line per 10 s during an outage.
        if (Date.now() - lastDropLog > 10_000) logger.warn('live event not sent: Redis unavailable', { topic: event.type, error: e });
        lastDropLog = Date.now();
      });
      return true;
    },
  };
}

export function createLivePubSub(redis: RedisClients | null, logger: Logger): PubSub {
  if (!redis) {
    // Many subscribers on one topic are normal (every dashboard watching a device): no "possible leak" warning past 10.
    const local = new EventTarget();
    setMaxListeners(0, local);
    return createPubSub<Topics>({ eventTarget: local as never });
  }
  return createPubSub<Topics>({ eventTarget: redisEventTarget(redis, logger) as never });
}
