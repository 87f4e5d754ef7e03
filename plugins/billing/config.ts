/**
 * The billing plugin's settings, parsed at start with the rest of the
 * configuration: the Stripe webhook secret, payment term and grace period,
 * how long accounting records are kept, and how often the renewal job runs.
 */
import { ConfigError, defineConfigSlot, parseDuration, readDurationSetting, type Config } from '../../schema/plugin-api';

export interface BillingConfig {
  /** whsec_...; without it the webhook answers 503 (payments by card are then off). */
  stripeWebhookSecret: string | null;
  /** Only to construct the Stripe client (signature checks need no network and no real key). */
  stripeApiKey: string;
  /** Days to pay an invoice (dueAt = issuedAt + term). */
  paymentTerm: string;
  /** After dueAt + grace an unpaid invoice is OVERDUE. */
  overdueGrace: string;
  /** Accounting records are kept this long after the end of the invoice's year. */
  accountingRecords: string;
  /** Seconds between runs of the renewal job (0 = off). */
  intervalSeconds: number;
}

function readBillingConfig(config: Config): BillingConfig {
  const env = config.raw;
  const problems: string[] = [];
  const duration = (name: string, fallback: string) => readDurationSetting(env, name, fallback, problems);
  const secret = env.STRIPE_WEBHOOK_SECRET?.trim() || null;
  if (secret && !secret.startsWith('whsec_')) problems.push('STRIPE_WEBHOOK_SECRET must be the endpoint secret from Stripe (whsec_...)');
  let intervalSeconds = 3600;
  const interval = env.BILLING_INTERVAL?.trim();
  if (interval?.toLowerCase() === 'off') intervalSeconds = 0;
  else if (interval) {
    try {
      intervalSeconds = parseDuration(interval).seconds;
      if (intervalSeconds < 60) problems.push(`BILLING_INTERVAL must be at least PT1M (got "${interval}")`);
    } catch {
      problems.push(`BILLING_INTERVAL must be an ISO-8601 duration such as PT1H, or "off" (got "${interval}")`);
    }
  }
  const result: BillingConfig = {
    stripeWebhookSecret: secret,
    stripeApiKey: env.STRIPE_API_KEY?.trim() || 'sk_unused_for_signature_checks',
    paymentTerm: duration('BILLING_PAYMENT_TERM', 'P14D'),
    overdueGrace: duration('BILLING_OVERDUE_GRACE', 'P7D'),
    accountingRecords: duration('RETENTION_ACCOUNTING_RECORDS', 'P5Y'),
    intervalSeconds,
  };
  if (problems.length) throw new ConfigError(problems);
  return result;
}

export const billingSettings = defineConfigSlot('billing', readBillingConfig);
