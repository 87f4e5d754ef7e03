/**
 * The OsmAnd protocol as Traccar documents it (https://www.traccar.org/osmand/),
 * in its two shapes:
 *
 * - query or form parameters (OsmAnd, Traccar Client up to 8.x, many
 *   trackers): id|deviceid, lat, lon (or location=lat,lon), timestamp (unix
 *   seconds or milliseconds, ISO 8601, "yyyy-MM-dd HH:mm:ss"), speed in
 *   KNOTS, bearing|heading, altitude, accuracy, hdop, batt (percent), valid;
 * - the JSON body of the background-geolocation SDK (Traccar Client 9+):
 *   { device_id, location: { timestamp (ISO), coords: { latitude, longitude,
 *   accuracy, speed (m/s), heading, altitude }, battery: { level 0..1 } } },
 *   where `location` may also be an array of such objects.
 *
 * A fix without a timestamp gets the receive time (`now`) and a content-hash
 * clientId; a fix that cannot be read becomes a refusal (see fixes.ts).
 * Pure functions: no I/O, so they are tested on their own.
 */
import {
  KNOTS_TO_METERS_PER_SECOND,
  ProtocolInputError,
  optionalDeviceTime,
  isRecord,
  optionalFlag,
  optionalNumber,
  requiredNumber,
  unknownIfNegative,
} from './values';
import { type Fix, readFix, receivedTimeIdentity } from './fixes';
import type { IngestPoint } from '../../schema/plugin-api';

export interface OsmAndReport {
  /** The device identifier the app sent (id, deviceid or device_id); checked against the token's device. */
  claimedDeviceId: string | null;
  fixes: Fix[];
}

/** Stable per device and fix time, so a resent fix is a duplicate, not a new point. */
export const osmandClientId = (recordedAt: Date) => `osmand:${recordedAt.getTime()}`;

/** The fix's time and clientId: the device's time, or the receive time and a content hash when it sent none. */
function identity(raw: unknown, field: string, now: Date, content: Omit<IngestPoint, 'recordedAt' | 'clientId'>) {
  const recordedAt = optionalDeviceTime(raw, field);
  return recordedAt ? { recordedAt, clientId: osmandClientId(recordedAt) } : receivedTimeIdentity('osmand', now, content);
}

export function parseOsmAndParams(params: URLSearchParams, now = new Date()): OsmAndReport {
  const get = (name: string) => params.get(name) ?? undefined;
  const claimedDeviceId = (get('id') ?? get('deviceid'))?.trim() || null;
  const raw = Object.fromEntries(params);
  const fix = readFix(raw, () => {
    if (optionalFlag(get('valid'), 'valid') === false) {
      throw new ProtocolInputError('valid', 'The device marked this fix invalid (valid=false).');
    }
    let latitude: number;
    let longitude: number;
    const location = get('location');
    if (get('lat') === undefined && get('lon') === undefined && location !== undefined) {
      const parts = location.split(',');
      if (parts.length !== 2) throw new ProtocolInputError('location', 'location must be "latitude,longitude".');
      latitude = requiredNumber(parts[0], 'location');
      longitude = requiredNumber(parts[1], 'location');
    } else {
      latitude = requiredNumber(get('lat'), 'lat');
      longitude = requiredNumber(get('lon'), 'lon');
    }
    const knots = optionalNumber(get('speed'), 'speed');
    // hdop has no field in the contract; it is still checked, so a broken sender is told.
    optionalNumber(get('hdop'), 'hdop');
    const content = {
      latitude,
      longitude,
      speed: knots === null ? null : knots * KNOTS_TO_METERS_PER_SECOND,
      heading: optionalNumber(get('bearing') ?? get('heading'), get('bearing') !== undefined ? 'bearing' : 'heading'),
      altitude: optionalNumber(get('altitude'), 'altitude'),
      accuracy: unknownIfNegative(optionalNumber(get('accuracy'), 'accuracy')),
      battery: unknownIfNegative(optionalNumber(get('batt'), 'batt')),
    };
    return { ...identity(get('timestamp'), 'timestamp', now, content), ...content };
  });
  return { claimedDeviceId, fixes: [fix] };
}

export function parseOsmAndJson(body: unknown, now = new Date()): OsmAndReport {
  if (!isRecord(body)) throw new ProtocolInputError('body', 'The JSON body must be an object with "location" and "device_id".');
  const rawId = body.device_id;
  if (rawId !== undefined && rawId !== null && typeof rawId !== 'string' && typeof rawId !== 'number') {
    throw new ProtocolInputError('device_id', 'device_id must be a string.');
  }
  const claimedDeviceId = rawId === undefined || rawId === null ? null : String(rawId).trim() || null;
  if (body.location === undefined || body.location === null) {
    return {
      claimedDeviceId,
      fixes: [{ refusal: { code: 'NO_COORDINATES', reason: 'location is required.', field: 'location' }, raw: body }],
    };
  }
  const locations = Array.isArray(body.location) ? body.location : [body.location];
  const fixes = locations.map((loc, i) =>
    readFix(loc, () => sdkLocation(loc, Array.isArray(body.location) ? `location[${i}]` : 'location', now)),
  );
  return { claimedDeviceId, fixes };
}

/** One location object of the background-geolocation SDK. */
function sdkLocation(loc: unknown, path: string, now: Date): IngestPoint {
  if (!isRecord(loc)) throw new ProtocolInputError(path, `${path} must be an object.`);
  const coords = loc.coords;
  if (!isRecord(coords)) throw new ProtocolInputError(`${path}.coords`, `${path}.coords is required.`);
  const battery = loc.battery === undefined || loc.battery === null ? null : loc.battery;
  if (battery !== null && !isRecord(battery)) throw new ProtocolInputError(`${path}.battery`, `${path}.battery must be an object.`);
  // The SDK reports -1 for what it does not know (speed, heading, battery level in simulators).
  const level = battery ? unknownIfNegative(optionalNumber(battery.level, `${path}.battery.level`)) : null;
  const content = {
    latitude: requiredNumber(coords.latitude, `${path}.coords.latitude`),
    longitude: requiredNumber(coords.longitude, `${path}.coords.longitude`),
    accuracy: unknownIfNegative(optionalNumber(coords.accuracy, `${path}.coords.accuracy`)),
    speed: unknownIfNegative(optionalNumber(coords.speed, `${path}.coords.speed`)),
    heading: unknownIfNegative(optionalNumber(coords.heading, `${path}.coords.heading`)),
    altitude: optionalNumber(coords.altitude, `${path}.coords.altitude`),
    // 0..1 to percent, kept to a tenth (0.87 * 100 is 87.00000000000001 in floating point).
    battery: level === null ? null : Math.round(level * 1000) / 10,
  };
  return { ...identity(loc.timestamp, `${path}.timestamp`, now, content), ...content };
}
