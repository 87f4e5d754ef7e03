/**
 * The protocol parsers on their own: the payloads are shaped exactly as the
 * apps send them (Traccar's OsmAnd page, Traccar Client's request builder,
 * the background-geolocation SDK body, the OwnTracks JSON booklet).
 */
import { describe, expect, it } from 'vitest';
import { parseOsmAndJson as osmandJson, parseOsmAndParams as osmandParams } from './osmand';
import { parseOwnTracks as owntracks } from './owntracks';
import type { Fix } from './fixes';
import { ProtocolInputError, deviceTime } from './values';
import { readMaxBodyBytes } from './config';

/** Points of a report; a refused fix throws as the parser used to, so the field checks below read the same. */
function pointsOf(fixes: Fix[]) {
  return fixes.map((f) => {
    if ('point' in f) return f.point;
    throw new ProtocolInputError(f.refusal.field ?? 'body', f.refusal.reason);
  });
}
const parseOsmAndParams = (p: URLSearchParams) => {
  const r = osmandParams(p);
  return { ...r, points: pointsOf(r.fixes) };
};
const parseOsmAndJson = (body: unknown) => {
  const r = osmandJson(body);
  return { ...r, points: pointsOf(r.fixes) };
};
const parseOwnTracks = (body: unknown) => {
  const r = owntracks(body);
  return { ignored: r.ignored, points: pointsOf(r.fixes) };
};

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProtocolInputError) return { field: e.field, message: e.message };
    throw e;
  }
  throw new Error('expected a ProtocolInputError');
};

