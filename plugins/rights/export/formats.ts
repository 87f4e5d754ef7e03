/**
 * Machine-readable export formats (GDPR art. 20): JSON (everything),
 * GeoJSON (one Feature per device: its track), GPX 1.1 (one track per
 * device) and CSV (one row per location point).
 */
import type { DeviceWithPoints } from './collect';

export function toGeoJson(devices: DeviceWithPoints[]) {
  return {
    type: 'FeatureCollection',
    features: devices.map((d) => {
      const coords = d.points.map((p) => (p.altitude == null ? [p.longitude, p.latitude] : [p.longitude, p.latitude, p.altitude]));
      const geometry =
        coords.length >= 2
          ? { type: 'LineString', coordinates: coords }
          : coords.length === 1
            ? { type: 'Point', coordinates: coords[0] }
            : null;
      return {
        type: 'Feature',
        id: d.id,
        geometry,
        properties: {
          deviceId: d.id,
          name: d.name,
          kind: d.kind,
          pointCount: d.points.length,
          times: d.points.map((p) => p.recordedAt.toISOString()),
        },
      };
    }),
  };
}

const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** xsd:decimal text (never exponent notation such as 1e-7). */
const decimal = (n: number, digits: number) =>
  n
    .toFixed(digits)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');

/**
 * GPX 1.1's longitudeType is -180 <= lon < 180: the meridian 180 (stored as 180, or what rounds to it at seven
 * decimals) is written as -180, the same place.
 */
export function gpxLongitude(longitude: number): string {
  const text = decimal(longitude, 7);
  return text === '180' ? '-180' : text;
}

/** GPX 1.1 (http://www.topografix.com/GPX/1/1), child elements in the order the schema requires. */
export function toGpx(devices: DeviceWithPoints[], exportedAt: Date): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gpx version="1.1" creator="location-platform data export" xmlns="http://www.topografix.com/GPX/1/1" ' +
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
      'xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd">',
    `  <metadata><name>Location history export</name><time>${exportedAt.toISOString()}</time></metadata>`,
  ];
  for (const d of devices) {
    lines.push('  <trk>', `    <name>${xmlEscape(d.name)}</name>`, `    <type>${d.kind}</type>`);
    if (d.points.length) {
      lines.push('    <trkseg>');
      for (const p of d.points) {
        const ele = p.altitude == null ? '' : `<ele>${decimal(p.altitude, 3)}</ele>`;
        lines.push(
          `      <trkpt lat="${decimal(p.latitude, 7)}" lon="${gpxLongitude(p.longitude)}">${ele}<time>${p.recordedAt.toISOString()}</time></trkpt>`,
        );
      }
      lines.push('    </trkseg>');
    }
    lines.push('  </trk>');
  }
  lines.push('</gpx>', '');
  return lines.join('\n');
}

export const CSV_HEADER = [
  'device_id',
  'device_name',
  'recorded_at',
  'received_at',
  'latitude',
  'longitude',
  'accuracy',
  'altitude',
  'speed',
  'heading',
  'battery',
  'source',
  'client_id',
];

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled. */
function csvField(v: unknown): string {
  if (v == null) return '';
  const s = v instanceof Date ? v.toISOString() : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(devices: DeviceWithPoints[]): string {
  const rows = [CSV_HEADER.join(',')];
  for (const d of devices) {
    for (const p of d.points) {
      rows.push(
        [
          d.id,
          d.name,
          p.recordedAt,
          p.receivedAt,
          p.latitude,
          p.longitude,
          p.accuracy,
          p.altitude,
          p.speed,
          p.heading,
          p.battery,
          p.source,
          p.clientId,
        ]
          .map(csvField)
          .join(','),
      );
    }
  }
  return rows.join('\r\n') + '\r\n';
}
