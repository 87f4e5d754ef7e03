/** ISO-8601 durations: strict parsing, fractions, and calendar arithmetic on month ends and leap years (issue 12, item 9). */
import { describe, expect, it } from 'vitest';
import { addDuration, parseDuration, parseIsoDuration, subtractDuration } from '../../api/util/duration';

const utc = (s: string) => new Date(`${s}Z`);
const iso = (d: Date) => d.toISOString().replace('.000Z', '');

describe('calendar arithmetic', () => {
  it('clamps month ends instead of overflowing into the next month', () => {
    expect(iso(subtractDuration(utc('2026-03-31T10:00:00'), 'P1M'))).toBe('2026-02-28T10:00:00');
    expect(iso(subtractDuration(utc('2024-03-31T10:00:00'), 'P1M'))).toBe('2024-02-29T10:00:00');
    expect(iso(addDuration(utc('2026-01-31T00:00:00'), 'P1M'))).toBe('2026-02-28T00:00:00');
    expect(iso(addDuration(utc('2026-05-31T00:00:00'), 'P1M'))).toBe('2026-06-30T00:00:00');
    expect(iso(subtractDuration(utc('2026-12-31T00:00:00'), 'P3M'))).toBe('2026-09-30T00:00:00');
  });

  it('handles leap days', () => {
    expect(iso(addDuration(utc('2024-02-29T12:00:00'), 'P1Y'))).toBe('2025-02-28T12:00:00');
    expect(iso(addDuration(utc('2024-02-29T12:00:00'), 'P4Y'))).toBe('2028-02-29T12:00:00');
    expect(iso(subtractDuration(utc('2025-02-28T00:00:00'), 'P1Y'))).toBe('2024-02-28T00:00:00');
    expect(iso(addDuration(utc('2024-02-28T00:00:00'), 'P1D'))).toBe('2024-02-29T00:00:00');
    expect(iso(addDuration(utc('2023-02-28T00:00:00'), 'P1D'))).toBe('2023-03-01T00:00:00');
    expect(iso(subtractDuration(utc('2024-03-01T00:00:00'), 'P1D'))).toBe('2024-02-29T00:00:00');
  });

  it('applies years and months before days and time (as ISO and the old code did)', () => {
    expect(iso(addDuration(utc('2026-01-31T00:00:00'), 'P1M1D'))).toBe('2026-03-01T00:00:00');
    expect(iso(addDuration(utc('2026-01-01T00:00:00'), 'P1Y2M3W4DT5H6M7S'))).toBe('2027-03-26T05:06:07');
  });

  it('keeps the sign argument and works on parsed durations', () => {
    const d = parseIsoDuration('P90D');
    expect(iso(addDuration(utc('2026-01-01T00:00:00'), d, -1))).toBe('2025-10-03T00:00:00');
  });
});

describe('parsing', () => {
  it('accepts a fraction on the last component, with . or ,', () => {
    expect(parseIsoDuration('P1.5D').days).toBe(1.5);
    expect(parseIsoDuration('PT0,5H').hours).toBe(0.5);
    expect(parseIsoDuration('PT1M30.25S')).toMatchObject({ minutes: 1, seconds: 30.25 });
    expect(iso(addDuration(utc('2026-01-01T00:00:00'), 'PT1.5H'))).toBe('2026-01-01T01:30:00');
    expect(addDuration(utc('2026-01-01T00:00:00'), 'PT0.25S').toISOString()).toBe('2026-01-01T00:00:00.250Z');
  });

  it('refuses malformed durations', () => {
    for (const bad of ['', 'P', 'PT', 'P1DT', '1D', 'P1.5DT2H', 'P-1D', 'P1H', 'PT1D', 'P1S']) {
      expect(() => parseIsoDuration(bad), bad).toThrow(/ISO-8601/);
    }
  });

  it('gives approximate seconds for lifetimes', () => {
    expect(parseDuration('PT15M').seconds).toBe(900);
    expect(parseDuration('P30D').seconds).toBe(2_592_000);
    expect(parseDuration('P1M').seconds).toBe(2_592_000);
  });
});
