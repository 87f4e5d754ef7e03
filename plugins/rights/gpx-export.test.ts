/**
 * The GPX export against the official GPX 1.1 schema (fixtures/gpx-1.1.xsd),
 * at the edges of its ranges: longitude 180 (allowed when stored, outside
 * GPX's -180 <= lon < 180) is written as -180, the same meridian.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { gpxLongitude, toGpx } from './export/formats';
import type { DeviceWithPoints } from './export/collect';

const xsd = readFileSync(new URL('./fixtures/gpx-1.1.xsd', import.meta.url), 'utf8');
const validate = (gpx: string) =>
  validateXML({ xml: [{ fileName: 'export.gpx', contents: gpx }], schema: [{ fileName: 'gpx.xsd', contents: xsd }] });

function device(points: [number, number][]): DeviceWithPoints {
  return {
    id: 'd1',
    name: 'Boat & <Co>',
    kind: 'TRACKER',
    identifier: null,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    lastSeenAt: null,
    points: points.map(([latitude, longitude], i) => ({
      recordedAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
      receivedAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
      latitude,
      longitude,
      accuracy: null,
      altitude: i % 2 ? 12.5 : null,
      speed: null,
      heading: null,
      battery: null,
      source: 'GPS',
      clientId: `c${i}`,
    })) as DeviceWithPoints['points'],
  };
}

describe('GPX export and the official GPX 1.1 schema', () => {
  it('writes longitude 180 (and what rounds to it) as -180', () => {
    expect(gpxLongitude(180)).toBe('-180');
    expect(gpxLongitude(179.99999999)).toBe('-180');
    expect(gpxLongitude(-180)).toBe('-180');
    expect(gpxLongitude(179.9999999)).toBe('179.9999999');
    expect(gpxLongitude(24.1052)).toBe('24.1052');
  });

  it('a track crossing the antimeridian, the poles and both ends of the longitude range is valid', async () => {
    const gpx = toGpx(
      [
        device([
          [-16.5, 179.5],
          [-16.6, 180],
          [-16.7, -180],
          [90, 0],
          [-90, -179.9],
          [56.9, 24.1],
        ]),
      ],
      new Date(),
    );
    expect(gpx).toContain('lon="-180"');
    expect(gpx).not.toContain('lon="180"');
    const result = await validate(gpx);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('the schema refuses longitude 180 itself (the check is real)', async () => {
    const gpx = toGpx([device([[0, 10]])], new Date()).replace('lon="10"', 'lon="180"');
    expect(gpx).toContain('lon="180"');
    expect((await validate(gpx)).valid).toBe(false);
  });
});
