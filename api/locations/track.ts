/**
 * Device.track: the route between two instants as GeoJSON, its length and a
 * simplified shape. Points are read with raw SQL in keyset batches selecting
 * only time, latitude and longitude, into typed arrays: no Prisma model
 * objects, so a 100k-point day stays a few megabytes.
 */
import type { Database } from '../db/adapters';
import { INT, TEXT, TIME } from '../db/arg-types';
import { badInput } from '../errors';
import { routeLengthMeters, simplify } from './geometry';

/**
 * Bounds of one track: at most 31 days and 100,000 points (a fix per second for
 * a day is 86,400). Past either, BAD_USER_INPUT on `to`: ask for a shorter period.
 * The operation cost (server/limits/cost.ts) prices a track accordingly.
 */
export const MAX_TRACK_POINTS = 100_000;
export const MAX_TRACK_DAYS = 31;
const BATCH = 25_000;

export interface TrackResult {
  deviceId: string;
  from: Date;
  to: Date;
  pointCount: number;
  simplifiedPointCount: number;
  distanceMeters: number;
  geojson: {
    type: 'Feature';
    geometry: { type: 'LineString'; coordinates: [number, number][] } | { type: 'Point'; coordinates: [number, number] } | null;
    properties: Record<string, unknown>;
  };
}

interface Series {
  t: Float64Array;
  lat: Float64Array;
  lon: Float64Array;
  count: number;
}

/**
 * Points of a device with from <= recordedAt <= to, ordered by (recordedAt, id), in batches of BATCH. Read past
 * Prisma's engine (Database.queryRows): a track is up to 100,000 rows, which Prisma's raw-query mapping costs
 * more than the read.
 */
export async function loadSeries(db: Pick<Database, 'queryRows'>, deviceId: string, from: Date, to: Date): Promise<Series> {
  let s: Series = { t: new Float64Array(1024), lat: new Float64Array(1024), lon: new Float64Array(1024), count: 0 };
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const args: unknown[] = [deviceId, from, to, BATCH];
    const argTypes = [TEXT, TIME, TIME, INT];
    if (after) {
      args.push(after.at, after.id);
      argTypes.push(TIME, TEXT);
    }
    const { rows } = await db.queryRows({
      sql: `SELECT (extract(epoch FROM "recordedAt") * 1000)::double precision, "latitude", "longitude", "id"
        FROM "LocationPoint"
        WHERE "deviceId" = $1 AND "recordedAt" >= $2 AND "recordedAt" <= $3 ${after ? 'AND ("recordedAt", "id") > ($5, $6)' : ''}
        ORDER BY "recordedAt", "id"
        LIMIT $4`,
      args,
      argTypes,
    });
    if (s.count + rows.length > MAX_TRACK_POINTS) {
      throw badInput('to', `The period holds more than ${MAX_TRACK_POINTS} points; ask for a shorter one.`);
    }
    s = ensureCapacity(s, s.count + rows.length);
    for (const r of rows) {
      s.t[s.count] = Number(r[0]);
      s.lat[s.count] = Number(r[1]);
      s.lon[s.count] = Number(r[2]);
      s.count++;
    }
    if (rows.length < BATCH) return s;
    const lastRow = rows[rows.length - 1];
    after = { at: new Date(Number(lastRow[0])), id: lastRow[3] as string };
  }
}

function ensureCapacity(s: Series, n: number): Series {
  if (n <= s.t.length) return s;
  let size = s.t.length;
  while (size < n) size *= 2;
  const grow = (a: Float64Array) => {
    const b = new Float64Array(size);
    b.set(a.subarray(0, s.count));
    return b;
  };
  return { t: grow(s.t), lat: grow(s.lat), lon: grow(s.lon), count: s.count };
}

/** Builds the track from loaded points: full-route length, simplified GeoJSON. */
export function buildTrack(deviceId: string, from: Date, to: Date, s: Series, toleranceMeters: number): TrackResult {
  const kept = simplify(s.lat, s.lon, toleranceMeters, s.count);
  const coordinates = kept.map((i) => [s.lon[i], s.lat[i]] as [number, number]);
  const times = kept.map((i) => new Date(s.t[i]).toISOString());
  const distanceMeters = routeLengthMeters(s.lat, s.lon, s.count);
  const geometry =
    coordinates.length >= 2
      ? { type: 'LineString' as const, coordinates }
      : coordinates.length === 1
        ? { type: 'Point' as const, coordinates: coordinates[0] }
        : null;
  return {
    deviceId,
    from,
    to,
    pointCount: s.count,
    simplifiedPointCount: kept.length,
    distanceMeters,
    geojson: {
      type: 'Feature',
      geometry,
      properties: {
        from: from.toISOString(),
        to: to.toISOString(),
        startedAt: times[0] ?? null,
        endedAt: times.at(-1) ?? null,
        // One timestamp per coordinate, in the same order.
        times,
        pointCount: s.count,
        simplifiedPointCount: kept.length,
        toleranceMeters,
        distanceMeters,
      },
    },
  };
}

/** Device.track's period, as asked by the client (share links bound theirs by points instead). */
export function checkTrackPeriod(from: Date, to: Date): void {
  if (to.getTime() - from.getTime() > MAX_TRACK_DAYS * 86_400_000) {
    throw badInput('to', `A track covers at most ${MAX_TRACK_DAYS} days; ask for a shorter period.`);
  }
}

export async function deviceTrack(
  db: Pick<Database, 'queryRows'>,
  deviceId: string,
  args: { from: Date; to: Date; toleranceMeters?: number | null },
  visibleFrom: Date | null,
): Promise<TrackResult> {
  const tolerance = args.toleranceMeters ?? 0;
  if (!Number.isFinite(tolerance) || tolerance < 0) throw badInput('toleranceMeters', 'Must be 0 or more metres.');
  if (args.to < args.from) throw badInput('to', 'to must not be before from.');
  const from = visibleFrom && visibleFrom > args.from ? visibleFrom : args.from;
  const series =
    from > args.to
      ? { t: new Float64Array(0), lat: new Float64Array(0), lon: new Float64Array(0), count: 0 }
      : await loadSeries(db, deviceId, from, args.to);
  return buildTrack(deviceId, args.from, args.to, series, tolerance);
}
