/**
 * /ready: may this instance take traffic? Checks the database, Redis (when
 * REDIS_URL is set) and any extra checks (e.g. that this instance's token
 * issuer and keys match the ones recorded in the shared database). Each
 * failing check names a reason, so an operator sees why an instance is out.
 */
import type { AppServices } from '../../api/context';

export type ReadinessCheck = () => Promise<string | null>;

export interface Readiness {
  /** Adds a named check: it returns null when fine, else the reason. */
  add(name: string, check: ReadinessCheck): void;
  respond(): Promise<Response>;
  close(): Promise<void>;
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms).unref())]);

export function createReadiness(services: AppServices): Readiness {
  const checks = new Map<string, ReadinessCheck>();
  const closers: (() => Promise<void>)[] = [];
  checks.set('database', async () => {
    await withTimeout(services.prisma.$queryRawUnsafe('SELECT 1'), 3000, 'database query');
    return null;
  });
  const redisUrl = services.config.redisUrl;
  if (redisUrl) {
    let client: import('ioredis').Redis | undefined;
    checks.set('redis', async () => {
      if (!client) {
        const { Redis } = await import('ioredis');
        client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 2000 });
        client.on('error', () => {}); // reported through the check, not as an unhandled event
        closers.push(async () => client?.disconnect());
      }
      if (client.status === 'wait' || client.status === 'end') await withTimeout(client.connect(), 2500, 'redis connect');
      const pong = await withTimeout(client.ping(), 2000, 'redis ping');
      return pong === 'PONG' ? null : `unexpected reply ${pong}`;
    });
  }
  return {
    add: (name, check) => void checks.set(name, check),
    respond: async () => {
      const results: Record<string, string> = {};
      let ready = true;
      for (const [name, check] of checks) {
        try {
          const problem = await check();
          results[name] = problem ?? 'ok';
          if (problem) ready = false;
        } catch (e) {
          ready = false;
          results[name] = e instanceof Error ? e.message : String(e);
        }
      }
      return new Response(JSON.stringify({ status: ready ? 'ready' : 'unavailable', checks: results }), {
        status: ready ? 200 : 503,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      });
    },
    close: async () => {
      for (const c of closers) await c();
    },
  };
}
