/**
 * The Redis connections of one instance (only when REDIS_URL is set): one for
 * commands (publishing live events, shared rate-limit counters) and one in
 * subscriber mode. A Redis outage must never take the server down: commands
 * fail fast instead of queueing (callers fall back or drop the event and
 * log), both clients reconnect by themselves, and the subscriber re-subscribes
 * its channels when Redis is back. `up()` feeds /ready.
 */
import type { Redis } from 'ioredis';
import type { Logger } from './logger';

export interface RedisClients {
  /** Commands: PUBLISH, rate-limit counters. Fails fast while disconnected. */
  commands: Redis;
  /** Subscriber mode (SUBSCRIBE waits for the connection; channels are re-subscribed after a reconnect). */
  subscriber: Redis;
  up(): boolean;
  close(): Promise<void>;
}

export async function openRedis(url: string, logger: Logger): Promise<RedisClients> {
  // Loaded only when configured, so the default install needs no Redis client.
  const { Redis } = await import('ioredis');
  const retryStrategy = (attempt: number) => Math.min(attempt * 200, 2000);
  const commands = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy });
  const subscriber = new Redis(url, { maxRetriesPerRequest: null, autoResubscribe: true, retryStrategy });
  let down = false;
  for (const [name, client] of [
    ['commands', commands],
    ['subscriber', subscriber],
  ] as const) {
    client.on('error', (e: Error) => {
      if (down) return;
      down = true;
      logger.error('Redis unreachable: live updates across instances pause, rate limits fall back to this instance', {
        client: name,
        error: e,
      });
    });
    client.on('ready', () => {
      if (!down) return;
      down = false;
      logger.warn('Redis reachable again', { client: name });
    });
  }
  return {
    commands,
    subscriber,
    up: () => commands.status === 'ready' && subscriber.status === 'ready',
    close: async () => {
      commands.disconnect();
      subscriber.disconnect();
    },
  };
}
