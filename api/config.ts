/**
 * Configuration from the environment, validated once at start. Every problem
 * is reported with the variable's name and what is expected, all at once.
 */
import { isAbsolute, resolve } from 'node:path';
import { parseDuration, parseIsoDuration } from './util/duration';
import { readControllerConfig, type ControllerInfo } from './consent/controller';

export type Environment = 'development' | 'production' | 'test';

export interface Config {
  env: Environment;
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  /** Hot statements as named prepared statements (api/db/adapters.ts PREPARED); off behind a transaction-mode pooler. */
  databasePreparedStatements: boolean;
  publicUrl: string;
  jwt: { issuer: string; audience: string; accessTokenTtlSeconds: number; refreshTokenTtlSeconds: number; privateKeys: string | null };
  plugins: string[] | null;
  /** How long location points are kept (ISO-8601); ingestion refuses older points, retention purges them. */
  locationRetention: string;
  demoData: boolean;
  graphiql: boolean;
  /** Runs of a query document before it is executed compiled (server/compiled-queries.ts); null: never compiled. */
  compileQueriesAfter: number | null;
  dataRegion: string;
  tls: { certFile: string; keyFile: string } | null;
  hsts: boolean;
  redisUrl: string | null;
  corsOrigins: string[];
  /** Hardening limits (docs/security.md). */
  limits: Limits;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Outgoing mail (api/mail/mailer.ts): SMTP_URL, MAIL_FROM, MAIL=off. */
  mail: { smtpUrl: string | null; from: string; disabled: boolean };
  /** The controller named in the privacy policy (CONTROLLER_*), shown by the public `controller` query. */
  controller: ControllerInfo;
  /** Everything else, for plugins to validate through their own config readers. */
  raw: Record<string, string | undefined>;
}

