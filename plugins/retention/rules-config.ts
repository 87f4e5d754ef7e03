/**
 * The retention rules: one per data category, each period an ISO-8601
 * duration configurable by environment (RETENTION_<CATEGORY>), validated at
 * start with a clear message.
 */
import {
  type Config,
  ConfigError,
  type ConfiguredRetentionRule,
  defineConfigSlot,
  parseDuration,
  parseIsoDuration,
  type Texts,
} from '../../schema/plugin-api';

export interface RetentionRuleDefinition {
  dataCategory: string;
  env: string;
  /** Set when core owns the setting (it validates the variable, ingestion depends on it). */
  fromCore?: (config: Config) => string;
  defaultPeriod: string;
  description: Texts;
}

export const RETENTION_RULES: RetentionRuleDefinition[] = [
  {
    dataCategory: 'LOCATION_POINTS',
    env: 'RETENTION_LOCATION_POINTS',
    fromCore: (config) => config.locationRetention,
    defaultPeriod: 'P90D',
    description: {
      EN: 'Location points are deleted this long after the device recorded them.',
      LV: 'Atrašanās vietas punkti tiek dzēsti pēc šī laika, kopš ierīce tos reģistrējusi.',
    },
  },
  {
    dataCategory: 'INACTIVE_ACCOUNTS',
    env: 'RETENTION_INACTIVE_ACCOUNTS',
    defaultPeriod: 'P6M',
    description: {
      EN: 'A customer account with no authenticated activity (of the account or its devices) for this long is deleted with everything it owns.',
      LV: 'Klienta konts bez autentificētas darbības (konta vai tā ierīču) šādu laiku tiek dzēsts kopā ar visiem tā datiem.',
    },
  },
  {
    dataCategory: 'REMOVED_DEVICES',
    env: 'RETENTION_REMOVED_DEVICES',
    defaultPeriod: 'P0D',
    description: {
      EN: 'A removed device and all its location points are deleted at removal; nothing is kept afterwards.',
      LV: 'Noņemta ierīce un visi tās atrašanās vietas punkti tiek dzēsti noņemšanas brīdī; pēc tam nekas netiek glabāts.',
    },
  },
  {
    dataCategory: 'EXPIRED_SHARING',
    env: 'RETENTION_EXPIRED_SHARING',
    defaultPeriod: 'P30D',
    description: {
      EN: 'Sharing grants and share links are deleted this long after they expired or were revoked.',
      LV: 'Koplietošanas atļaujas un saites tiek dzēstas pēc šī laika, kopš tās beigušās vai atsauktas.',
    },
  },
  {
    dataCategory: 'COOKIE_CONSENTS',
    env: 'RETENTION_COOKIE_CONSENTS',
    defaultPeriod: 'P13M',
    description: {
      EN: 'Cookie choices are deleted this long after they were made (they are asked again after 12 months).',
      LV: 'Sīkdatņu izvēles tiek dzēstas pēc šī laika, kopš tās izdarītas (pēc 12 mēnešiem tās tiek jautātas atkārtoti).',
    },
  },
  {
    dataCategory: 'EXPIRED_SESSIONS',
    env: 'RETENTION_EXPIRED_SESSIONS',
    defaultPeriod: 'P7D',
    description: {
      EN: 'Sign-in sessions are deleted this long after they expired or were ended.',
      LV: 'Pierakstīšanās sesijas tiek dzēstas pēc šī laika, kopš tās beigušās vai pārtrauktas.',
    },
  },
  {
    dataCategory: 'DATA_EXPORTS',
    env: 'RETENTION_DATA_EXPORTS',
    defaultPeriod: 'P30D',
    description: {
      EN: 'Copies of your data (exports) are deleted this long after they were made; the person can always ask for a new one.',
      LV: 'Jūsu datu kopijas (eksporti) tiek dzēstas pēc šī laika, kopš tās izveidotas; jaunu kopiju var pieprasīt jebkurā laikā.',
    },
  },
  {
    dataCategory: 'ACCOUNT_TOKENS',
    env: 'RETENTION_ACCOUNT_TOKENS',
    defaultPeriod: 'P1D',
    description: {
      EN: 'Links sent by e-mail (address verification, e-mail change, password reset; stored only as a hash) are deleted this long after they were used or expired.',
      LV: 'E-pastā sūtītās saites (adreses apstiprināšana, e-pasta maiņa, paroles atjaunošana; glabātas tikai kā jaucējvērtība) tiek dzēstas pēc šī laika, kopš tās izmantotas vai beigušās.',
    },
  },
  {
    dataCategory: 'DISCLOSURES',
    env: 'RETENTION_DISCLOSURES',
    defaultPeriod: 'P5Y',
    description: {
      EN:
        'Records of personal data given to other controllers (authorities, banks, lawful requesters) are ' +
        'deleted this long after the disclosure.',
      LV:
        'Ieraksti par personas datu nodošanu citiem pārziņiem (iestādēm, bankām, pamatotiem pieprasītājiem) ' +
        'tiek dzēsti pēc šī laika kopš nodošanas.',
    },
  },
  {
    dataCategory: 'AUDIT_LOG',
    env: 'RETENTION_AUDIT_LOG',
    defaultPeriod: 'P5Y',
    description: {
      EN: 'Audit events (who accessed or changed personal data) are kept this long as evidence, then deleted oldest first.',
      LV: 'Audita ieraksti (kas piekļuva personas datiem vai tos mainīja) tiek glabāti šādu laiku kā pierādījums, tad dzēsti, sākot ar vecākajiem.',
    },
  },
];

