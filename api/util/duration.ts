/**
 * ISO-8601 durations (PnYnMnWnDTnHnMnS), as used for retention periods and
 * token lifetimes. Parsing is strict (uppercase designators, at least one
 * component, a fraction only on the last component, `,` or `.` as decimal
 * sign); calendar arithmetic is luxon's in UTC, so month ends clamp
 * (31 March minus P1M is 28/29 February) and leap days are handled.
 */
import { DateTime, Duration as LuxonDuration } from 'luxon';

export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const num = '(\\d+(?:[.,]\\d+)?)';
const pattern = new RegExp(`^P(?!$)(?:${num}Y)?(?:${num}M)?(?:${num}W)?(?:${num}D)?(?:T(?=\\d)(?:${num}H)?(?:${num}M)?(?:${num}S)?)?$`);
const UNITS = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'] as const;

export function parseIsoDuration(text: string): Duration {
  const m = pattern.exec(text.trim().toUpperCase());
  if (!m) throw new Error(`not an ISO-8601 duration: ${text}`);
  const given = UNITS.map((_, i) => m[i + 1]);
  const last = given.findLastIndex((v) => v !== undefined);
  if (given.some((v, i) => v !== undefined && i < last && /[.,]/.test(v))) {
    throw new Error(`not an ISO-8601 duration (only the last component may have a fraction): ${text}`);
  }
  const out = {} as Duration;
  UNITS.forEach((unit, i) => (out[unit] = given[i] ? Number(given[i]!.replace(',', '.')) : 0));
  return out;
}

function toLuxon(d: Duration, sign: 1 | -1): LuxonDuration {
  const seconds = Math.trunc(d.seconds);
  const milliseconds = Math.round((d.seconds - seconds) * 1000);
  return LuxonDuration.fromObject({
    years: sign * d.years,
    months: sign * d.months,
    weeks: sign * d.weeks,
    days: sign * d.days,
    hours: sign * d.hours,
    minutes: sign * d.minutes,
    seconds: sign * seconds,
    milliseconds: sign * milliseconds,
  });
}

/** Adds a duration to a date in UTC calendar arithmetic (months are calendar months; month ends clamp). */
export function addDuration(date: Date, d: Duration | string, sign: 1 | -1 = 1): Date {
  const dur = typeof d === 'string' ? parseIsoDuration(d) : d;
  return DateTime.fromJSDate(date, { zone: 'utc' }).plus(toLuxon(dur, sign)).toJSDate();
}

export function subtractDuration(date: Date, d: Duration | string): Date {
  return addDuration(date, d, -1);
}

/** Approximate length in seconds (for token lifetimes; months = 30 days, years = 365 days). */
export function parseDuration(text: string): { duration: Duration; seconds: number } {
  const d = parseIsoDuration(text);
  const seconds = (((d.years * 365 + d.months * 30 + d.weeks * 7 + d.days) * 24 + d.hours) * 60 + d.minutes) * 60 + d.seconds;
  return { duration: d, seconds };
}
