/**
 * The plugin API: the one module plugins import from (besides generated/ and
 * their own folder). A plugin is a folder plugins/<name>/ whose index.ts
 * default-exports `definePlugin({...})`. Everything it adds is declared there:
 *
 * - models:    its own plugins/<name>/schema.prisma, merged into the one Prisma
 *              schema by `npm run generate` (listed in `models` for the docs);
 * - schema:    Pothos types and fields, including fields on core types;
 * - rules:     graphql-shield rules for every type and field it adds;
 * - purposes:  entries for the public register of processing purposes;
 * - personalData: which fields of its models hold which personal-data categories
 *              (checked against the purposes by test/register.test.ts);
 * - events:    the names of the events it emits (payload types by declaration
 *              merging into PluginEvents, see api/events.ts);
 * - config:    its settings slot, parsed and validated at start with all the
 *              rest of the configuration (defineConfigSlot);
 * - hooks:     reactions to core and plugin events;
 * - jobs:      scheduled work (interval in seconds), run once per interval across instances;
 * - workers:   handlers of queued jobs that anyone enqueues with `app.jobs.send(name, payload)`;
 * - routes:    extra HTTP routes (fetch-style handlers);
 * - commands:  admin CLI subcommands (`npm run admin -- <name>`);
 * - setup:     start-up work, e.g. publishing a service in app.extensions.
 *
 * Core never imports a plugin: the loader (server/plugin-loader.ts) finds
 * plugins by folder name and PLUGINS (default: every bundled plugin) decides
 * which are on. The re-exports below are the domain services and GraphQL
 * helpers a plugin may use; anything not listed here is core's internal.
 */
import type { AppServices, Context } from '../api/context';
import type { AllEvents, EventMeta, EventName } from '../api/events';
import type { ConfigSlot } from '../api/config';
import type { RuleMap } from './permissions/kit';
import type { Builder } from './builder';
import type { CoreRefs } from './core-refs';
import type { ProcessingPurposeDefinition } from '../api/consent/purposes';
import type { JobName, JobPayloads, JobQueue, SendOptions as JobSendOptions } from '../api/jobs';
import type { PersonalDataMap } from '../api/consent/personal-data';
import type { ApiScopeMap } from './permissions/api-scopes';

export interface PluginJob {
  name: string;
  /** Seconds between runs; read from the app's configuration if a function. */
  everySeconds: number | ((app: AppServices) => number);
  run(app: AppServices): Promise<unknown>;
}

/**
 * A worker for queued jobs: `app.jobs.send(name, payload)` enqueues, this runs
 * it (once, on one instance; retried with backoff when it throws). Type the
 * payload by declaration merging into JobPayloads (api/jobs.ts).
 */
export interface PluginWorker<N extends string = JobName> {
  /** Queue name, starting with the plugin's name: `<plugin>.<what>`. */
  name: N;
  work(app: AppServices, payload: N extends keyof JobPayloads ? JobPayloads[N] : unknown): Promise<unknown>;
}

export interface PluginRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';
  /** Exact path, e.g. /ingest/osmand. */
  path: string;
  handler(request: Request, app: AppServices): Promise<Response> | Response;
}

export interface PluginCommand {
  /** Subcommand name, e.g. `retention` for `npm run admin -- retention`. */
  name: string;
  usage: string;
  /** Runs with the app started (database migrated); prints its result; throws to fail. */
  run(app: AppServices, args: string[]): Promise<void>;
}

export type PluginHooks = {
  [E in EventName]?: (payload: AllEvents[E], meta: EventMeta, app: AppServices) => Promise<void> | void;
};

export interface PluginDefinition {
  /** Folder name under plugins/. */
  name: string;
  description: string;
  /** Prisma models this plugin owns (declared in its schema.prisma). */
  models?: string[];
  /** Events this plugin emits (type their payloads in PluginEvents). */
  events?: readonly string[];
  /** This plugin's settings, validated at start with the rest of the configuration. */
  config?: ConfigSlot<unknown>;
  schema?(builder: Builder, refs: CoreRefs): void;
  rules?: RuleMap | ((refs: CoreRefs) => RuleMap);
  /** Root fields (and others) API keys may use, with the scope each needs ('ANY': any key); see permissions/api-scopes.ts. */
  apiScopes?: ApiScopeMap;
  purposes?: ProcessingPurposeDefinition[];
  /** Personal-data categories per field of its models (and of fields it adds to core models). */
  personalData?: PersonalDataMap;
  hooks?: PluginHooks;
  jobs?: PluginJob[];
  workers?: PluginWorker<any>[];
  routes?: PluginRoute[];
  commands?: PluginCommand[];
  /** Publishes services (app.extensions) and checks what configuration cannot; throw to refuse to start. */
  setup?(app: AppServices): Promise<void> | void;
  /** Idempotent demo data for `npm run db:seed`. */
  seed?(app: AppServices): Promise<void>;
}