export interface RetentionConfig {
  periods: Record<string, string>;
  intervalSeconds: number;
  batchSize: number;
}

/** Reads and checks every RETENTION_* variable, reporting all problems at once. */
export function readRetentionConfig(config: Config): RetentionConfig {
  const env = config.raw;
  const problems: string[] = [];
  const periods: Record<string, string> = {};
  for (const rule of RETENTION_RULES) {
    if (rule.fromCore) {
      periods[rule.dataCategory] = rule.fromCore(config).toUpperCase();
      continue;
    }
    const value = env[rule.env]?.trim() || rule.defaultPeriod;
    try {
      parseIsoDuration(value);
      periods[rule.dataCategory] = value.toUpperCase();
    } catch {
      problems.push(`${rule.env} must be an ISO-8601 duration such as ${rule.defaultPeriod} (got "${value}")`);
      periods[rule.dataCategory] = rule.defaultPeriod;
    }
  }
  let intervalSeconds = 3600;
  const interval = env.RETENTION_INTERVAL?.trim();
  if (interval && interval.toLowerCase() !== 'off') {
    try {
      intervalSeconds = parseDuration(interval).seconds;
      // Tests may run the schedule every few seconds (several instances, one run per slot).
      const minimum = config.env === 'test' ? 1 : 60;
      if (intervalSeconds < minimum) problems.push(`RETENTION_INTERVAL must be at least PT1M (got "${interval}")`);
    } catch {
      problems.push(`RETENTION_INTERVAL must be an ISO-8601 duration such as PT1H, or "off" (got "${interval}")`);
    }
  } else if (interval) intervalSeconds = 0;
  const batchRaw = env.RETENTION_BATCH_SIZE?.trim();
  const batchSize = batchRaw ? Number(batchRaw) : 500;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    problems.push(`RETENTION_BATCH_SIZE must be a whole number from 1 to 10000 (got "${batchRaw}")`);
  }
  if (problems.length) throw new ConfigError(problems);
  return { periods, intervalSeconds, batchSize };
}

/** Every rule with its configured period (the public list, and what the register of purposes links to). */
export function configuredRules(app: { config: Config }): ConfiguredRetentionRule[] {
  const { periods } = retentionSettings.of(app);
  return RETENTION_RULES.map((r) => ({ dataCategory: r.dataCategory, period: periods[r.dataCategory], description: r.description }));
}

/** The retention plugin's settings slot (parsed at start with all other configuration). */
export const retentionSettings = defineConfigSlot('retention', readRetentionConfig);
