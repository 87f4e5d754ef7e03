/**
 * OwnTracks in HTTP mode (https://owntracks.org/booklet/tech/http/ and
 * .../tech/json/): the app POSTs one JSON message, or an array of them, and
 * expects HTTP 200 with a JSON array in reply (messages for the app; we send
 * none, so `[]`). Only `_type: "location"` carries a fix:
 *   lat, lon (degrees, required), tst (unix seconds of the fix), acc and alt
 *   (metres), vel (km/h), cog (degrees), batt (percent), tid, created_at, ...
 * Every other `_type` (transition, waypoint, lwt, status, card, ...) is
 * acknowledged and ignored. A zero-length body is a deleted friend in the
 * app and is acknowledged too.
 *
 * Pure functions: no I/O, so they are tested on their own.
 */
import {
  KMH_TO_METERS_PER_SECOND,
  ProtocolInputError,
  deviceTime,
  isRecord,
  optionalNumber,
  requiredNumber,
  unknownIfNegative,
} from './values';
import type { IngestPoint } from '../../schema/plugin-api';

export interface OwnTracksReport {
  points: IngestPoint[];
  /** Messages of other types, acknowledged without storing anything. */
  ignored: number;
}

/** Stable per device and fix time, so a resent message is a duplicate, not a new point. */
export const owntracksClientId = (recordedAt: Date) => `owntracks:${recordedAt.getTime()}`;

export function parseOwnTracks(body: unknown): OwnTracksReport {
  if (body === undefined) return { points: [], ignored: 0 };
  const messages = Array.isArray(body) ? body : [body];
  const points: IngestPoint[] = [];
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
    // tst is the time of the fix; created_at (when the message was built) only stands in if tst is missing.
    const recordedAt = deviceTime(message.tst ?? message.created_at, message.tst === undefined && message.created_at !== undefined ? at('created_at') : at('tst'));
    // iOS reports a negative accuracy, speed or course when it has none.
    const kmh = unknownIfNegative(optionalNumber(message.vel, at('vel')));
    points.push({
      clientId: owntracksClientId(recordedAt),
      recordedAt,
      latitude: requiredNumber(message.lat, at('lat')),
      longitude: requiredNumber(message.lon, at('lon')),
      accuracy: unknownIfNegative(optionalNumber(message.acc, at('acc'))),
      altitude: optionalNumber(message.alt, at('alt')),
      speed: kmh === null ? null : kmh * KMH_TO_METERS_PER_SECOND,
      heading: unknownIfNegative(optionalNumber(message.cog, at('cog'))),
      battery: optionalNumber(message.batt, at('batt')),
    });
  });
  return { points, ignored };
}
