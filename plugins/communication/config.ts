/**
 * The communication plugin's settings, read and checked at start:
 * COMPLAINT_RESPONSE_PERIOD (P15D), RETENTION_INQUIRIES (P1Y after closing),
 * RETENTION_COMPLAINTS (P3Y after the answer: the period in which claims can
 * be brought), RETENTION_SURVEY_RESPONSES (P1Y), INQUIRY_RATE_LIMIT (5 per
 * client address per hour) and NOTICE_INTERVAL (PT15M, or off).
 */
import { type Config, ConfigError, defineConfigSlot, parseDuration, readDurationSetting } from '../../schema/plugin-api';

export interface CommunicationConfig {
  complaintResponsePeriod: string;
  retention: { INQUIRIES: string; COMPLAINTS: string; SURVEY_RESPONSES: string };
  inquiryRateLimit: number;
  /** Seconds between service-notice checks (0 = off). */
  noticeIntervalSeconds: number;
}

export function readCommunicationConfig(config: Config): CommunicationConfig {
  const env = config.raw;
  const problems: string[] = [];
  const duration = (name: string, fallback: string) => readDurationSetting(env, name, fallback, problems);
  const complaintResponsePeriod = duration('COMPLAINT_RESPONSE_PERIOD', 'P15D');
  const retention = {
    INQUIRIES: duration('RETENTION_INQUIRIES', 'P1Y'),
    COMPLAINTS: duration('RETENTION_COMPLAINTS', 'P3Y'),
    SURVEY_RESPONSES: duration('RETENTION_SURVEY_RESPONSES', 'P1Y'),
  };
  const rateRaw = env.INQUIRY_RATE_LIMIT?.trim();
  const inquiryRateLimit = rateRaw ? Number(rateRaw) : 5;
  if (!Number.isInteger(inquiryRateLimit) || inquiryRateLimit < 1 || inquiryRateLimit > 10_000) {
    problems.push(`INQUIRY_RATE_LIMIT must be a whole number from 1 to 10000 inquiries per hour (got "${rateRaw}")`);
  }
  let noticeIntervalSeconds = 900;
  const interval = env.NOTICE_INTERVAL?.trim();
  if (interval?.toLowerCase() === 'off') noticeIntervalSeconds = 0;
  else if (interval) {
    try {
      noticeIntervalSeconds = parseDuration(interval).seconds;
      if (noticeIntervalSeconds < 60) problems.push(`NOTICE_INTERVAL must be at least PT1M (got "${interval}")`);
    } catch {
      problems.push(`NOTICE_INTERVAL must be an ISO-8601 duration such as PT15M, or "off" (got "${interval}")`);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return { complaintResponsePeriod, retention, inquiryRateLimit, noticeIntervalSeconds };
}

export const communicationSettings = defineConfigSlot('communication', readCommunicationConfig);
