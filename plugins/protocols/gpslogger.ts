/**
 * GPSLogger for Android, "Log to custom URL" (https://gpslogger.app):
 * the app fills placeholders into a URL (GET) or a body (POST, form) that
 * the user types in. Our documented template (docs/device-protocols.md):
 *   lat=%LAT&lon=%LON&time=%TIME&spd=%SPD&acc=%ACC&alt=%ALT&batt=%BATT&dir=%DIR&prov=%PROV
 * %TIME is ISO 8601 UTC, %SPD metres per second, %ACC and %ALT metres, %BATT
 * percent, %DIR degrees, %PROV gps|network|passive. `timestamp` (%TIMESTAMP,
 * unix seconds) stands in for `time`. A placeholder the app has no value for
 * is sent empty, which reads as unknown.
 * Pure functions: no I/O.
 */
import { type Fix, readFix, receivedTimeIdentity } from './fixes';
import { optionalDeviceTime, optionalNumber, requiredNumber, unknownIfNegative } from './values';
import type { IngestPoint } from '../../schema/plugin-api';

export const gpsloggerClientId = (recordedAt: Date) => `gpslogger:${recordedAt.getTime()}`;

const PROVIDERS: Record<string, IngestPoint['source']> = { gps: 'GPS', network: 'WIFI', fused: 'FUSED', passive: 'UNKNOWN' };

export function parseGpsLogger(params: URLSearchParams, now = new Date()): Fix {
  const get = (name: string) => {
    const v = params.get(name)?.trim();
    // An unfilled placeholder (e.g. "%BATT" on a device without a battery reading) is no value.
    return v === undefined || v === '' || v.startsWith('%') ? undefined : v;
  };
  return readFix(Object.fromEntries(params), () => {
    const content = {
      latitude: requiredNumber(get('lat'), 'lat'),
      longitude: requiredNumber(get('lon'), 'lon'),
      speed: unknownIfNegative(optionalNumber(get('spd'), 'spd')),
      accuracy: unknownIfNegative(optionalNumber(get('acc'), 'acc')),
      altitude: optionalNumber(get('alt'), 'alt'),
      battery: unknownIfNegative(optionalNumber(get('batt'), 'batt')),
      heading: unknownIfNegative(optionalNumber(get('dir'), 'dir')),
      source: PROVIDERS[get('prov')?.toLowerCase() ?? ''] ?? null,
    };
    const field = get('time') !== undefined ? 'time' : 'timestamp';
    const recordedAt = optionalDeviceTime(get(field), field);
    const identity = recordedAt ? { recordedAt, clientId: gpsloggerClientId(recordedAt) } : receivedTimeIdentity('gpslogger', now, content);
    return { ...identity, ...content };
  });
}
