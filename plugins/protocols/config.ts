/**
 * The plugin's settings, parsed at start with all other configuration:
 * - PROTOCOLS_MAX_BODY_BYTES: the largest request body the protocol routes
 *   read (default 256 KiB, at most 10 MiB);
 * - PROTOCOLS_MAX_CLOCK_SKEW: how far ahead of the server clock a device's
 *   fix time may be; such a fix is stored with its time clamped to the
 *   receive time (ISO-8601, default PT15M, at most PT24H);
 * - RETENTION_REJECTED_FIXES: how long refused fixes stay in the quarantine
 *   (ISO-8601, default P7D; purged by the retention run).
 */
import { DEFAULT_MAX_BODY_BYTES } from './http';
import { type AppServices, ConfigError, defineConfigSlot, parseDuration, parseIsoDuration } from '../../schema/plugin-api';

const MAX_ALLOWED = 10 * 1024 * 1024;

export function readMaxBodyBytes(raw: Record<string, string | undefined>): number {
  const value = raw.PROTOCOLS_MAX_BODY_BYTES?.trim();
  if (!value) return DEFAULT_MAX_BODY_BYTES;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1024 || n > MAX_ALLOWED) {
    throw new Error(`PROTOCOLS_MAX_BODY_BYTES must be a whole number of bytes from 1024 to ${MAX_ALLOWED} (got "${value}")`);
  }
  return n;
}

function readSettings(raw: Record<string, string | undefined>) {
  const problems: string[] = [];
  let maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  try {
    maxBodyBytes = readMaxBodyBytes(raw);
  } catch (e) {
    problems.push((e as Error).message);
  }
  const skew = raw.PROTOCOLS_MAX_CLOCK_SKEW?.trim() || 'PT15M';
  let maxClockSkewMs = 15 * 60_000;
  try {
    maxClockSkewMs = parseDuration(skew).seconds * 1000;
    if (maxClockSkewMs > 24 * 3600_000) problems.push(`PROTOCOLS_MAX_CLOCK_SKEW must be at most PT24H (got "${skew}")`);
  } catch {
    problems.push(`PROTOCOLS_MAX_CLOCK_SKEW must be an ISO-8601 duration such as PT15M (got "${skew}")`);
  }
  const rejectedFixesRetention = (raw.RETENTION_REJECTED_FIXES?.trim() || 'P7D').toUpperCase();
  try {
    parseIsoDuration(rejectedFixesRetention);
  } catch {
    problems.push(`RETENTION_REJECTED_FIXES must be an ISO-8601 duration such as P7D (got "${rejectedFixesRetention}")`);
  }
  if (problems.length) throw new ConfigError(problems);
  return { maxBodyBytes, maxClockSkewMs, rejectedFixesRetention };
}

/** The plugin's settings slot (parsed at start with all other configuration). */
export const protocolSettings = defineConfigSlot('protocols', (config) => readSettings(config.raw));

export const maxBodyBytes = (app: AppServices) => protocolSettings.of(app).maxBodyBytes;
