/**
 * /ready: may this instance take traffic? Checks the database, Redis (when
 * REDIS_URL is set) and any extra checks (e.g. that this instance's token
 * issuer and keys match the ones recorded in the shared database). Each
 * failing check names a reason, so an operator sees why an instance is out.
 *
 * Redis is reported but does not make the instance unready: every instance
 * shares one Redis, so taking them all out of rotation would turn "live
 * delivery across instances pauses" into a full outage (HTTP and ingestion
 * work without Redis; docs/security.md).
 */
import type { AppServices } from '../../api/context';

export type ReadinessCheck = () => Promise<string | null>;

export interface Readiness {
  /** Adds a named check: it returns null when fine, else the reason. */
  add(name: string, check: ReadinessCheck, options?: { critical?: boolean }): void;
  respond(): Promise<Response>;
  close(): Promise<void>;
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms).unref())]);

export function createReadiness(services: AppServices): Readiness {
  const checks = new Map<string, ReadinessCheck>();
  const reportOnly = new Set<string>();
  const closers: (() => Promise<void>)[] = [];
  checks.set('database', async () => {
    await withTimeout(services.prisma.$queryRawUnsafe('SELECT 1'), 3000, 'database query');
    return null;
  });
  if (services.redis) {
    const redis = services.redis;
    reportOnly.add('redis');
    checks.set('redis', async () => (redis.up() ? null : 'down: live delivery to other instances is paused until it is back'));
  }
  return {
    add: (name, check, options) => {
      checks.set(name, check);
      if (options?.critical === false) reportOnly.add(name);
    },
    respond: async () => {
      const results: Record<string, string> = {};
      let ready = true;
      for (const [name, check] of checks) {
        try {
          const problem = await check();
          results[name] = problem ?? 'ok';
          if (problem && !reportOnly.has(name)) ready = false;
        } catch (e) {
          if (!reportOnly.has(name)) ready = false;
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
