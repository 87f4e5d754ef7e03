/**
 * Streaming readers of history files, one per format: each takes the file's
 * bytes as a stream and yields points one by one, never holding the whole
 * file (SAX for GPX, an incremental JSON parser for GeoJSON and Google
 * Takeout, lines for OwnTracks .rec), so a 200 MB file imports in bounded
 * memory. An entry that cannot be read is yielded as `{ unreadable }` and
 * counted, it does not stop the file.
 */
import { SaxesParser } from 'saxes';
import { JSONParser } from '@streamparser/json';
import type { IngestPoint } from '../point';

export type ImportFormat = 'GPX' | 'GEOJSON' | 'OWNTRACKS_REC' | 'GOOGLE_TAKEOUT';
export type ImportItem = { point: IngestPoint } | { unreadable: string };

const num = (v: unknown): number | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
};
const time = (v: unknown): Date | null => {
  if (typeof v === 'number') return new Date(v > 1e11 ? v : v * 1000);
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return time(Number(v));
  if (typeof v !== 'string') return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
};

function item(lat: unknown, lon: unknown, at: unknown, extra: Partial<IngestPoint> = {}): ImportItem {
  const latitude = num(lat);
  const longitude = num(lon);
  const recordedAt = time(at);
  if (latitude === null || longitude === null) return { unreadable: 'no coordinates' };
  if (!recordedAt) return { unreadable: 'no time' };
  // No clientId: ingestion derives one from time and position, so importing the same file again adds nothing.
  return { point: { recordedAt, latitude, longitude, ...extra } };
}

/** Runs a push parser over the stream, yielding what it emitted after each chunk (backpressure: one chunk at a time). */
async function* pump<T>(
  stream: ReadableStream<Uint8Array>,
  write: (chunk: Uint8Array) => void,
  end: () => void,
  out: T[],
): AsyncGenerator<T> {
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    write(value);
    while (out.length) yield out.shift()!;
  }
  end();
  while (out.length) yield out.shift()!;
}

export function readGpx(stream: ReadableStream<Uint8Array>): AsyncGenerator<ImportItem> {
  const out: ImportItem[] = [];
  const parser = new SaxesParser({ xmlns: false });
  const decoder = new TextDecoder('utf-8');
  let current: { lat?: string; lon?: string; ele?: string; time?: string } | null = null;
  let field: 'ele' | 'time' | null = null;
  let text = '';
  parser.on('opentag', (tag) => {
    const name = tag.name.replace(/^.*:/, '');
    if (name === 'trkpt' || name === 'wpt' || name === 'rtept') {
      current = { lat: String(tag.attributes.lat ?? ''), lon: String(tag.attributes.lon ?? '') };
    } else if (current && (name === 'ele' || name === 'time')) {
      field = name;
      text = '';
    }
  });
  parser.on('text', (t) => {
    if (field) text += t;
  });
  parser.on('closetag', (tag) => {
    const name = tag.name.replace(/^.*:/, '');
    if (current && field && name === field) {
      current[field] = text.trim();
      field = null;
    } else if (current && (name === 'trkpt' || name === 'wpt' || name === 'rtept')) {
      out.push(item(current.lat, current.lon, current.time, { altitude: num(current.ele) }));
      current = null;
    }
  });
  return pump(
    stream,
    (c) => parser.write(decoder.decode(c, { stream: true })),
    () => parser.close(),
    out,
  );
}

function jsonReader(stream: ReadableStream<Uint8Array>, paths: string[], onValue: (value: unknown, out: ImportItem[]) => void) {
  const out: ImportItem[] = [];
  const parser = new JSONParser({ paths, keepStack: false });
  parser.onValue = ({ value }) => onValue(value, out);
  // The parser ends by itself when the root value closes; end() then only checks a truncated file.
  return pump(
    stream,
    (c) => parser.write(c),
    () => (parser.isEnded ? undefined : parser.end()),
    out,
  );
}

const rec = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/**
 * GeoJSON FeatureCollection: Point features with a time property (time, timestamp, recordedAt), and LineString
 * features with one time per position (properties.coordTimes, or `times` as our own export writes).
 */
