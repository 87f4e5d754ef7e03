/**
 * Reading the loosely typed values these apps send (query strings, forms,
 * JSON) into numbers and instants, and converting their units to the
 * contract's: speed in m/s, heading in degrees, battery in percent.
 * Every failure names the field as the app calls it, so a misconfigured
 * client gets a message it can act on.
 */

/** A request that cannot be read as the protocol (HTTP 400). */
export class ProtocolInputError extends Error {
  constructor(
    public readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolInputError';
  }
}

/** 1 knot = 1852 m per hour. */
export const KNOTS_TO_METERS_PER_SECOND = 1852 / 3600;
export const KMH_TO_METERS_PER_SECOND = 1 / 3.6;

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A number from a JSON number or numeric text; null when absent or empty. */
export function optionalNumber(raw: unknown, field: string): number | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) throw new ProtocolInputError(field, `${field} must be a number.`);
    return raw;
  }
  if (typeof raw === 'string') {
    const text = raw.trim();
    if (text === '') return null;
    if (!NUMBER_TEXT.test(text)) throw new ProtocolInputError(field, `${field} must be a number (got "${clip(raw)}").`);
    return Number(text);
  }
  throw new ProtocolInputError(field, `${field} must be a number.`);
}

export function requiredNumber(raw: unknown, field: string): number {
  const n = optionalNumber(raw, field);
  if (n === null) throw new ProtocolInputError(field, `${field} is required.`);
  return n;
}

/**
 * Several SDKs send -1 for "unknown" speed, heading, accuracy or battery;
 * a negative reading of those is never a measurement.
 */
export function unknownIfNegative(n: number | null): number | null {
  return n !== null && n < 0 ? null : n;
}

/** Seconds and milliseconds since the epoch are told apart by magnitude: 1e11 s is the year 5138, 1e11 ms is 1973. */
const MILLISECONDS_THRESHOLD = 1e11;

/**
 * The device's own time of the fix: seconds or milliseconds since the epoch,
 * ISO 8601, or "yyyy-MM-dd HH:mm:ss" (UTC), as OsmAnd-protocol senders use.
 */
export function deviceTime(raw: unknown, field: string): Date {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
    throw new ProtocolInputError(field, `${field} is required: the device's time of the fix identifies the point on retries.`);
  }
  let ms: number;
  if (typeof raw === 'number' || (typeof raw === 'string' && NUMBER_TEXT.test(raw.trim()))) {
    const n = Number(raw);
    ms = Math.abs(n) >= MILLISECONDS_THRESHOLD ? n : n * 1000;
  } else if (typeof raw === 'string') {
    const text = raw.trim();
    const plain = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(\.\d+)?)$/.exec(text);
    const iso = plain ? `${plain[1]}T${plain[2]}Z` : text;
    ms = /^\d{4}-\d{2}-\d{2}T/.test(iso) ? Date.parse(iso) : NaN;
  } else {
    ms = NaN;
  }
  const date = new Date(Math.round(ms));
  if (!Number.isFinite(ms) || Number.isNaN(date.getTime())) {
    throw new ProtocolInputError(
      field,
      `${field} must be seconds or milliseconds since 1970, or an ISO 8601 time (got "${clip(String(raw))}").`,
    );
  }
  return date;
}

/** The device's time of the fix, or null when the app sent none (the receive time stands in, see fixes.ts). */
export function optionalDeviceTime(raw: unknown, field: string): Date | null {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return null;
  return deviceTime(raw, field);
}

/** A boolean written as true/false/1/0 (case-insensitive); null when absent. */
export function optionalFlag(raw: unknown, field: string): boolean | null {
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw === 'boolean') return raw;
  const text = String(raw).trim().toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new ProtocolInputError(field, `${field} must be true, false, 1 or 0 (got "${clip(String(raw))}").`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Echoes at most a few characters of what was sent, never a whole payload. */
function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
