/**
 * importLocations over HTTP with the GraphQL multipart request spec, as a
 * frontend uploads a file: each format, a repeated import (adds nothing),
 * points older than retention skipped with a count, the owner only, and a
 * large synthetic GPX file read in bounded memory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { signUp, startTestServer, type SignedIn, type TestServer } from './helpers/server';

let server: TestServer;
let owner: SignedIn;
beforeAll(async () => {
  server = await startTestServer({ plugins: [] });
  owner = await signUp(server);
});
afterAll(() => server?.stop());

const IMPORT = `mutation($d: ID!, $f: Upload!, $format: LocationImportFormat!) {
  importLocations(deviceId: $d, file: $f, format: $format) { imported duplicates skipped rejected }
}`;

async function newDevice(by: SignedIn = owner) {
  const r = await server.gql(
    `mutation { registerDevice(input: { name: "Import", kind: PHONE }) { device { id } } }`,
    {},
    { token: by.accessToken },
  );
  return r.data.registerDevice.device.id as string;
}

/** The multipart request spec: operations, map, then the file part. */
async function upload(deviceId: string, format: string, content: string | Blob, token = owner.accessToken, name = 'history') {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query: IMPORT, variables: { d: deviceId, f: null, format } }));
  form.set('map', JSON.stringify({ 0: ['variables.f'] }));
  form.set('0', typeof content === 'string' ? new Blob([content]) : content, name);
  const res = await fetch(server.graphqlUrl, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}`, 'graphql-preflight': '1' },
  });
  return res.json();
}

const points = (id: string) =>
  server.app.services.prisma.locationPoint.findMany({ where: { deviceId: decodeGlobalID(id).id }, orderBy: { recordedAt: 'asc' } });
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const OLD = '2020-01-01T00:00:00Z';

const gpx = (pts: [number, number, string][]) => `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
  <wpt lat="${pts[0][0]}" lon="${pts[0][1]}"><name>Start</name><time>${pts[0][2]}</time></wpt>
  <trk><name>Walk</name><trkseg>
${pts
  .slice(1)
  .map(([lat, lon, t]) => `    <trkpt lat="${lat}" lon="${lon}"><ele>12.5</ele><time>${t}</time></trkpt>`)
  .join('\n')}
  </trkseg></trk>