describe('OsmAnd query / form parameters', () => {
  it('reads the Traccar Client request: knots to m/s, seconds to an instant, percent battery', () => {
    // As Traccar Client (Android 8.x) builds it: id, timestamp (s), lat, lon, speed (knots), bearing, altitude, accuracy, batt.
    const params = new URLSearchParams(
      'id=862123456789012&timestamp=1732468800&lat=56.946285&lon=24.105078&speed=10.0&bearing=271.5&altitude=12.0&accuracy=4.5&batt=87.0&charge=true',
    );
    const report = parseOsmAndParams(params);
    expect(report.claimedDeviceId).toBe('862123456789012');
    expect(report.points).toHaveLength(1);
    const [p] = report.points;
    expect(p.recordedAt.toISOString()).toBe('2024-11-24T17:20:00.000Z');
    expect(p.latitude).toBe(56.946285);
    expect(p.longitude).toBe(24.105078);
    expect(p.speed).toBeCloseTo(5.14444, 4);
    expect(p.heading).toBe(271.5);
    expect(p.altitude).toBe(12);
    expect(p.accuracy).toBe(4.5);
    expect(p.battery).toBe(87);
    expect(p.clientId).toBe('osmand:1732468800000');
  });

  it('reads the minimal documented example (id, lat, lon, timestamp, hdop, altitude, speed)', () => {
    const report = parseOsmAndParams(new URLSearchParams('id=123456&lat=56.95&lon=24.1&timestamp=1732468800&hdop=1.2&altitude=40&speed=0'));
    expect(report.points[0]).toMatchObject({ latitude: 56.95, longitude: 24.1, altitude: 40, speed: 0, heading: null, battery: null });
  });

  it('accepts deviceid, heading, location=lat,lon', () => {
    const report = parseOsmAndParams(new URLSearchParams('deviceid=abc&location=56.9,24.1&timestamp=1732468800&heading=90'));
    expect(report.claimedDeviceId).toBe('abc');
    expect(report.points[0]).toMatchObject({ latitude: 56.9, longitude: 24.1, heading: 90 });
  });

  it('takes timestamps in seconds, milliseconds, ISO 8601 and "yyyy-MM-dd HH:mm:ss" (UTC) to the same instant', () => {
    const at = (t: string) =>
      parseOsmAndParams(new URLSearchParams({ lat: '1', lon: '2', timestamp: t })).points[0].recordedAt.toISOString();
    expect(at('1732468800')).toBe('2024-11-24T17:20:00.000Z');
    expect(at('1732468800000')).toBe('2024-11-24T17:20:00.000Z');
    expect(at('2024-11-24T17:20:00Z')).toBe('2024-11-24T17:20:00.000Z');
    expect(at('2024-11-24T19:20:00+02:00')).toBe('2024-11-24T17:20:00.000Z');
    expect(at('2024-11-24 17:20:00')).toBe('2024-11-24T17:20:00.000Z');
  });

  it('gives a retried fix the same clientId and a later fix another', () => {
    const q = 'id=1&lat=56.9&lon=24.1&timestamp=1732468800';
    expect(parseOsmAndParams(new URLSearchParams(q)).points[0].clientId).toBe(parseOsmAndParams(new URLSearchParams(q)).points[0].clientId);
    expect(parseOsmAndParams(new URLSearchParams('id=1&lat=56.9&lon=24.1&timestamp=1732468801')).points[0].clientId).toBe(
      'osmand:1732468801000',
    );
  });

  it('refuses a fix the device flags valid=false (acknowledged and quarantined by the route)', () => {
    const report = osmandParams(new URLSearchParams('id=1&lat=0&lon=0&timestamp=1732468800&valid=false'));
    expect(report.fixes).toEqual([
      { refusal: expect.objectContaining({ code: 'MARKED_INVALID', field: 'valid' }), raw: expect.objectContaining({ valid: 'false' }) },
    ]);
  });

  it('a fix without a timestamp gets the receive time and a content-hash clientId (same content, same id)', () => {
    const now = new Date('2026-11-24T12:00:00Z');
    const a = pointsOf(osmandParams(new URLSearchParams('id=1&lat=1&lon=2'), now).fixes)[0];
    const b = pointsOf(osmandParams(new URLSearchParams('id=1&lat=1&lon=2'), new Date(now.getTime() + 5000)).fixes)[0];
    const c = pointsOf(osmandParams(new URLSearchParams('id=1&lat=1&lon=2.1'), now).fixes)[0];
    expect(a.recordedAt).toEqual(now);
    expect(a.clientId).toMatch(/^osmand:rx:/);
    expect(b.clientId).toBe(a.clientId);
    expect(c.clientId).not.toBe(a.clientId);
    const json = pointsOf(osmandJson({ location: { coords: { latitude: 1, longitude: 2 } } }, now).fixes)[0];
    expect(json).toMatchObject({ recordedAt: now, clientId: expect.stringMatching(/^osmand:rx:/) });
    const ot = pointsOf(owntracks({ _type: 'location', lat: 1, lon: 2, batt: -1 }, now).fixes)[0];
    expect(ot).toMatchObject({ recordedAt: now, battery: null, clientId: expect.stringMatching(/^owntracks:rx:/) });
  });

  it('a cell/Wi-Fi-only request (no coordinates) is refused as NO_COORDINATES', () => {
    const [fix] = osmandParams(new URLSearchParams('id=1&timestamp=1377177267&cell=257,02,16,2224&wifi=00-14-22-01-23-45,-80')).fixes;
    expect(fix).toMatchObject({ refusal: { code: 'NO_COORDINATES', field: 'lat' } });
  });

  it('names the parameter that is missing or not a number', () => {
    expect(fieldOf(() => parseOsmAndParams(new URLSearchParams('id=1&lon=24.1&timestamp=1732468800')))).toEqual({
      field: 'lat',
      message: 'lat is required.',
    });
    expect(fieldOf(() => parseOsmAndParams(new URLSearchParams('id=1&lat=abc&lon=24.1&timestamp=1732468800')))).toMatchObject({
      field: 'lat',
      message: 'lat must be a number (got "abc").',
    });
    expect(fieldOf(() => parseOsmAndParams(new URLSearchParams('id=1&lat=1&lon=2&timestamp=1732468800&speed=fast'))).field).toBe('speed');
    expect(fieldOf(() => parseOsmAndParams(new URLSearchParams('id=1&lat=1&lon=2&timestamp=1732468800&hdop=x'))).field).toBe('hdop');
    expect(fieldOf(() => parseOsmAndParams(new URLSearchParams('id=1&lat=1&lon=2&timestamp=yesterday'))).field).toBe('timestamp');
    expect(fieldOf(() => parseOsmAndParams(new URLSearchParams('id=1&lat=Infinity&lon=2&timestamp=1'))).field).toBe('lat');
  });

  it('treats an empty optional parameter as absent', () => {
    const report = parseOsmAndParams(new URLSearchParams('id=1&lat=1&lon=2&timestamp=1732468800&speed=&batt='));
    expect(report.points[0]).toMatchObject({ speed: null, battery: null });
  });
});

describe('OsmAnd JSON (background-geolocation SDK, Traccar Client 9+)', () => {
  const sdkBody = {
    location: {
      timestamp: '2024-11-24T17:20:00.123Z',
      coords: { latitude: 56.946285, longitude: 24.105078, accuracy: 5, speed: 3.5, heading: 180.2, altitude: 11 },
      is_moving: true,
      odometer: 1520.3,
      event: 'motionchange',
      battery: { level: 0.87, is_charging: false },
      activity: { type: 'walking' },
      extras: {},
    },
    device_id: '48241179',
  };

  it('keeps m/s speed, turns battery 0..1 into percent and the ISO timestamp into recordedAt', () => {
    const report = parseOsmAndJson(sdkBody);
    expect(report.claimedDeviceId).toBe('48241179');
    expect(report.points).toEqual([
      {
        clientId: 'osmand:1732468800123',
        recordedAt: new Date('2024-11-24T17:20:00.123Z'),
        latitude: 56.946285,
        longitude: 24.105078,
        accuracy: 5,
        speed: 3.5,
        heading: 180.2,
        altitude: 11,
        battery: 87,
      },
    ]);
  });

  it('reads the SDK -1 "unknown" values as absent', () => {
    const body = {
      ...sdkBody,
      location: { ...sdkBody.location, coords: { ...sdkBody.location.coords, speed: -1, heading: -1 }, battery: { level: -1 } },
    };
    expect(parseOsmAndJson(body).points[0]).toMatchObject({ speed: null, heading: null, battery: null });
  });

  it('accepts a batch: location as an array', () => {
    const second = { ...sdkBody.location, timestamp: '2024-11-24T17:21:00Z' };
    const report = parseOsmAndJson({ device_id: '48241179', location: [sdkBody.location, second] });
    expect(report.points.map((p) => p.clientId)).toEqual(['osmand:1732468800123', 'osmand:1732468860000']);
  });

  it('names the broken member', () => {
    expect(fieldOf(() => parseOsmAndJson({ device_id: 'x' })).field).toBe('location');
    expect(fieldOf(() => parseOsmAndJson({ location: { timestamp: '2024-11-24T17:20:00Z' } })).field).toBe('location.coords');
    expect(
      fieldOf(() => parseOsmAndJson({ location: [sdkBody.location, { ...sdkBody.location, coords: { latitude: 'north', longitude: 1 } }] }))
        .field,
    ).toBe('location[1].coords.latitude');
    expect(fieldOf(() => parseOsmAndJson([1, 2])).field).toBe('body');
  });
});

