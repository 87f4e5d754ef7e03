/** Settings of the webhooks plugin, validated at start with the rest of the configuration. */
import { ConfigError, defineConfigSlot, parseDuration, readDurationSetting } from '../../schema/plugin-api';

export interface WebhookSettings {
  /** WEBHOOKS_ALLOW_PRIVATE=on: http:// and private/loopback targets (tests, development). */
  allowPrivate: boolean;
  /** WEBHOOKS_RETRY_BASE_MS: the first retry's delay; each next one doubles (default 30 s), for 24 h. */
  retryBaseMs: number;
  /** WEBHOOKS_TIMEOUT_MS: how long a receiver may take to answer (default 10 s). */
  timeoutMs: number;
  /** RETENTION_WEBHOOK_DELIVERIES: how long the delivery log (payloads included) is kept (default P30D, at least P2D). */
  deliveriesRetention: string;
}

export const webhookSettings = defineConfigSlot<WebhookSettings>('webhooks', (config) => {
  const env = config.raw;
  const allowPrivate = (env.WEBHOOKS_ALLOW_PRIVATE ?? (config.env === 'production' ? 'off' : 'on')) === 'on';
  if (allowPrivate && config.env === 'production' && env.WEBHOOKS_ALLOW_PRIVATE === 'on') {
    throw new ConfigError(['WEBHOOKS_ALLOW_PRIVATE=on is not allowed in production']);
  }
  const num = (name: string, fallback: number) => {
    const v = env[name] === undefined ? fallback : Number(env[name]);
    if (!Number.isFinite(v) || v <= 0) throw new ConfigError([`${name} must be a positive number of milliseconds`]);
    return v;
  };
  const problems: string[] = [];
  const deliveriesRetention = readDurationSetting(env, 'RETENTION_WEBHOOK_DELIVERIES', 'P30D', problems);
  // A delivery is retried for 24 h: a shorter log would delete deliveries still being retried.
  if (!problems.length && parseDuration(deliveriesRetention).seconds < 2 * 86_400) {
    problems.push(`RETENTION_WEBHOOK_DELIVERIES must be at least P2D (got "${deliveriesRetention}")`);
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    allowPrivate,
    retryBaseMs: num('WEBHOOKS_RETRY_BASE_MS', 30_000),
    timeoutMs: num('WEBHOOKS_TIMEOUT_MS', 10_000),
    deliveriesRetention,
  };
});
