/**
 * The GraphQL context: who is asking (the viewer), the app's services, and
 * per-request caches (dataloaders) so rules and resolvers batch their reads.
 */
import DataLoader from 'dataloader';
import { unauthenticated } from './errors';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { Role } from '../generated/prisma/enums';
import type { Config } from './config';
import type { Database } from './db/adapters';
import type { KeyStore } from './auth/keys';
import type { TokenService } from './auth/tokens';
import type { EventBus, Actor, Tx } from './events';
import type { PubSub } from './pubsub';
import type { Logger } from './logger';
import type { FieldCipher } from './crypto/field-cipher';
import type { Mailer } from './mail/mailer';
import type { JobQueue } from './jobs';
import type { RateLimiters } from './rate-limits';
import type { RedisClients } from './redis';
import type { ProcessingPurposeDefinition } from './consent/purposes';
import type { ViewerCache } from './auth/viewer-cache';

/** API-key scopes (api/auth/api-scopes.ts checks them; declared here so the Viewer type needs no import). */
export const API_SCOPES = [
  'DEVICES_READ',
  'LOCATIONS_READ',
  'LOCATIONS_WRITE',
  'SHARING_MANAGE',
  'WEBHOOKS_MANAGE',
  'ARBITRARY_OPERATIONS',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** Secrets of API keys start with this, so the viewer can route them without a lookup. */
export const API_KEY_PREFIX = 'lp_';

export interface ApiKeyService {
  /** The viewer for a presented key secret; throws UNAUTHENTICATED when it is unknown, revoked or expired. */
  authenticate(secret: string, now: Date): Promise<Viewer>;
  /** Whether the key still works (not revoked, not expired, account still there): checked on every live event. */
  isActive(keyId: string, now: Date): Promise<boolean>;
}

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
      apiKey?: {
        id: string;
        scopes: readonly ApiScope[];
        /** When the key stops working (live streams end then); null = never. */ expiresAt?: Date | null;
      };
    }
  | { kind: 'device'; deviceId: string; ownerId: string; tokenVersion: number };

export const STAFF_ROLES: Role[] = ['SUPPORT', 'MARKETING', 'DPO', 'ADMIN', 'ACCOUNTING'];

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
  /** Reasons not to delete an account yet, consulted by retention (see DeletionGuard). */
  deletionGuards: DeletionGuard[];
  /** Data categories held by plugins that the retention run purges (the retention plugin cannot import them). */
  retentionPurgers: RetentionPurger[];
  /**
   * The configured retention rules, published by the retention plugin. The
   * register of purposes links each purpose to rules by data category and
   * shows their periods; without the plugin a purpose shows its criteria only.
   */
  retentionRules?: RetentionRuleSource;
  /** What other plugins (e.g. billing) tell the retention plugin: holds and reasons not to delete an inactive account. */
  retentionGuards: RetentionGuard[];
  /** What is kept of an account after its erasure, why and until when (told to the person before and at deletion). */
  erasureNotices: ErasureNoticeSource[];
  /** Whether a customer bought something (soft opt-in for similar-product notices), published by billing. */
  purchaseCheck?: PurchaseCheck;
  /** API keys (`lp_…` bearer tokens), published by the api-keys plugin; without it such tokens are refused. */
  apiKeys?: ApiKeyService;
  /** Writes that must commit together with stored location points (e.g. the webhooks outbox); see LocationOutbox. */
  locationOutboxes: LocationOutbox[];
}

/**
 * A write that commits with stored location points, or not at all (an outbox row). Ingestion stores points in one
 * statement without a transaction, and in that statement asks every outbox's `sqlCondition` (a SQL boolean over the
 * device owner's id) whether it has something to write for the owner. Only then does it store the points in a
 * transaction and call `write` in it with the points it inserted.
 */
export interface LocationOutbox {
  sqlCondition(ownerId: Prisma.Sql): Prisma.Sql;
  write(tx: Tx, recorded: { deviceId: string; ownerId: string; points: RecordedPoint[] }): Promise<void>;
}

/** A point as this call stored it (the rows are in hand: an outbox need not read them back). */
export interface RecordedPoint {
  id: string;
  recordedAt: Date;
  latitude: number;
  longitude: number;
  accuracy: number | null;
}

export interface ConfiguredRetentionRule {
  /** e.g. LOCATION_POINTS */
  dataCategory: string;
  /** ISO-8601 duration as configured. */
  period: string;
  description: { LV: string; EN: string; RU?: string };
}

export interface RetentionRuleSource {
  list(): ConfiguredRetentionRule[];
}

export function createExtensions(): Extensions {
  return {
    exportContributors: [],
    accountAccessPolicies: [],
    deletionGuards: [],
    retentionPurgers: [],
    retentionGuards: [],
    erasureNotices: [],
    locationOutboxes: [],
  };
}

/** What a retention purge of one category sees: the cutoff (now minus the period) and the accounts under a legal hold. */
export interface PurgeScope {
  app: AppServices;
  now: Date;
  cutoff: Date;
  held: string[];
  /** Runs `fn` once the batch's transaction has committed (e.g. 'account.deleted' for an erased account); absent outside a run. */
  afterCommit?(fn: () => Promise<void>): void;
}

/**
 * A plugin's data category under a retention rule: it states its period (from its own settings) and deletes its
 * expired rows; the retention plugin lists the rule, runs it with the others (batches, dry runs, holds, audit).
 */