describe('OwnTracks JSON', () => {
  // The shape of the booklet's _type=location message (Android, HTTP mode).
  const location = {
    _type: 'location',
    acc: 12,
    alt: 37,
    batt: 64,
    bs: 1,
    conn: 'w',
    created_at: 1732468805,
    lat: 56.946285,
    lon: 24.105078,
    m: 1,
    t: 'u',
    tid: 'JD',
    tst: 1732468800,
    vac: 3,
    vel: 36,
    cog: 270,
    topic: 'owntracks/jane/phone',
    inregions: ['home'],
  };

  it('converts km/h to m/s, keeps degrees, metres and percent, uses tst as recordedAt', () => {
    const report = parseOwnTracks(location);
    expect(report.ignored).toBe(0);
    expect(report.points).toHaveLength(1);
    const [p] = report.points;
    expect(p).toMatchObject({
      clientId: 'owntracks:1732468800000',
      latitude: 56.946285,
      longitude: 24.105078,
      accuracy: 12,
      altitude: 37,
      heading: 270,
      battery: 64,
    });
    expect(p.speed).toBeCloseTo(10, 10);
    expect(p.recordedAt.toISOString()).toBe('2024-11-24T17:20:00.000Z');
  });

  it('reads arrays and ignores other message types', () => {
    const report = parseOwnTracks([
      location,
      {
        _type: 'transition',
        event: 'enter',
        desc: 'home',
        lat: 56.9,
        lon: 24.1,
        tst: 1732468900,
        wtst: 1700000000,
        acc: 10,
        t: 'c',
        tid: 'JD',
      },
      { _type: 'lwt', tst: 1732468800 },
      { ...location, tst: 1732468860 },
    ]);
    expect(report.ignored).toBe(2);
    expect(report.points.map((p) => p.clientId)).toEqual(['owntracks:1732468800000', 'owntracks:1732468860000']);
  });

  it('treats an empty body (a deleted friend) as nothing to do', () => {
    expect(parseOwnTracks(undefined)).toEqual({ points: [], ignored: 0 });
    expect(owntracks(undefined)).toEqual({ fixes: [], ignored: 0 });
  });

  it('reads a negative iOS speed or accuracy as unknown, and falls back to created_at without tst', () => {
    const { tst: _tst, ...withoutTst } = location;
    const [p] = parseOwnTracks({ ...withoutTst, vel: -1, acc: -1 }).points;
    expect(p).toMatchObject({ speed: null, accuracy: null });
    expect(p.recordedAt.toISOString()).toBe('2024-11-24T17:20:05.000Z');
  });

  it('names the broken member', () => {
    expect(fieldOf(() => parseOwnTracks({ ...location, lat: undefined }))).toEqual({ field: 'lat', message: 'lat is required.' });
    expect(fieldOf(() => parseOwnTracks([location, { ...location, vel: 'fast' }])).field).toBe('[1].vel');
    expect(fieldOf(() => parseOwnTracks({ lat: 1, lon: 2 })).field).toBe('_type');
    expect(fieldOf(() => parseOwnTracks('location')).field).toBe('body');
  });
});

describe('values', () => {
  it('refuses a timestamp of the wrong type', () => {
    expect(() => deviceTime(true, 't')).toThrow(ProtocolInputError);
    expect(() => deviceTime('24.11.2024', 't')).toThrow('t must be seconds or milliseconds since 1970, or an ISO 8601 time');
  });

  it('reads PROTOCOLS_MAX_BODY_BYTES with a default and bounds', () => {
    expect(readMaxBodyBytes({})).toBe(256 * 1024);
    expect(readMaxBodyBytes({ PROTOCOLS_MAX_BODY_BYTES: '4096' })).toBe(4096);
    expect(() => readMaxBodyBytes({ PROTOCOLS_MAX_BODY_BYTES: 'lots' })).toThrow(/PROTOCOLS_MAX_BODY_BYTES/);
    expect(() => readMaxBodyBytes({ PROTOCOLS_MAX_BODY_BYTES: '10' })).toThrow(/from 1024/);
  });
});
