/** ISO-8601 durations (PnYnMnWnDTnHnMnS), as used for retention periods and token lifetimes. */
export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const pattern = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function parseIsoDuration(text: string): Duration {
  const m = pattern.exec(text.trim().toUpperCase());
  if (!m) throw new Error(`not an ISO-8601 duration: ${text}`);
  const n = (i: number) => (m[i] ? Number(m[i]) : 0);
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
}

/** Adds a duration to a date in UTC calendar arithmetic (months are calendar months). */
export function addDuration(date: Date, d: Duration | string, sign: 1 | -1 = 1): Date {
  const dur = typeof d === 'string' ? parseIsoDuration(d) : d;
  const out = new Date(date.getTime());
  out.setUTCFullYear(out.getUTCFullYear() + sign * dur.years, out.getUTCMonth() + sign * dur.months);
  out.setUTCDate(out.getUTCDate() + sign * (dur.weeks * 7 + dur.days));
  out.setTime(out.getTime() + sign * ((dur.hours * 60 + dur.minutes) * 60 + dur.seconds) * 1000);
  return out;
}

export function subtractDuration(date: Date, d: Duration | string): Date {
  return addDuration(date, d, -1);
}

/** Approximate length in seconds (for token lifetimes; months = 30 days, years = 365 days). */
export function parseDuration(text: string): { duration: Duration; seconds: number } {
  const d = parseIsoDuration(text);
  const seconds = ((((d.years * 365 + d.months * 30 + d.weeks * 7 + d.days) * 24 + d.hours) * 60 + d.minutes) * 60) + d.seconds;
  return { duration: d, seconds };
}
