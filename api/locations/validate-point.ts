/**
 * Checks one incoming location fix on its own. A bad point is rejected with a
 * machine-readable code; it never fails the rest of the batch.
 */
import { createHash } from 'node:crypto';
import type { IngestPoint } from './point';

export type RejectionCode =
  | 'INVALID_CLIENT_ID'
  | 'INVALID_RECORDED_AT'
  | 'RECORDED_IN_FUTURE'
  | 'RECORDED_BEFORE_RETENTION'
  | 'NOT_A_FINITE_NUMBER'
  | 'LATITUDE_OUT_OF_RANGE'
  | 'LONGITUDE_OUT_OF_RANGE'
  | 'ACCURACY_OUT_OF_RANGE'
  | 'SPEED_OUT_OF_RANGE'
  | 'HEADING_OUT_OF_RANGE'
  | 'BATTERY_OUT_OF_RANGE'
  | 'INVALID_SOURCE';

export interface Rejection {
  code: RejectionCode;
  message: string;
}

/** How far ahead of the server clock a fix may be stamped (device clocks drift). */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;
export const MAX_CLIENT_ID_LENGTH = 128;

const SOURCES = new Set(['GPS', 'WIFI', 'CELL', 'FUSED', 'UNKNOWN']);

const NUMERIC_FIELDS = ['latitude', 'longitude', 'accuracy', 'altitude', 'speed', 'heading', 'battery'] as const;

/** Inclusive ranges; null bound = unbounded. */
const RANGES: { field: keyof IngestPoint; min: number | null; max: number | null; code: RejectionCode; text: string }[] = [
  { field: 'latitude', min: -90, max: 90, code: 'LATITUDE_OUT_OF_RANGE', text: 'latitude must be between -90 and 90' },
  { field: 'longitude', min: -180, max: 180, code: 'LONGITUDE_OUT_OF_RANGE', text: 'longitude must be between -180 and 180' },
  { field: 'accuracy', min: 0, max: null, code: 'ACCURACY_OUT_OF_RANGE', text: 'accuracy must be 0 or more metres' },
  { field: 'speed', min: 0, max: null, code: 'SPEED_OUT_OF_RANGE', text: 'speed must be 0 or more metres per second' },
  { field: 'heading', min: 0, max: 360, code: 'HEADING_OUT_OF_RANGE', text: 'heading must be between 0 and 360 degrees' },
  { field: 'battery', min: 0, max: 100, code: 'BATTERY_OUT_OF_RANGE', text: 'battery must be between 0 and 100 percent' },
];

/**
 * The first problem of a point, or null when it may be stored.
 * `oldestAllowed` is now minus the location retention period: older fixes
 * would be purged at once, so they are not accepted in the first place.
 */
export function validatePoint(p: IngestPoint, now: Date, oldestAllowed: Date): Rejection | null {
  if (p.clientId !== undefined && p.clientId !== null) {
    if (typeof p.clientId !== 'string' || p.clientId.trim() === '' || p.clientId.length > MAX_CLIENT_ID_LENGTH) {
      return { code: 'INVALID_CLIENT_ID', message: `clientId must be 1 to ${MAX_CLIENT_ID_LENGTH} characters` };
    }
    // PostgreSQL cannot store NUL in text: refuse this point only, not the whole batch.
    if (p.clientId.includes('\u0000')) return { code: 'INVALID_CLIENT_ID', message: 'clientId must not contain NUL characters' };
  }
  if (!(p.recordedAt instanceof Date) || Number.isNaN(p.recordedAt.getTime())) {
    return { code: 'INVALID_RECORDED_AT', message: 'recordedAt is not a valid date-time' };
  }
  for (const field of NUMERIC_FIELDS) {
    const v = p[field];
    const required = field === 'latitude' || field === 'longitude';
    if ((v === null || v === undefined) && !required) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      return { code: 'NOT_A_FINITE_NUMBER', message: `${field} must be a finite number` };
    }
  }
  for (const r of RANGES) {
    const v = p[r.field] as number | null | undefined;
    if (v === null || v === undefined) continue;
    if ((r.min !== null && v < r.min) || (r.max !== null && v > r.max)) return { code: r.code, message: r.text };
  }
  if (p.source !== undefined && p.source !== null && !SOURCES.has(p.source)) {
    return { code: 'INVALID_SOURCE', message: 'source must be GPS, WIFI, CELL, FUSED or UNKNOWN' };
  }
  if (p.recordedAt.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS) {
    return { code: 'RECORDED_IN_FUTURE', message: 'recordedAt is more than 5 minutes in the future' };
  }
  if (p.recordedAt.getTime() < oldestAllowed.getTime()) {
    return { code: 'RECORDED_BEFORE_RETENTION', message: 'recordedAt is older than the location retention period' };
  }
  return null;
}

/**
 * The clientId of a point sent without one: derived from what the fix is
 * (time and position), so a resend of the same fix deduplicates.
 */
export function derivedClientId(p: Pick<IngestPoint, 'recordedAt' | 'latitude' | 'longitude'>): string {
  const key = `${p.recordedAt.toISOString()}|${p.latitude}|${p.longitude}`;
  return `h:${createHash('sha256').update(key).digest('base64url').slice(0, 22)}`;
}
