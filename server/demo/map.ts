/**
 * Draws devices and their recent trails as SVG over the bounding box of the
 * positions themselves (equirectangular, longitude scaled by cos(latitude)),
 * with a degree grid for orientation: no map tiles, nothing from the internet.
 */

export interface MapPoint {
  latitude: number;
  longitude: number;
  recordedAt: string;
}

export interface MapDevice {
  id: string;
  name: string;
  color: string;
  points: MapPoint[]; // oldest first; the last one is the current position
}

const WIDTH = 1000;
const HEIGHT = 700;
const MARGIN = 40;
const SVG = 'http://www.w3.org/2000/svg';

export function renderMap(svg: SVGSVGElement, devices: MapDevice[]) {
  const all = devices.flatMap((d) => d.points);
  svg.replaceChildren();
  if (all.length === 0) return;
  const project = projection(all);
  drawGrid(svg, project);
  for (const device of devices) {
    if (device.points.length === 0) continue;
    const xy = device.points.map(project.toXY);
    if (xy.length > 1) {
      svg.append(
        el('polyline', { class: 'trail', stroke: device.color, points: xy.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ') }),
      );
    }
    const last = device.points[device.points.length - 1];
    const [x, y] = xy[xy.length - 1];
    const marker = el('g', {
      class: 'marker',
      transform: `translate(${x.toFixed(1)} ${y.toFixed(1)})`,
      'data-device-id': device.id,
      'data-latitude': String(last.latitude),
      'data-longitude': String(last.longitude),
      'data-recorded-at': last.recordedAt,
    });
    // Labels near the right edge go to the left of the marker, so they stay readable.
    const label: Record<string, string> = x > WIDTH - 160 ? { x: '-12', y: '4', 'text-anchor': 'end' } : { x: '12', y: '4' };
    marker.append(el('circle', { r: '8', fill: device.color }), Object.assign(el('text', label), { textContent: device.name }));
    svg.append(marker);
  }
}

interface Projection {
  toXY(p: { latitude: number; longitude: number }): [number, number];
  box: { minLat: number; maxLat: number; minLon: number; maxLon: number };
}

function projection(points: MapPoint[]): Projection {
  let minLat = Math.min(...points.map((p) => p.latitude));
  let maxLat = Math.max(...points.map((p) => p.latitude));
  let minLon = Math.min(...points.map((p) => p.longitude));
  let maxLon = Math.max(...points.map((p) => p.longitude));
  // At least ~200 m across, so a single point or a parked device still gets a sensible scale.
  const minSpan = 0.002;
  if (maxLat - minLat < minSpan) [minLat, maxLat] = [(minLat + maxLat) / 2 - minSpan / 2, (minLat + maxLat) / 2 + minSpan / 2];
  if (maxLon - minLon < minSpan) [minLon, maxLon] = [(minLon + maxLon) / 2 - minSpan / 2, (minLon + maxLon) / 2 + minSpan / 2];
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const scale = Math.min((WIDTH - 2 * MARGIN) / ((maxLon - minLon) * kx), (HEIGHT - 2 * MARGIN) / (maxLat - minLat));
  const cx = (minLon + maxLon) / 2;
  const cy = (minLat + maxLat) / 2;
  const toXY = (p: { latitude: number; longitude: number }): [number, number] => [
    WIDTH / 2 + (p.longitude - cx) * kx * scale,
    HEIGHT / 2 - (p.latitude - cy) * scale,
  ];
  // The visible box (wider than the points on one axis because of the aspect ratio).
  const halfLon = WIDTH / 2 / (kx * scale);
  const halfLat = HEIGHT / 2 / scale;
  return { toXY, box: { minLat: cy - halfLat, maxLat: cy + halfLat, minLon: cx - halfLon, maxLon: cx + halfLon } };
}

function drawGrid(svg: SVGSVGElement, { toXY, box }: Projection) {
  const step = niceStep((box.maxLat - box.minLat) / 6);
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  for (let lat = Math.ceil(box.minLat / step) * step; lat <= box.maxLat; lat += step) {
    const [, y] = toXY({ latitude: lat, longitude: box.minLon });
    svg.append(el('line', { class: 'grid', x1: '0', x2: String(WIDTH), y1: y.toFixed(1), y2: y.toFixed(1) }));
    svg.append(
      Object.assign(el('text', { class: 'grid-label', x: '4', y: (y - 3).toFixed(1) }), { textContent: `${lat.toFixed(decimals)}°N` }),
    );
  }
  for (let lon = Math.ceil(box.minLon / step) * step; lon <= box.maxLon; lon += step) {
    const [x] = toXY({ latitude: box.minLat, longitude: lon });
    svg.append(el('line', { class: 'grid', y1: '0', y2: String(HEIGHT), x1: x.toFixed(1), x2: x.toFixed(1) }));
    svg.append(
      Object.assign(el('text', { class: 'grid-label', x: (x + 3).toFixed(1), y: String(HEIGHT - 4) }), {
        textContent: `${lon.toFixed(decimals)}°E`,
      }),
    );
  }
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
function niceStep(raw: number) {
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
}

function el(name: string, attributes: Record<string, string>) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
  return node;
}