export interface Limits {
  /** Trusted reverse-proxy hops in front of the server (0: the socket address is the client). */
  trustProxy: number;
  /** Introspection queries allowed (default: outside production). */
  introspection: boolean;
  /** Largest /graphql request body, in bytes. */
  maxBodyBytes: number;
  /** Largest estimated cost of one operation (see server/limits/cost.ts). */
  maxCost: number;
  /** Device tokens expire after this many seconds (rotateDeviceToken issues a fresh one). */
  deviceTokenTtlSeconds: number;
  /** Requests per client address per minute (all of HTTP, SSE and WebSocket subscribes). */
  requestsPerMinute: number;
  /** Consecutive failed sign-ins per (client address, e-mail) before a 15-minute block. */
  signInFailures: number;
  /** Sign-in attempts per client address per 15 minutes (password spraying). */
  signInAttempts: number;
  /** Anonymous mutations (register, cookie choices, ...) per client address per hour. */
  anonymousWrites: number;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** EU/EEA member states (ISO 3166-1 alpha-2) plus the EU as a whole. */
export const EEA_REGIONS = [
  'EU',
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
  'IS',
  'LI',
  'NO',
];

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = [];
  const read = (name: string) => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  const nodeEnv = read('NODE_ENV') ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    problems.push(`NODE_ENV must be development, production or test (got "${nodeEnv}")`);
  }
  const production = nodeEnv === 'production';

  const int = (name: string, fallback: number, min: number, max: number) => {
    const v = read(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${v}")`);
      return fallback;
    }
    return n;
  };
  const bool = (name: string, fallback: boolean) => {
    const v = read(name)?.toLowerCase();
    if (v === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    problems.push(`${name} must be true or false (got "${v}")`);
    return fallback;
  };
  const duration = (name: string, fallback: string) => {
    const v = read(name) ?? fallback;
    try {
      return parseDuration(v).seconds;
    } catch {
      problems.push(`${name} must be an ISO-8601 duration such as PT15M or P30D (got "${v}")`);
      return parseDuration(fallback).seconds;
    }
  };

  const port = int('PORT', 4000, 0, 65535);
  const host = read('HOST') ?? '0.0.0.0';
  const dataDirRaw = read('DATA_DIR') ?? './data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(process.cwd(), dataDirRaw);

  const databaseUrl = read('DATABASE_URL') ?? null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL (leave it unset for the embedded database)');
  }

  const publicUrlRaw = read('PUBLIC_URL') ?? `http://localhost:${port}`;
  let publicUrl = publicUrlRaw.replace(/\/+$/, '');
  try {
    const u = new URL(publicUrlRaw);
    if (!['http:', 'https:'].includes(u.protocol)) throw new Error('protocol');
  } catch {
    problems.push(`PUBLIC_URL must be an http(s) URL (got "${publicUrlRaw}")`);
    publicUrl = `http://localhost:${port}`;
  }
  if (production && publicUrl.startsWith('http:')) {
    problems.push('PUBLIC_URL must use https in production (location data is only sent over TLS)');
  }

  const accessTtl = duration('ACCESS_TOKEN_TTL', 'PT15M');
  const refreshTtl = duration('REFRESH_TOKEN_TTL', 'P30D');
  if (accessTtl > 3600) problems.push('ACCESS_TOKEN_TTL must be at most PT1H (access tokens are short-lived)');

  const pluginsRaw = read('PLUGINS');
  const plugins =
    pluginsRaw === undefined
      ? null
      : pluginsRaw.toLowerCase() === 'none'
        ? []
        : pluginsRaw
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean);
  if (plugins?.some((p) => !/^[a-z][a-z0-9-]*$/.test(p))) {
    problems.push(`PLUGINS must be a comma-separated list of plugin folder names, or "none" (got "${pluginsRaw}")`);
  }

  const region = (read('DATA_REGION') ?? 'LV').toUpperCase();
  if (!EEA_REGIONS.includes(region)) {
    problems.push(`DATA_REGION must be an EU/EEA country code or EU (got "${region}"): the privacy policy keeps data in the EU/EEA`);
  }

  const certFile = read('TLS_CERT_FILE');
  const keyFile = read('TLS_KEY_FILE');
  if (!!certFile !== !!keyFile) problems.push('TLS_CERT_FILE and TLS_KEY_FILE must be set together');

  const redisUrl = read('REDIS_URL') ?? null;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) problems.push('REDIS_URL must be a redis:// or rediss:// URL');

  const logLevel = (read('LOG_LEVEL') ?? (nodeEnv === 'test' ? 'warn' : 'info')) as Config['logLevel'];
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) {
    problems.push(`LOG_LEVEL must be debug, info, warn, error or silent (got "${logLevel}")`);
  }

  const locationRetention = read('RETENTION_LOCATION_POINTS') ?? 'P90D';
  try {
    if (parseDuration(locationRetention).seconds <= 0) throw new Error('zero');
  } catch {
    problems.push(`RETENTION_LOCATION_POINTS must be an ISO-8601 duration longer than zero, e.g. P90D (got "${locationRetention}")`);
  }

  const smtpUrl = read('SMTP_URL') ?? null;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) problems.push('SMTP_URL must be an smtp:// or smtps:// URL');
  const mailSetting = (read('MAIL') ?? 'on').toLowerCase();
  if (!['on', 'off'].includes(mailSetting)) problems.push(`MAIL must be on or off (got "${mailSetting}")`);
  const mailDisabled = mailSetting === 'off';
  if (production && !smtpUrl && !mailDisabled) {
    problems.push('SMTP_URL must be set in production (verification and password-reset mail), or set MAIL=off to run without mail');
  }
  let mailFrom =
    read('MAIL_FROM') ??
    `no-reply@${(() => {
      try {
        return new URL(publicUrl).hostname;
      } catch {
        return 'localhost';
      }
    })()}`;
  if (!/^[^@\s<>]+@[^@\s<>]+$|<[^@\s<>]+@[^@\s<>]+>$/.test(mailFrom)) {
    problems.push(`MAIL_FROM must be an e-mail address, optionally with a name: "Service <no-reply@example.lv>" (got "${mailFrom}")`);
    mailFrom = 'no-reply@localhost';
  }
  const limits: Limits = {
    trustProxy: int('TRUST_PROXY', 0, 0, 10),
    introspection: bool('INTROSPECTION', !production),
    maxBodyBytes: int('GRAPHQL_MAX_BODY_BYTES', 1_048_576, 1024, 64 * 1_048_576),
    maxCost: int('QUERY_MAX_COST', 20_000, 100, 10_000_000),
    deviceTokenTtlSeconds: duration('DEVICE_TOKEN_TTL', 'P2Y'),
    requestsPerMinute: int('RATE_LIMIT_REQUESTS', 1200, 1, 10_000_000),
    signInFailures: int('RATE_LIMIT_SIGNIN_FAILURES', 5, 1, 10_000_000),
    signInAttempts: int('RATE_LIMIT_SIGNIN_ATTEMPTS', 30, 1, 10_000_000),
    anonymousWrites: int('RATE_LIMIT_ANONYMOUS_WRITES', 60, 1, 10_000_000),
  };
  const controller = readControllerConfig(read, problems);

  const demoData = bool('DEMO_DATA', !production);
  const graphiql = bool('GRAPHIQL', !production);
  const databasePreparedStatements = bool('DATABASE_PREPARED_STATEMENTS', true);
  const compileQueriesAfter =
    read('GRAPHQL_COMPILE_AFTER')?.toLowerCase() === 'never' ? null : int('GRAPHQL_COMPILE_AFTER', 10, 0, 1_000_000);
  const hsts = bool('HSTS', production || !!certFile);

  if (problems.length) throw new ConfigError(problems);

  return {
    env: nodeEnv as Environment,
    port,
    host,
    dataDir,
    databaseUrl,
    databasePreparedStatements,
    publicUrl,
    jwt: {
      issuer: read('JWT_ISSUER') ?? publicUrl,
      audience: read('JWT_AUDIENCE') ?? 'location-platform',
      accessTokenTtlSeconds: accessTtl,
      refreshTokenTtlSeconds: refreshTtl,
      privateKeys: read('JWT_PRIVATE_KEYS') ?? null,
    },
    plugins,
    locationRetention,
    demoData,
    graphiql,
    compileQueriesAfter,
    dataRegion: region,
    tls: certFile && keyFile ? { certFile, keyFile } : null,
    hsts,
    redisUrl,
    corsOrigins: (read('CORS_ORIGINS') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    limits,
    logLevel,
    mail: { smtpUrl, from: mailFrom, disabled: mailDisabled },
    controller,
    raw: env,
  };
}

