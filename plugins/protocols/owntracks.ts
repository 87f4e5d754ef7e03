/**
 * OwnTracks in HTTP mode (https://owntracks.org/booklet/tech/http/ and
 * .../tech/json/): the app POSTs one JSON message, or an array of them, and
 * expects HTTP 200 with a JSON array in reply (messages for the app; we send
 * none, so `[]`). Only `_type: "location"` carries a fix:
 *   lat, lon (degrees, required), tst (unix seconds of the fix), acc and alt
 *   (metres), vel (km/h), cog (degrees), batt (percent), tid, created_at, ...
 * Every other `_type` (transition, waypoint(s), lwt, status, card, ...) is
 * acknowledged and not stored. "Unknown" sentinels become empty values:
 * batt -1 (and below 0), acc/vel/cog below 0, bs 0 (battery state unknown).
 * A message without tst or created_at gets the receive time and a content-hash clientId. A zero-length body is a deleted friend in the
 * app and is acknowledged too.
 *
 * Pure functions: no I/O, so they are tested on their own.
 */
import {
  KMH_TO_METERS_PER_SECOND,
  ProtocolInputError,
  optionalDeviceTime,
  isRecord,
  optionalNumber,
  requiredNumber,
  unknownIfNegative,
} from './values';
import { type Fix, readFix, receivedTimeIdentity } from './fixes';
import type { IngestPoint } from '../../schema/plugin-api';

export interface OwnTracksReport {
  fixes: Fix[];
  /** Messages of other types, acknowledged without storing anything. */
  ignored: number;
}

/** Stable per device and fix time, so a resent message is a duplicate, not a new point. */
export const owntracksClientId = (recordedAt: Date) => `owntracks:${recordedAt.getTime()}`;

/** Whether a parsed JSON body looks like OwnTracks (a message or an array of messages with `_type`). */
export function looksLikeOwnTracks(body: unknown): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.length > 0 && messages.every((m) => isRecord(m) && typeof m._type === 'string');
}

export function parseOwnTracks(body: unknown, now = new Date()): OwnTracksReport {
  if (body === undefined) return { fixes: [], ignored: 0 };
  const messages = Array.isArray(body) ? body : [body];
  const fixes: Fix[] = [];
  let ignored = 0;
  messages.forEach((message, i) => {
    const path = Array.isArray(body) ? `[${i}]` : '';
    const at = (field: string) => (path ? `${path}.${field}` : field);
    if (!isRecord(message)) throw new ProtocolInputError(path || 'body', 'Each OwnTracks message must be a JSON object.');
    if (typeof message._type !== 'string') throw new ProtocolInputError(at('_type'), `${at('_type')} is required.`);
    if (message._type !== 'location') {
      ignored++;
      return;
    }
    fixes.push(readFix(message, () => locationMessage(message, at, now)));
  });
  return { fixes, ignored };
}

function locationMessage(message: Record<string, unknown>, at: (field: string) => string, now: Date): IngestPoint {
  // iOS reports a negative accuracy, speed or course when it has none; batt -1 means the level is unknown.
  const kmh = unknownIfNegative(optionalNumber(message.vel, at('vel')));
  const content = {
    latitude: requiredNumber(message.lat, at('lat')),
    longitude: requiredNumber(message.lon, at('lon')),
    accuracy: unknownIfNegative(optionalNumber(message.acc, at('acc'))),
    altitude: optionalNumber(message.alt, at('alt')),
    speed: kmh === null ? null : kmh * KMH_TO_METERS_PER_SECOND,
    heading: unknownIfNegative(optionalNumber(message.cog, at('cog'))),
    battery: unknownIfNegative(optionalNumber(message.batt, at('batt'))),
  };
  // tst is the time of the fix; created_at (when the message was built) only stands in if tst is missing.
  const field = message.tst === undefined && message.created_at !== undefined ? at('created_at') : at('tst');
  const recordedAt = optionalDeviceTime(message.tst ?? message.created_at, field);
  const identity = recordedAt ? { recordedAt, clientId: owntracksClientId(recordedAt) } : receivedTimeIdentity('owntracks', now, content);
  return { ...identity, ...content };
}