export interface RetentionPurger {
  /** e.g. REJECTED_FIXES */
  dataCategory: string;
  /** Environment variable of the period, for the documentation. */
  env: string;
  /** ISO-8601 duration. */
  period(app: AppServices): string;
  description: { LV: string; EN: string; RU?: string };
  /** Rows to delete (excluding held ones) and rows kept only because of a hold. */
  count(s: PurgeScope): Promise<{ eligible: number; held: number }>;
  /** Deletes one bounded batch inside tx; returns how many rows went (0 = done). */
  deleteBatch(s: PurgeScope, tx: Tx, limit: number): Promise<number>;
}

/** The database or a transaction (inside a transaction on PGlite, use the transaction only). */
export type Db = PrismaClient | Tx;

/**
 * A plugin's say in retention. `heldAccounts`: accounts that nothing may purge
 * or erase now, like a legal hold (e.g. an open debt case). `keepFromInactivity`:
 * accounts whose inactivity period ended (last activity before `cutoff`) but
 * that must not be deleted for inactivity (e.g. a contract runs, or ended
 * after `cutoff`: the inactivity period then counts from the contract's end).
 */
export interface RetentionGuard {
  name: string;
  heldAccounts?(db: Db, now: Date): Promise<string[]>;
  keepFromInactivity?(db: Db, cutoff: Date, now: Date): Promise<string[]>;
}

/** Records kept after an account's erasure: which, why (purpose and its legal basis) and until when. */
export interface ErasureNotice {
  dataCategory: string;
  purpose: string;
  count: number;
  /** Why, in the person's words. */
  reason: { LV: string; EN: string; RU?: string };
  /** The latest date any of them is kept to; null while a debt case or similar is open. */
  keptUntil: Date | null;
}
export type ErasureNoticeSource = (db: Db, app: AppServices, accountId: string) => Promise<ErasureNotice[]>;

/** Soft opt-in needs a purchase: the SQL condition over an "Account" row alias, and the same for one account. */
export interface PurchaseCheck {
  sqlCondition(accountAlias: string): Prisma.Sql;
  hasBought(db: Db, accountId: string): Promise<boolean>;
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

/** What of an account's data a reader needs: PROFILE (profile and devices), LOCATIONS (history), UNMASKED (personal code, IBAN). */
export type AccessScope = 'PROFILE' | 'LOCATIONS' | 'UNMASKED';

export type AccountAccessPolicy = (ctx: Context, accountId: string, scope: AccessScope) => Promise<boolean>;

/**
 * Asked by retention before it deletes an account or the data that goes with
 * it (e.g. its exports): the accounts that must be kept now, each with a
 * reason code (e.g. OPEN_REQUEST from the rights plugin; billing may add its
 * own). Retention counts them as held under that reason.
 */
export interface DeletionGuard {
  /** Reason code, e.g. OPEN_REQUEST. */
  reason: string;
  /** Ids of the accounts this guard holds at `now`. */
  heldAccountIds(app: AppServices, now: Date): Promise<string[]>;
}

/** Long-lived services shared by every request of one server instance. */
export interface AppServices {
  config: Config;
  db: Database;
  prisma: PrismaClient;
  keys: KeyStore;
  tokens: TokenService;
  /** Sessions and device tokens between requests, forgotten on every change (api/auth/viewer-cache.ts). */
  viewerCache: ViewerCache;
  cipher: FieldCipher;
  events: EventBus;
  pubsub: PubSub;
  /** Redis connections when REDIS_URL is set (live events, shared rate limits), else null. */
  redis: RedisClients | null;
  /** Per-client limits (api/rate-limits.ts). */
  limiters: RateLimiters;
  logger: Logger;
  mailer: Mailer;
  /** Background jobs: `jobs.send(name, payload)` for a worker a plugin declares (api/jobs.ts). */
  jobs: JobQueue;
  /** Names of the plugins that are on. */
  plugins: string[];
  /** The register of processing purposes (core's and every enabled plugin's). */
  purposes: ProcessingPurposeDefinition[];
  /** What plugins publish for core and for each other (typed slots, see extensions.ts). */
  extensions: Extensions;
}

export interface Context {
  app: AppServices;
  viewer: Viewer;
  request: Request;
  /** The client's address (socket, or X-Forwarded-For behind TRUST_PROXY hops): the key of per-client limits. */
  clientAddress: string;
  /**
   * Per-request loader cache: `loader(key, batchFn)` returns the same DataLoader for the same key. Keys that are
   * not strings are told apart by JSON text, unless `cacheKey` says how (cheaper on hot paths).
   */
  loader<K, V>(key: string, batch: (keys: readonly K[]) => Promise<(V | Error)[]>, cacheKey?: (key: K) => string): DataLoader<K, V, string>;
  /** Per-request memo for anything else (rule results, computed access). */
  memo: Map<string, unknown>;
  /**
   * Forgets the loaders and the memo. A subscription keeps one context for its whole life: each event is resolved
   * with fresh access decisions (a grant revoked since the last event must not be read from the cache).
   */
  resetCaches(): void;
}

export function createContext(app: AppServices, viewer: Viewer, request: Request, clientAddress = 'unknown'): Context {
  const loaders = new Map<string, DataLoader<unknown, unknown, string>>();
  return {
    app,
    viewer,
    request,
    clientAddress,
    memo: new Map(),
    resetCaches() {
      loaders.clear();
      this.memo.clear();
    },
    loader<K, V>(key: string, batch: (keys: readonly K[]) => Promise<(V | Error)[]>, cacheKey?: (key: K) => string) {
      let l = loaders.get(key) as DataLoader<K, V, string> | undefined;
      if (!l) {
        l = new DataLoader<K, V, string>(batch, { cacheKeyFn: cacheKey ?? ((k) => (typeof k === 'string' ? k : JSON.stringify(k))) });
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
