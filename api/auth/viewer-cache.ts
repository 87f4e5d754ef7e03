/**
 * Who a token belongs to, remembered between requests: an access token's
 * session (its account, roles, status, whether it was revoked) and a device
 * token's device (owner, token version). Without it every request reads the
 * session or device row first (issue 18: a history page in 2 statements, not 3).
 *
 * It is only as good as its invalidation, so:
 * - Every write that can change an answer fires a database trigger that
 *   NOTIFYs 'viewer_changed' on commit (migration viewer_change_notifications):
 *   whoever writes (a resolver, a job, the admin CLI, another instance), every
 *   instance hears it and forgets that account or device.
 * - In this process, every write through the Prisma client to those columns
 *   forgets at once (forgetOnWrites), and so do the paths that end access
 *   (logout, refresh-token reuse, password change, role change, token
 *   rotation, device removal, restriction): the next request of the same
 *   client never depends on how fast the notification travels.
 * - While the listener is not connected (PostgreSQL restarted, network) nothing
 *   is cached or served from the cache: every request reads the database.
 * - A read that overlaps a notification is not stored (the generation check),
 *   so a row read just before a change commits cannot outlive the change.
 * Expiry times are checked on every use; entries are bounded in number.
 */
import type { PrismaClient } from '../../generated/prisma/client';
import type { Role } from '../../generated/prisma/enums';
import type { ListenHandlers } from '../db/listen';

export interface CachedSession {
  accountId: string;
  revokedAt: Date | null;
  expiresAt: Date;
  roles: Role[];
  status: string;
  lastActiveAt: Date;
}

export interface CachedDevice {
  ownerId: string;
  tokenVersion: number;
  ownerLastActiveAt: Date;
}

export const VIEWER_CHANGED_CHANNEL = 'viewer_changed';

export class ViewerCache {
  private readonly sessions = new Map<string, CachedSession>();
  private readonly devices = new Map<string, CachedDevice>();
  /** Bumped by every notification and every local forget: a read that started before a bump is not stored. */
  private gen = 0;
  private listening = false;

  constructor(private readonly maxEntries = 10_000) {}

  /** For db.listen(VIEWER_CHANGED_CHANNEL, …). */
  readonly handlers: ListenHandlers = {
    message: (payload) => {
      if (payload.startsWith('d:')) this.forgetDevice(payload.slice(2));
      else if (payload.startsWith('a:')) this.forgetAccount(payload.slice(2));
      else this.clear();
    },
    state: (listening) => {
      this.clear();
      this.listening = listening;
    },
  };

  /** Read before going to the database; pass to store*(). */
  get generation(): number {
    return this.gen;
  }

  session(sessionId: string): CachedSession | undefined {
    return this.listening ? this.sessions.get(sessionId) : undefined;
  }

  device(deviceId: string): CachedDevice | undefined {
    return this.listening ? this.devices.get(deviceId) : undefined;
  }

  storeSession(sessionId: string, value: CachedSession, readAtGeneration: number) {
    if (this.listening && readAtGeneration === this.gen) put(this.sessions, sessionId, value, this.maxEntries);
  }

  storeDevice(deviceId: string, value: CachedDevice, readAtGeneration: number) {
    if (this.listening && readAtGeneration === this.gen) put(this.devices, deviceId, value, this.maxEntries);
  }

  /** The account's sessions, roles or status changed (or it is gone); its devices' owner data with it. */
  forgetAccount(accountId: string) {
    this.gen++;
    for (const [id, s] of this.sessions) if (s.accountId === accountId) this.sessions.delete(id);
    for (const [id, d] of this.devices) if (d.ownerId === accountId) this.devices.delete(id);
  }

  forgetSession(sessionId: string) {
    this.gen++;
    this.sessions.delete(sessionId);
  }

  forgetDevice(deviceId: string) {
    this.gen++;
    this.devices.delete(deviceId);
  }

  clear() {
    this.gen++;
    this.sessions.clear();
    this.devices.clear();
  }

  get size(): number {
    return this.sessions.size + this.devices.size;
  }
}

/** The columns the triggers watch (migration viewer_change_notifications); a write to others changes no answer. */
const WATCHED = {
  account: ['roles', 'status'],
  session: ['accountId', 'revokedAt', 'expiresAt'],
  device: ['ownerId', 'tokenVersion'],
} as const;

const CHANGES = new Set(['update', 'updateMany', 'updateManyAndReturn', 'upsert', 'delete', 'deleteMany']);

type Model = keyof typeof WATCHED;

/**
 * The Prisma client, extended so that a write through it to a watched column of Account, Session or Device
 * forgets the entry as soon as the write returns (the triggers' NOTIFY comes after commit, which for a
 * write inside a transaction is later; other instances rely on that).
 */
export function forgetOnWrites(prisma: PrismaClient, cache: ViewerCache): PrismaClient {
  const forgetting = (model: Model) => ({
    async $allOperations({ operation, args, query }: { operation: string; args: unknown; query: (a: unknown) => Promise<unknown> }) {
      const result = await query(args);
      if (CHANGES.has(operation) && touchesWatched(model, args)) forget(cache, model, (args as { where?: Record<string, unknown> }).where);
      return result;
    },
  });
  return prisma.$extends({
    query: { account: forgetting('account'), session: forgetting('session'), device: forgetting('device') },
  }) as unknown as PrismaClient;
}

function touchesWatched(model: Model, args: unknown): boolean {
  const { data, update } = (args ?? {}) as { data?: object; update?: object };
  const written = data ?? update;
  if (!written) return true; // delete, deleteMany
  return WATCHED[model].some((column) => column in written);
}

function forget(cache: ViewerCache, model: Model, where: Record<string, unknown> | undefined) {
  const id = typeof where?.id === 'string' ? where.id : null;
  if (model === 'account' && id) return cache.forgetAccount(id);
  if (model === 'device' && id) return cache.forgetDevice(id);
  if (model === 'session' && id) return cache.forgetSession(id);
  if (model === 'session' && typeof where?.accountId === 'string') return cache.forgetAccount(where.accountId);
  cache.clear();
}

/** Insertion order is age: past the bound the oldest entry goes. */
function put<V>(map: Map<string, V>, key: string, value: V, max: number) {
  map.delete(key);
  if (map.size >= max) map.delete(map.keys().next().value!);
  map.set(key, value);
}