/**
 * An ISO-8601 duration setting for a plugin's config slot: the value (upper-cased) or the fallback, with a
 * problem listed when the variable is set to something else.
 */
export function readDurationSetting(env: Record<string, string | undefined>, name: string, fallback: string, problems: string[]): string {
  const value = env[name]?.trim() || fallback;
  try {
    parseIsoDuration(value);
    return value.toUpperCase();
  } catch {
    problems.push(`${name} must be an ISO-8601 duration such as ${fallback} (got "${value}")`);
    return fallback;
  }
}

/**
 * A plugin's own settings: parsed once at start from the core configuration
 * (its `raw` environment and core values), together with every other
 * plugin's, so all problems are listed at once (see server/app.ts). Throw an
 * Error or a ConfigError from `parse` to report problems.
 */
export interface ConfigSlot<T> {
  readonly plugin: string;
  parse(config: Config): T;
  /** The parsed settings of this app. */
  of(app: { config: Config }): T;
}

const parsedSettings = new WeakMap<Config, Map<string, unknown>>();

export function defineConfigSlot<T>(plugin: string, parse: (config: Config) => T): ConfigSlot<T> {
  const slot: ConfigSlot<T> = {
    plugin,
    parse,
    of(app) {
      let byPlugin = parsedSettings.get(app.config);
      if (!byPlugin) parsedSettings.set(app.config, (byPlugin = new Map()));
      if (!byPlugin.has(plugin)) byPlugin.set(plugin, parse(app.config));
      return byPlugin.get(plugin) as T;
    },
  };
  return slot;
}

/** Parses every slot, listing every problem of every plugin in one ConfigError. */
export function parseConfigSlots(config: Config, slots: ConfigSlot<unknown>[]): void {
  const problems: string[] = [];
  for (const slot of slots) {
    try {
      slot.of({ config });
    } catch (e) {
      if (e instanceof ConfigError) problems.push(...e.problems);
      else problems.push(e instanceof Error ? e.message : String(e));
    }
  }
  if (problems.length) throw new ConfigError(problems);
}
