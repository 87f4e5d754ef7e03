/**
 * Live-update channel behind one interface. In-memory by default; with
 * REDIS_URL set, events travel through Redis so several instances serve the
 * same subscriptions (payloads are JSON).
 */
import { createPubSub } from 'graphql-yoga';

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
  /** Access to a device may have changed (grant revoked, link revoked, device removed). */
  'access:device': [deviceId: string, change: { reason: string }];
  /** The account's credentials changed (e.g. an API key revoked): its open streams re-check at once. */
  'access:account': [accountId: string, change: { reason: string }];
  [topic: string]: [string, unknown] | [unknown];
}

export type PubSub = ReturnType<typeof createPubSub<Topics>>;

export async function createLivePubSub(redisUrl: string | null): Promise<{ pubsub: PubSub; close(): Promise<void> }> {
  if (!redisUrl) return { pubsub: createPubSub<Topics>(), close: async () => {} };
  // Loaded only when configured, so the default install needs no Redis client.
  const { createRedisEventTarget } = await import('@graphql-yoga/redis-event-target');
  const { Redis } = await import('ioredis');
  const publishClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const subscribeClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  return {
    pubsub: createPubSub<Topics>({ eventTarget }),
    close: async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
