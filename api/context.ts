/**
 * The GraphQL context: who is asking (the viewer), the app's services, and
 * per-request caches (dataloaders) so rules and resolvers batch their reads.
 */
import DataLoader from 'dataloader';
import { unauthenticated } from './errors';
import type { PrismaClient } from '../generated/prisma/client';
import type { Role } from '../generated/prisma/enums';
import type { Config } from './config';
import type { Database } from './db/adapters';
import type { KeyStore } from './auth/keys';
import type { TokenService } from './auth/tokens';
import type { EventBus, Actor, Tx } from './events';
import type { PubSub } from './pubsub';
import type { Logger } from './logger';
import type { FieldCipher } from './crypto/field-cipher';
import type { ApiKeyService, ApiScope } from './auth/api-scopes';

export type Viewer =
  | { kind: 'anonymous' }
  | {
      kind: 'account';
      accountId: string;
      /** The session of an access token; empty for an API key. */
      sessionId: string;
      roles: Role[];
      status: string;
      /** Set when the request came with an API key: the viewer is limited to its scopes (api/auth/api-scopes.ts). */
      apiKey?: { id: string; scopes: readonly ApiScope[] };
    }
  | { kind: 'device'; deviceId: string; ownerId: string };

export const STAFF_ROLES: Role[] = ['SUPPORT', 'MARKETING', 'DPO', 'ADMIN'];

/**
 * Extension points that plugins fill in and core reads: a typed object, one
 * member per slot (no string-keyed registry). Core declares the slots it
 * consumes here; a plugin that publishes a service for other plugins adds its
 * own member by declaration merging:
 *
 *   declare module '../../api/context' {
 *     interface Extensions { myService?: MyService }
 *   }
 *
 * Lists start empty and optional services start absent, so core works with
 * every plugin off.
 */
export interface Extensions {
  /** Sections of a person's data export held by plugins (cookies, marketing, access log...). */
  exportContributors: ExportContributor[];
  /** Extra reasons a viewer may read an account's data (e.g. staff with an open access case). */
  accountAccessPolicies: AccountAccessPolicy[];
  /** The audit log, published by the audit plugin; recording is a no-op without it. */
  audit?: AuditService;
  /** API keys (`lp_…` bearer tokens), published by the api-keys plugin; without it such tokens are refused. */
  apiKeys?: ApiKeyService;
}

export function createExtensions(): Extensions {
  return { exportContributors: [], accountAccessPolicies: [] };
}

export interface AuditEntry {
  /** e.g. account.read, data.exported, account.erased, retention.purged */
  action: string;
  actor: Actor;
  /** Plain account id (no foreign key): the log outlives erased accounts. */
  subjectAccountId?: string | null;
  accessCaseId?: string | null;
  /** JSON-safe details; never passwords, tokens, personal codes, IBANs or coordinates. */
  details?: Record<string, unknown>;
}

export interface AuditService {
  /** Appends an event inside the caller's transaction, so it commits or rolls back with the change it records. */
  record(tx: Tx, entry: AuditEntry): Promise<void>;
  /** Deletes up to `limit` of the oldest events older than `before` (retention); returns how many. */
  purgeBefore(tx: Tx, before: Date, limit: number): Promise<number>;
  /** Counts the events a purge before `before` would delete. */
  countBefore(before: Date): Promise<number>;
}

export interface ExportContributor {
  /** Key in the JSON export, e.g. "cookieConsents", "marketing", "accessLog". */
  section: string;
  /** Every personal datum this plugin holds on the account, JSON-safe. */
  collect(app: AppServices, accountId: string): Promise<unknown>;
}

export type AccountAccessPolicy = (ctx: Context, accountId: string) => Promise<boolean>;

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
  /** What plugins publish for core and for each other (typed slots, see extensions.ts). */
  extensions: Extensions;
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

/** The signed-in account, or UNAUTHENTICATED (rules normally refuse earlier; this keeps resolvers total). */
export function requireAccount(viewer: Viewer): Extract<Viewer, { kind: 'account' }> {
  if (viewer.kind !== 'account') throw unauthenticated();
  return viewer;
}

/** The authenticated device (device token), or UNAUTHENTICATED. */
export function requireDevice(viewer: Viewer): Extract<Viewer, { kind: 'device' }> {
  if (viewer.kind !== 'device') throw unauthenticated('Send the device token.');
  return viewer;
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
