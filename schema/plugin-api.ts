/**
 * The plugin API. A plugin is a folder plugins/<name>/ whose index.ts default-
 * exports `definePlugin({...})`. Everything it adds is declared here:
 *
 * - models:    its own plugins/<name>/schema.prisma, merged into the one Prisma
 *              schema by `npm run generate` (listed in `models` for the docs);
 * - schema:    Pothos types and fields, including fields on core types;
 * - rules:     graphql-shield rules for every type and field it adds;
 * - purposes:  entries for the public register of processing purposes;
 * - hooks:     reactions to core events (account registered/deleted, device
 *              removed, location recorded, consent changed, ...);
 * - jobs:      scheduled work (interval in seconds);
 * - routes:    extra HTTP routes (fetch-style handlers);
 * - setup:     start-up work, e.g. publishing a service for other plugins.
 *
 * Core never imports a plugin: the loader finds plugins by folder name and
 * PLUGINS (default: every bundled plugin) decides which are on.
 */
import type { AppServices, Context } from '../api/context';
import type { CoreEvents, EventMeta, EventName } from '../api/events';
import type { RuleMap } from './permissions/kit';
import type { Builder } from './builder';
import type { CoreRefs } from './core-refs';
import type { ProcessingPurposeDefinition } from '../api/consent/purposes';

export interface PluginJob {
  name: string;
  /** Seconds between runs; read from the app's configuration if a function. */
  everySeconds: number | ((app: AppServices) => number);
  run(app: AppServices): Promise<unknown>;
}

export interface PluginRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';
  /** Exact path, e.g. /ingest/osmand. */
  path: string;
  handler(request: Request, app: AppServices): Promise<Response> | Response;
}

export type PluginHooks = {
  [E in EventName]?: (payload: CoreEvents[E], meta: EventMeta, app: AppServices) => Promise<void> | void;
};

export interface PluginDefinition {
  /** Folder name under plugins/. */
  name: string;
  description: string;
  /** Prisma models this plugin owns (declared in its schema.prisma). */
  models?: string[];
  schema?(builder: Builder, refs: CoreRefs): void;
  rules?: RuleMap | ((refs: CoreRefs) => RuleMap);
  purposes?: ProcessingPurposeDefinition[];
  hooks?: PluginHooks;
  jobs?: PluginJob[];
  routes?: PluginRoute[];
  /** Validates configuration and publishes services; throw to refuse to start. */
  setup?(app: AppServices): Promise<void> | void;
  /** Idempotent demo data for `npm run db:seed`. */
  seed?(app: AppServices): Promise<void>;
}

export function definePlugin(definition: PluginDefinition): PluginDefinition {
  if (!/^[a-z][a-z0-9-]*$/.test(definition.name)) throw new Error(`plugin name must be a folder name: ${definition.name}`);
  return definition;
}

export type { AppServices, Context, Builder, CoreRefs, RuleMap };