export function definePlugin(definition: PluginDefinition): PluginDefinition {
  if (!/^[a-z][a-z0-9-]*$/.test(definition.name)) throw new Error(`plugin name must be a folder name: ${definition.name}`);
  if (definition.config && definition.config.plugin !== definition.name) {
    throw new Error(`plugin ${definition.name}: its config slot is named ${definition.config.plugin}`);
  }
  for (const worker of definition.workers ?? []) {
    if (!String(worker.name).startsWith(`${definition.name}.`)) {
      throw new Error(`plugin ${definition.name}: worker ${String(worker.name)} must start with "${definition.name}."`);
    }
  }
  for (const event of definition.events ?? []) {
    if (!event.startsWith(`${definition.name}.`))
      throw new Error(`plugin ${definition.name}: event ${event} must start with "${definition.name}."`);
  }
  return definition;
}

export type { AppServices, Context, Builder, CoreRefs, RuleMap, ConfigSlot };
export type { AllEvents, EventMeta, EventName };
export type { JobName, JobPayloads, JobQueue, JobSendOptions };

// ---- What plugins may use of core ------------------------------------------------------------
export { eraseAccount, eraseAccountInTx, erasureNoticesFor } from '../api/accounts/erasure';
export { MailDeliveryError, requestEmailChange } from '../api/accounts/email-verification';
export { renderMail } from '../api/mail/templates';
export { cleanIdentifier } from '../api/devices/device-service';
export { publishAccountDevicesAccessChange, publishAccountAccessChange } from '../api/sharing/notify';
export type { AccessScope, DeletionGuard } from '../api/context';
export type { Role } from '../generated/prisma/enums';
export { auditService, recordAudit } from '../api/audit';
export type { AuditEntry, AuditService } from '../api/audit';
export { updateProfile } from '../api/auth/account-service';
export type { UpdateProfileInput } from '../api/auth/account-service';
export { verifyPassword } from '../api/auth/passwords';
export { API_KEY_PREFIX, API_SCOPES, requireScope, scopeAllows, viewerScopes } from '../api/auth/api-scopes';
export type { ApiKeyService, ApiScope } from '../api/auth/api-scopes';
export type { ApiScopeMap } from './permissions/api-scopes';
export { hashToken } from '../api/auth/sessions';
export { InvalidTokenError } from '../api/auth/tokens';
export { viewerFromToken } from '../api/auth/viewer';
export { ConfigError, EEA_REGIONS, defineConfigSlot, loadConfig, readDurationSetting } from '../api/config';
export type { Config } from '../api/config';
export { currentPolicyDocument, subjectAccount } from '../api/consent/consent-service';
export { appendConsentRecord, appendContactConsentRecord, signReceipt } from '../api/consent/ledger';
export { publishPolicyDocument } from '../api/consent/policy-documents';
export type { AutomatedDecisionDefinition, ProcessingPurposeDefinition } from '../api/consent/purposes';
export type { PersonalDataMap } from '../api/consent/personal-data';
export type { ConfiguredRetentionRule, RetentionRuleSource } from '../api/context';
export { STAFF_ROLES, actorOf, hasRole, isStaff, requireAccount, requireDevice } from '../api/context';
export { decodeAnyId, idOf, rawId, requireId } from '../api/global-ids';
export { mask } from '../api/crypto/field-cipher';
export { normalizeIban } from '../api/validation/identity';
export type { Db, ErasureNotice, LocationOutbox, PurchaseCheck, PurgeScope, RetentionGuard, RetentionPurger, Viewer } from '../api/context';
export { purgeRows, type OwnedBy, type PurgeRowsSpec } from '../api/retention/purge-rows';
export {
  detachedPartitions,
  detachPartitions,
  expiredPartitions,
  listPartitions,
  MAX_PARTITIONS_PER_DROP,
  partitionsToPurge,
  reclaimDetached,
} from '../api/locations/partitions';
export {
  badInput,
  conflict,
  forbidden,
  identityVerificationRequired,
  isAppError,
  notFound,
  rateLimited,
  unauthenticated,
} from '../api/errors';
export { clientAddressOf } from '../api/client-address';
export type { Mailer, MailMessage } from '../api/mail/mailer';
export { normalizeEmail } from '../api/validation/identity';
export type { Actor, Tx } from '../api/events';
export { addExportContributor, exportContributors } from '../api/export-contributors';
export type { ExportContributor } from '../api/export-contributors';
export { MAX_POINTS_PER_CALL, ingestLocations } from '../api/locations/ingest';
export type { IngestPoint, IngestResult } from '../api/locations/ingest';
export { accountSummary } from '../api/accounts/summaries';
export { accountReadable, registerAccountAccessPolicy } from '../api/permissions/policy';
export { grantActiveFor } from '../api/sharing/status';
export { addDuration, parseDuration, parseIsoDuration, subtractDuration } from '../api/util/duration';
export { canReadAccount } from './accounts/rules';
export { viewerOwnsDevice } from './devices/rules';
export { profileInputFields } from './accounts/types';
export { supportWhenForAnotherAccount } from './consent/rules';
export { localized } from './core-refs';
export type { AccountSummaryShape, Texts } from './core-refs';
export { allow, and, chain, defineRule, hasAnyRole, isAccount, isStaffMember } from './permissions/kit';
export type { PointRow as StoredPointRow } from '../api/locations/store-points';
