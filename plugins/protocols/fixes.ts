/**
 * One fix as a protocol parser hands it to the route: either a point to
 * store, or a refusal that no resend can cure (an unreadable value, no
 * coordinates), each with the raw fields the app sent for the quarantine.
 * Also the stand-ins for a fix without a timestamp: the server's receive
 * time, and a clientId from a hash of the fix's content (marked `rx`), so a
 * resend of the same fix is still a duplicate.
 */
import { createHash } from 'node:crypto';
import { ProtocolInputError } from './values';
import type { IngestPoint } from '../../schema/plugin-api';

export interface Refusal {
  code: string;
  reason: string;
  /** The field at fault, as the app names it, when one is. */
  field?: string;
}

export type Fix = { point: IngestPoint; raw: unknown } | { refusal: Refusal; raw: unknown };

const COORDINATE_FIELDS = /(^|\.)(lat|lon|latitude|longitude|location|coords|coordinates|geometry)$/;

/** Builds a fix, turning a ProtocolInputError into a refusal (NO_COORDINATES when the position is missing). */
export function readFix(raw: unknown, build: () => IngestPoint): Fix {
  try {
    return { point: build(), raw };
  } catch (e) {
    if (!(e instanceof ProtocolInputError)) throw e;
    const missing = / is required\.$/.test(e.message) && COORDINATE_FIELDS.test(e.field);
    const code = e.field === 'valid' ? 'MARKED_INVALID' : missing ? 'NO_COORDINATES' : 'UNREADABLE_FIELD';
    return { refusal: { code, reason: e.message, field: e.field }, raw };
  }
}

/** clientId prefix of fixes stored with the server's receive time (the app sent no timestamp). */
export const RECEIVED_TIME_MARK = 'rx';

/** recordedAt and clientId for a fix without a timestamp: received now, identified by what it says. */
export function receivedTimeIdentity(protocol: string, now: Date, content: Omit<IngestPoint, 'recordedAt' | 'clientId'>) {
  const key = JSON.stringify([
    content.latitude,
    content.longitude,
    content.accuracy,
    content.altitude,
    content.speed,
    content.heading,
    content.battery,
  ]);
  const hash = createHash('sha256').update(key).digest('base64url').slice(0, 22);
  return { recordedAt: now, clientId: `${protocol}:${RECEIVED_TIME_MARK}:${hash}` };
}

/** The raw fields kept in the quarantine: credentials removed, at most a few kilobytes. */
export function rawForQuarantine(raw: unknown): unknown {
  const clean =
    raw && typeof raw === 'object' && !Array.isArray(raw) ? Object.fromEntries(Object.entries(raw).filter(([k]) => k !== 'token')) : raw;
  const text = JSON.stringify(clean ?? null);
  return text.length <= 4096 ? JSON.parse(text) : { clipped: text.slice(0, 4096) };
}
