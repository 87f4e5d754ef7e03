/**
 * Overland for iOS (https://github.com/aaronpk/Overland-iOS): the app POSTs
 * a batch { "locations": [GeoJSON Feature, ...], "current"?, "trip"? } with
 * its access token as `Authorization: Bearer`, and deletes the batch from its
 * queue only when the reply is {"result":"ok"}. Each Feature is a Point
 * ([longitude, latitude]) with properties: timestamp (ISO 8601 with offset),
 * altitude, speed (m/s, -1 unknown), course, horizontal_accuracy (-1
 * unknown), battery_level (0..1, -1 unknown), ... `current` and `trip` are
 * summaries, not fixes, and are ignored.
 * Pure functions: no I/O.
 */
import { type Fix, readFix, receivedTimeIdentity } from './fixes';
import { ProtocolInputError, isRecord, optionalDeviceTime, optionalNumber, requiredNumber, unknownIfNegative } from './values';
import type { IngestPoint } from '../../schema/plugin-api';

export const overlandClientId = (recordedAt: Date) => `overland:${recordedAt.getTime()}`;

export function parseOverland(body: unknown, now = new Date()): Fix[] {
  if (!isRecord(body) || !Array.isArray(body.locations)) {
    throw new ProtocolInputError('locations', 'The body must be an object with a "locations" array of GeoJSON features.');
  }
  return body.locations.map((feature, i) => readFix(feature, () => overlandFeature(feature, `locations[${i}]`, now)));
}

function overlandFeature(feature: unknown, path: string, now: Date): IngestPoint {
  if (!isRecord(feature)) throw new ProtocolInputError(path, `${path} must be a GeoJSON Feature.`);
  const geometry = feature.geometry;
  if (!isRecord(geometry) || !Array.isArray(geometry.coordinates))
    throw new ProtocolInputError(`${path}.geometry`, `${path}.geometry is required.`);
  const props = isRecord(feature.properties) ? feature.properties : {};
  const level = unknownIfNegative(optionalNumber(props.battery_level, `${path}.properties.battery_level`));
  const content = {
    longitude: requiredNumber(geometry.coordinates[0], `${path}.geometry.coordinates[0]`),
    latitude: requiredNumber(geometry.coordinates[1], `${path}.geometry.coordinates[1]`),
    altitude: optionalNumber(props.altitude, `${path}.properties.altitude`),
    speed: unknownIfNegative(optionalNumber(props.speed, `${path}.properties.speed`)),
    heading: unknownIfNegative(optionalNumber(props.course, `${path}.properties.course`)),
    accuracy: unknownIfNegative(optionalNumber(props.horizontal_accuracy, `${path}.properties.horizontal_accuracy`)),
    battery: level === null ? null : Math.round(level * 1000) / 10,
  };
  const recordedAt = optionalDeviceTime(overlandTime(props.timestamp), `${path}.properties.timestamp`);
  const identity = recordedAt ? { recordedAt, clientId: overlandClientId(recordedAt) } : receivedTimeIdentity('overland', now, content);
  return { ...identity, ...content };
}

/** Overland writes offsets without a colon ("2017-01-01T10:00:00-0700"); Date.parse wants "-07:00". */
function overlandTime(raw: unknown): unknown {
  return typeof raw === 'string' ? raw.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2') : raw;
}