export function readGeoJson(stream: ReadableStream<Uint8Array>): AsyncGenerator<ImportItem> {
  return jsonReader(stream, ['$.features.*'], (value, out) => {
    const f = rec(value);
    const g = rec(f.geometry);
    const props = rec(f.properties);
    if (g.type === 'Point' && Array.isArray(g.coordinates)) {
      const [lon, lat, alt] = g.coordinates;
      out.push(item(lat, lon, props.time ?? props.timestamp ?? props.recordedAt, { altitude: num(alt), accuracy: num(props.accuracy) }));
    } else if (g.type === 'LineString' && Array.isArray(g.coordinates)) {
      const times = (Array.isArray(props.coordTimes) ? props.coordTimes : Array.isArray(props.times) ? props.times : []) as unknown[];
      g.coordinates.forEach((c, i) => {
        const [lon, lat, alt] = Array.isArray(c) ? c : [];
        out.push(item(lat, lon, times[i], { altitude: num(alt) }));
      });
    } else {
      out.push({ unreadable: `unsupported geometry ${String(g.type)}` });
    }
  });
}

/** "56.9496°, 24.1052°" (Timeline on-device export) to [lat, lon]. */
function degrees(text: unknown): [number | null, number | null] {
  const m = typeof text === 'string' ? /(-?\d+(?:\.\d+)?)°?,\s*(-?\d+(?:\.\d+)?)°?/.exec(text) : null;
  return m ? [Number(m[1]), Number(m[2])] : [null, null];
}

/**
 * Google Takeout: Records.json ({ locations: [{ latitudeE7, longitudeE7, accuracy, altitude, timestamp |
 * timestampMs }] }) and the on-device Timeline export (semanticSegments[].timelinePath[] { point, time } and
 * rawSignals[].position { LatLng, accuracyMeters, altitudeMeters, timestamp }).
 */
export function readGoogleTakeout(stream: ReadableStream<Uint8Array>): AsyncGenerator<ImportItem> {
  return jsonReader(stream, ['$.locations.*', '$.semanticSegments.*.timelinePath.*', '$.rawSignals.*'], (value, out) => {
    const v = rec(value);
    if ('latitudeE7' in v || 'longitudeE7' in v) {
      const lat = num(v.latitudeE7);
      const lon = num(v.longitudeE7);
      out.push(
        item(lat === null ? null : lat / 1e7, lon === null ? null : lon / 1e7, v.timestamp ?? v.timestampMs, {
          accuracy: num(v.accuracy),
          altitude: num(v.altitude),
          speed: num(v.velocity),
          heading: num(v.heading),
        }),
      );
    } else if ('point' in v) {
      const [lat, lon] = degrees(v.point);
      out.push(item(lat, lon, v.time));
    } else if ('position' in v) {
      const p = rec(v.position);
      const [lat, lon] = degrees(p.LatLng);
      out.push(
        item(lat, lon, p.timestamp, {
          accuracy: num(p.accuracyMeters),
          altitude: num(p.altitudeMeters),
          speed: num(p.speedMetersPerSecond),
        }),
      );
    }
  });
}

/**
 * OwnTracks Recorder .rec files: one message per line, "<ISO time>\t<tag padded>\t<JSON>"; location messages
 * become points (batt -1 and negative readings are unknown), other types are skipped.
 */
export async function* readOwnTracksRec(stream: ReadableStream<Uint8Array>): AsyncGenerator<ImportItem> {
  const decoder = new TextDecoder('utf-8');
  const reader = stream.getReader();
  let rest = '';
  const line = (l: string): ImportItem | null => {
    const start = l.indexOf('{');
    if (!l.trim()) return null;
    if (start < 0) return { unreadable: 'no JSON on the line' };
    let m: Record<string, unknown>;
    try {
      m = rec(JSON.parse(l.slice(start)));
    } catch {
      return { unreadable: 'the JSON on the line does not parse' };
    }
    if (m._type !== 'location') return null;
    const known = (v: unknown) => {
      const n = num(v);
      return n !== null && n >= 0 ? n : null;
    };
    const kmh = known(m.vel);
    return item(m.lat, m.lon, m.tst ?? l.split('\t')[0], {
      accuracy: known(m.acc),
      altitude: num(m.alt),
      speed: kmh === null ? null : kmh / 3.6,
      heading: known(m.cog),
      battery: known(m.batt),
    });
  };
  for (;;) {
    const { done, value } = await reader.read();
    rest += done ? decoder.decode() : decoder.decode(value, { stream: true });
    const lines = rest.split('\n');
    rest = done ? '' : lines.pop()!;
    for (const l of lines) {
      const it = line(l);
      if (it) yield it;
    }
    if (done) break;
  }
}

export function readerFor(format: ImportFormat) {
  return { GPX: readGpx, GEOJSON: readGeoJson, OWNTRACKS_REC: readOwnTracksRec, GOOGLE_TAKEOUT: readGoogleTakeout }[format];
}
