/**
 * The GraphQL context: who is asking (the viewer), the app's services, and
 * per-request caches (dataloaders) so rules and resolvers batch their reads.
 */
import DataLoader from 'dataloader';
import type { PrismaClient } from '../generated/prisma/client';
import type { Role } from '../generated/prisma/enums';
import type { Config } from './config';
import type { Database } from './db/adapters';
import type { KeyStore } from './auth/keys';
import type { TokenService } from './auth/tokens';
import type { EventBus, Actor } from './events';
import type { PubSub } from './pubsub';
import type { Logger } from './logger';
import type { FieldCipher } from './crypto/field-cipher';

export type Viewer =
  | { kind: 'anonymous' }
  | { kind: 'account'; accountId: string; sessionId: string; roles: Role[]; status: string }
  | { kind: 'device'; deviceId: string; ownerId: string };

export const STAFF_ROLES: Role[] = ['SUPPORT', 'MARKETING', 'DPO', 'ADMIN'];

/** Long-lived services shared by every request of one server instance. */
export interface AppServices {
  config: Config;
  db: Database;
  prisma: PrismaClient;
  keys: KeyStore;
  tokens: TokenService;
  cipher: FieldCipher;
  events: EventBus;
  pubsub: PubSub;
  logger: Logger;
  /** Names of the plugins that are on. */
  plugins: string[];
  /** Services plugins publish for each other (e.g. audit logging), keyed by name. */
  registry: Map<string, unknown>;
}

export interface Context {
  app: AppServices;
  viewer: Viewer;
  request: Request;
  /** Per-request loader cache: `loader(key, batchFn)` returns the same DataLoader for the same key. */
  loader<K, V>(key: string, batch: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V, string>;
  /** Per-request memo for anything else (rule results, computed access). */
  memo: Map<string, unknown>;
}

export function createContext(app: AppServices, viewer: Viewer, request: Request): Context {
  const loaders = new Map<string, DataLoader<unknown, unknown, string>>();
  return {
    app,
    viewer,
    request,
    memo: new Map(),
    loader<K, V>(key: string, batch: (keys: readonly K[]) => Promise<(V | Error)[]>) {
      let l = loaders.get(key) as DataLoader<K, V, string> | undefined;
      if (!l) {
        l = new DataLoader<K, V, string>(batch, { cacheKeyFn: (k) => (typeof k === 'string' ? k : JSON.stringify(k)) });
        loaders.set(key, l as DataLoader<unknown, unknown, string>);
      }
      return l;
    },
  };
}

export function viewerAccountId(viewer: Viewer): string | null {
  return viewer.kind === 'account' ? viewer.accountId : null;
}

export function isStaff(viewer: Viewer): boolean {
  return viewer.kind === 'account' && viewer.roles.some((r) => STAFF_ROLES.includes(r));
}

export function hasRole(viewer: Viewer, ...roles: Role[]): boolean {
  return viewer.kind === 'account' && viewer.roles.some((r) => roles.includes(r));
}

export function actorOf(viewer: Viewer): Actor {
  if (viewer.kind === 'device') return { kind: 'DEVICE', accountId: viewer.ownerId, deviceId: viewer.deviceId };
  if (viewer.kind === 'account') return { kind: isStaff(viewer) ? 'STAFF' : 'CUSTOMER', accountId: viewer.accountId };
  return { kind: 'SYSTEM', accountId: null };
}