</gpx>`;

describe('importLocations', () => {
  it('GPX: stores trkpt/wpt, skips points older than retention with a count; importing again adds nothing', async () => {
    const id = await newDevice();
    const file = gpx([
      [56.9, 24.1, ago(60)],
      [56.91, 24.11, ago(50)],
      [56.92, 24.12, ago(40)],
      [56.93, 24.13, OLD],
      [95, 24, ago(30)],
    ]);
    const first = await upload(id, 'GPX', file);
    expect(first.errors).toBeUndefined();
    expect(first.data.importLocations).toEqual({ imported: 3, duplicates: 0, skipped: 1, rejected: 1 });
    const stored = await points(id);
    expect(stored.map((p) => p.latitude)).toEqual([56.9, 56.91, 56.92]);
    expect(stored[1].altitude).toBe(12.5);
    const again = await upload(id, 'GPX', file);
    expect(again.data.importLocations).toEqual({ imported: 0, duplicates: 3, skipped: 1, rejected: 1 });
    expect(await points(id)).toHaveLength(3);
  });

  it('GeoJSON: Point features with a time, and LineStrings with times (our own export)', async () => {
    const id = await newDevice();
    const file = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [24.1, 56.9, 5] }, properties: { time: ago(30) } },
        {
          type: 'Feature',
          geometry: {
            type: 'LineString',
            coordinates: [
              [24.2, 56.8],
              [24.3, 56.7],
            ],
          },
          properties: { times: [ago(20), ago(10)] },
        },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [24.4, 56.6] }, properties: {} },
      ],
    });
    expect((await upload(id, 'GEOJSON', file)).data.importLocations).toEqual({ imported: 3, duplicates: 0, skipped: 0, rejected: 1 });
    expect((await points(id)).map((p) => [p.longitude, p.latitude])).toEqual([
      [24.1, 56.9],
      [24.2, 56.8],
      [24.3, 56.7],
    ]);
  });

  it('OwnTracks .rec: location lines become points (batt -1 unknown), other types are skipped', async () => {
    const id = await newDevice();
    const tst = (m: number) => Math.floor(Date.now() / 1000) - m * 60;
    const line = (m: number, msg: object) => `${new Date(tst(m) * 1000).toISOString()}\t*                 \t${JSON.stringify(msg)}`;
    const file = [
      line(30, { _type: 'location', lat: 56.9, lon: 24.1, tst: tst(30), batt: -1, acc: 10, vel: 36 }),
      line(29, { _type: 'transition', event: 'enter', desc: 'Home', tst: tst(29) }),
      line(20, { _type: 'location', lat: 56.91, lon: 24.11, tst: tst(20), batt: 80 }),
      'garbage',
      '',
    ].join('\n');
    expect((await upload(id, 'OWNTRACKS_REC', file)).data.importLocations).toEqual({ imported: 2, duplicates: 0, skipped: 0, rejected: 1 });
    const [a, b] = await points(id);
    expect(a).toMatchObject({ battery: null, accuracy: 10, speed: 10 });
    expect(b.battery).toBe(80);
  });

  it('Google Takeout: Records.json and the Timeline export', async () => {
    const id = await newDevice();
    const records = JSON.stringify({
      locations: [
        { latitudeE7: 569496000, longitudeE7: 241052000, accuracy: 20, timestamp: ago(90) },
        { latitudeE7: 569497000, longitudeE7: 241053000, accuracy: 15, timestampMs: String(Date.now() - 80 * 60_000) },
        { latitudeE7: 569498000, longitudeE7: 241054000, timestamp: OLD },
      ],
    });
    expect((await upload(id, 'GOOGLE_TAKEOUT', records)).data.importLocations).toEqual({
      imported: 2,
      duplicates: 0,
      skipped: 1,
      rejected: 0,
    });
    const timeline = JSON.stringify({
      semanticSegments: [
        {
          startTime: ago(70),
          endTime: ago(60),
          timelinePath: [
            { point: '56.95°, 24.11°', time: ago(70) },
            { point: '56.96°, 24.12°', time: ago(65) },
          ],
        },
      ],
      rawSignals: [{ position: { LatLng: '56.97°, 24.13°', accuracyMeters: 12, altitudeMeters: 20, source: 'GPS', timestamp: ago(60) } }],
    });
    expect((await upload(id, 'GOOGLE_TAKEOUT', timeline)).data.importLocations).toEqual({
      imported: 3,
      duplicates: 0,
      skipped: 0,
      rejected: 0,
    });
    expect((await points(id)).map((p) => p.latitude)).toEqual([56.9496, 56.9497, 56.95, 56.96, 56.97]);
  });

  it('the owner only: another customer and a grantee get NOT_FOUND, a device token FORBIDDEN; nothing stored', async () => {
    const id = await newDevice();
    const file = gpx([
      [56.9, 24.1, ago(10)],
      [56.91, 24.11, ago(9)],
    ]);
    const stranger = await signUp(server);
    const r = await upload(id, 'GPX', file, stranger.accessToken);
    expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const friend = await signUp(server);
    await server.gql(
      `mutation($i: GrantSharingInput!) { grantSharing(input: $i) { id } }`,
      { i: { deviceId: id, granteeEmail: friend.email, scope: 'HISTORY' } },
      { token: owner.accessToken },
    );
    expect((await upload(id, 'GPX', file, friend.accessToken)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const anon = await upload(id, 'GPX', file, '');
    expect(anon.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await points(id)).toHaveLength(0);
  });

  it('a large synthetic GPX file over HTTP (30 MB multipart upload) is imported whole', async () => {
    const id = await newDevice();
    const n = 20_000;
    const padding = 'x'.repeat(1500); // a long <desc> per point: a big file without a big history
    const start = Date.now() - 3 * 86400_000;
    const parts: string[] = ['<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'];
    for (let i = 0; i < n; i++) {
      parts.push(
        `<trkpt lat="${(56 + i * 1e-5).toFixed(5)}" lon="24.1"><time>${new Date(start + i * 1000).toISOString()}</time><desc>${padding}</desc></trkpt>`,
      );
    }
    parts.push('</trkseg></trk></gpx>');
    const blob = new Blob(parts);
    expect(blob.size).toBeGreaterThan(30 * 1024 * 1024); // over Yoga's 25 MB default body limit: the upload path has its own
    const base = process.memoryUsage().heapUsed;
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
    const started = Date.now();
    const r = await upload(id, 'GPX', blob);
    clearInterval(sampler);
    expect(r.errors).toBeUndefined();
    expect(r.data.importLocations).toEqual({ imported: n, duplicates: 0, skipped: 0, rejected: 0 });
    console.log(
      `HTTP import of ${(blob.size / 1024 / 1024).toFixed(1)} MB GPX (${n} points): ${Date.now() - started} ms, heap growth ${((peak - base) / 1048576).toFixed(1)} MB`,
    );
  }, 300_000);

  it('the import itself streams: a 120 MB GPX generated on the fly is read in bounded memory', async () => {
    const id = await newDevice();
    const n = 8_000;
    const padding = 'y'.repeat(15_000);
    const start = Date.now() - 2 * 86400_000;
    const encoder = new TextEncoder();
    let i = -1;
    let size = 0;
    // Never materialised: each pull produces the next point's text.
    const stream = () =>
      new ReadableStream<Uint8Array>({
        pull(controller) {
          let text: string;
          if (i === -1)
            text = '<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>';
          else if (i < n)
            text = `<trkpt lat="${(57 + i * 1e-5).toFixed(5)}" lon="24.2"><time>${new Date(start + i * 1000).toISOString()}</time><desc>${padding}</desc></trkpt>`;
          else if (i === n) text = '</trkseg></trk></gpx>';
          else return controller.close();
          i++;
          const bytes = encoder.encode(text);
          size += bytes.byteLength;
          controller.enqueue(bytes);
        },
      });
    const { importLocations } = await import('../api/locations/import/import-locations');
    global.gc?.();
    const base = process.memoryUsage().heapUsed;
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 10);
    const result = await importLocations(server.app.services, decodeGlobalID(id).id, { size: 120 * 1024 * 1024, stream }, 'GPX', {
      kind: 'CUSTOMER',
      accountId: null,
    });
    clearInterval(sampler);
    expect(result).toEqual({ imported: n, duplicates: 0, skipped: 0, rejected: 0 });
    expect(size).toBeGreaterThan(115 * 1024 * 1024);
    const growthMb = (peak - base) / 1048576;
    console.log(`streamed import of ${(size / 1048576).toFixed(1)} MB GPX (${n} points): heap growth ${growthMb.toFixed(1)} MB`);
    // Sampled without a forced GC, so uncollected garbage counts too; a reader holding the file would need more than its size.
    expect(growthMb).toBeLessThan(100);
  }, 300_000);
});
