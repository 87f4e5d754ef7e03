/**
 * Distances on the earth and route simplification, on plain number arrays
 * (no objects per point, so 100k-point tracks stay cheap).
 *
 * Earth radius: the IUGG mean radius R1 = 6,371,008.8 m. With it one degree
 * of latitude along a meridian is 2πR/360 = 111,195.08 m.
 */
export const EARTH_RADIUS_M = 6_371_008.8;

const RAD = Math.PI / 180;

/** Great-circle distance in metres (haversine formula). */
export function haversineMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Length of a route along the earth's surface: the sum of haversine distances between consecutive points. */
export function routeLengthMeters(lat: ArrayLike<number>, lon: ArrayLike<number>, count = lat.length): number {
  let total = 0;
  for (let i = 1; i < count; i++) total += haversineMeters(lat[i - 1], lon[i - 1], lat[i], lon[i]);
  return total;
}

/**
 * Douglas-Peucker simplification. Returns the indexes of the points kept
 * (always the first and the last), ascending. Points are projected to metres
 * (equirectangular around the route's mean latitude, accurate to well under
 * a percent over city and regional distances), and a point is dropped when it
 * lies within `toleranceMeters` of the segment between the kept neighbours.
 * Iterative with an explicit stack, so long tracks cannot overflow the call stack.
 * Tolerance 0 keeps every point.
 */
export function simplify(lat: ArrayLike<number>, lon: ArrayLike<number>, toleranceMeters: number, count = lat.length): number[] {
  if (count <= 2 || toleranceMeters <= 0) return Array.from({ length: count }, (_, i) => i);
  let meanLat = 0;
  for (let i = 0; i < count; i++) meanLat += lat[i];
  const kx = EARTH_RADIUS_M * RAD * Math.cos((meanLat / count) * RAD);
  const ky = EARTH_RADIUS_M * RAD;
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    x[i] = lon[i] * kx;
    y[i] = lat[i] * ky;
  }
  const keep = new Uint8Array(count);
  keep[0] = 1;
  keep[count - 1] = 1;
  const tol2 = toleranceMeters * toleranceMeters;
  const stack: number[] = [0, count - 1];
  while (stack.length) {
    const end = stack.pop()!;
    const start = stack.pop()!;
    let maxD2 = -1;
    let index = -1;
    for (let i = start + 1; i < end; i++) {
      const d2 = segmentDistance2(x[i], y[i], x[start], y[start], x[end], y[end]);
      if (d2 > maxD2) {
        maxD2 = d2;
        index = i;
      }
    }
    if (index >= 0 && maxD2 > tol2) {
      keep[index] = 1;
      stack.push(start, index, index, end);
    }
  }
  const out: number[] = [];
  for (let i = 0; i < count; i++) if (keep[i]) out.push(i);
  return out;
}

/** Squared distance from point P to segment AB (to the nearest end when P projects outside it). */
function segmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len2;
  t = Math.max(0, Math.min(1, t));
  const ex = ax + t * dx - px;
  const ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}
