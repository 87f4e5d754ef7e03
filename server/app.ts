/**
 * Assembles one server instance: opens the database and migrates it, loads
 * keys, plugins and the schema. Every entry point (server, admin CLI, seed,
 * retention) starts here, so each works on an empty data directory.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, ensurePrivateFile } from '../api/util/private-files';
import { PrismaClient } from '../generated/prisma/client';
import { parseConfigSlots, type Config } from '../api/config';
import { createExtensions, type AppServices } from '../api/context';
import { openDatabase, describeTarget, type Database, type DatabaseTarget } from '../api/db/adapters';
import { applyMigrations } from '../api/db/migrations';
import { KeyStore } from '../api/auth/keys';
import { TokenService } from '../api/auth/tokens';
import { forgetOnWrites, VIEWER_CHANGED_CHANNEL, ViewerCache } from '../api/auth/viewer-cache';
import { FieldCipher } from '../api/crypto/field-cipher';
import { EventBus } from '../api/events';
import { createLivePubSub } from '../api/pubsub';
import { openRedis } from '../api/redis';
import { createRateLimiters } from '../api/rate-limits';
import { createLogger } from '../api/logger';
import { createMailer } from '../api/mail/mailer';
import { loadPlugins } from './plugin-loader';
import type { PluginDefinition } from '../schema/plugin-api';
import { buildSchema, type BuiltSchema } from '../schema';
import { migrationsDir } from '../api/db/prisma-files';
import { createJobEngine, type JobEngine } from './jobs';
import { maintainLocationPartitions } from '../api/locations/partitions';
import { corePurposes } from '../api/consent/core-purposes';
import { publishAccountAccessChange } from '../api/sharing/notify';

export interface App {
  services: AppServices;
  plugins: PluginDefinition[];
  built: BuiltSchema;
  /** Queue and scheduler; started by the server (startJobs), only enqueues elsewhere. */
  jobs: JobEngine;
  close(): Promise<void>;
}

export function databaseTarget(config: Config): DatabaseTarget {
  return config.databaseUrl
    ? { kind: 'postgres', url: config.databaseUrl, preparedStatements: config.databasePreparedStatements }
    : { kind: 'pglite', dataDir: join(config.dataDir, 'pglite') };
}

/**
 * DATA_DIR holds the embedded database and the key files: owner-only (0700),
 * key files 0600. Loose modes left by an older version or a copy are fixed (or refused).
 */
function securePrivateFiles(config: Config, embeddedDatabase: boolean): string[] {
  const usesDataDir = (embeddedDatabase && !config.databaseUrl) || !config.jwt.privateKeys || !config.raw.FIELD_ENCRYPTION_KEYS;
  if (!usesDataDir) return [];
  const warnings = [ensurePrivateDir(config.dataDir)];
  const keysDir = join(config.dataDir, 'keys');
  if (existsSync(keysDir)) {
    warnings.push(ensurePrivateDir(keysDir), ensurePrivateFile(join(keysDir, 'signing-keys.json')));
    warnings.push(ensurePrivateFile(join(keysDir, 'field-keys.json')));
  }
  if (embeddedDatabase && !config.databaseUrl) warnings.push(ensurePrivateDir(join(config.dataDir, 'pglite')));
  return warnings.filter((w): w is string => w !== null);
}

export async function createApp(config: Config, options: { database?: Database } = {}): Promise<App> {
  const plugins = await loadPlugins(config.plugins);
  // Every enabled plugin's settings, all problems listed at once, before anything starts.
  parseConfigSlots(
    config,
    plugins.flatMap((p) => (p.config ? [p.config] : [])),
  );
  const logger = createLogger(config.logLevel);
  for (const warning of securePrivateFiles(config, !options.database)) logger.warn(warning);
  const db = options.database ?? (await openDatabase(databaseTarget(config)));
  const applied = await applyMigrations(db, migrationsDir);
  if (applied.length) logger.info('migrations applied', { database: describeTarget(db.target), migrations: applied });

  const viewerCache = new ViewerCache();
  const prisma = forgetOnWrites(new PrismaClient({ adapter: db.factory }), viewerCache);
  const partitions = await maintainLocationPartitions(prisma);
  if (partitions.length) logger.info('location partitions created', { partitions });
  const keys = await KeyStore.open({ dataDir: config.dataDir, fromEnv: config.jwt.privateKeys });
  const tokens = new TokenService(
    keys,
    config.jwt.issuer,
    config.jwt.audience,
    config.jwt.accessTokenTtlSeconds,
    config.limits.deviceTokenTtlSeconds,
  );
  const unlistenViewers = await db.listen(VIEWER_CHANGED_CHANNEL, viewerCache.handlers);
  const cipher = FieldCipher.open({ dataDir: config.dataDir, fromEnv: config.raw.FIELD_ENCRYPTION_KEYS ?? null });
  const redis = config.redisUrl ? await openRedis(config.redisUrl, logger) : null;
  const pubsub = createLivePubSub(redis, logger);
  const limiters = createRateLimiters(config.limits, redis);
  const events = new EventBus();
  const mailer = createMailer(config, logger);
  for (const plugin of plugins) events.declare(plugin.events ?? []);
  if (config.databaseUrl && config.env === 'production' && (!config.jwt.privateKeys || !config.raw.FIELD_ENCRYPTION_KEYS)) {
    logger.warn(
      "keys come from this instance's data dir: instances sharing this database must share keys (JWT_PRIVATE_KEYS, FIELD_ENCRYPTION_KEYS; see `npm run admin -- print-keys`)",
    );
  }

  const jobs = createJobEngine(config, plugins, logger);
  const services: AppServices = {
    config,
    db,
    prisma,
    keys,
    tokens,
    viewerCache,
    cipher,
    events,
    pubsub,
    redis,
    limiters,
    logger,
    mailer,
    jobs,
    plugins: plugins.map((p) => p.name),
    purposes: [...corePurposes, ...plugins.flatMap((p) => p.purposes ?? [])],
    extensions: createExtensions(),
  };

  // An erased account's streams, and streams following its devices, end at once (whoever erased it emits this).
  events.on('account.deleted', ({ accountId }) => publishAccountAccessChange(services, accountId, 'account.deleted'));

  for (const plugin of plugins) {
    for (const [name, hook] of Object.entries(plugin.hooks ?? {})) {
      events.on(
        name as never,
        ((payload: never, meta: never) => (hook as (p: unknown, m: unknown, a: AppServices) => unknown)(payload, meta, services)) as never,
      );
    }
    await plugin.setup?.(services);
  }

  const built = buildSchema(plugins);
  return {
    services,
    plugins,
    built,
    jobs,
    close: async () => {
      mailer.close();
      await jobs.close();
      await unlistenViewers();
      await prisma.$disconnect();
      await redis?.close();
      if (!options.database) await db.close();
    },
  };
}
