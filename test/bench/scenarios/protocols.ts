/**
 * The protocol routes of the protocols plugin: OsmAnd GET with one fix per
 * request (sequential, as a phone drains its buffer) and Overland batches of
 * 100 (HTTP + auth + parse + ingestion), fixes per second.
 */
import type { TestServer } from '../../helpers/server';

export async function protocolRoutes(server: TestServer, ownerToken: string, osmandRequests: number, overlandBatches: number) {
  const reg = await server.gql(
    `mutation { registerDevice(input: { name: "Protocol bench", kind: PHONE }) { deviceToken } }`,
    {},
    { token: ownerToken },
  );
  if (reg.errors) throw new Error(JSON.stringify(reg.errors));
  const token = reg.data.registerDevice.deviceToken as string;
  const t0 = Date.now() / 1000 - 3600;
  let start = performance.now();
  for (let i = 0; i < osmandRequests; i++) {
    const res = await fetch(
      `${server.url}/ingest/osmand?token=${token}&lat=${56.9 + i / 1e5}&lon=24.1&timestamp=${Math.floor(t0 + i)}&speed=3&batt=80`,
    );
    if (res.status !== 200) throw new Error(`osmand ${res.status}`);
    await res.text();
  }
  const osmandMs = performance.now() - start;
  start = performance.now();
  for (let b = 0; b < overlandBatches; b++) {
    const locations = Array.from({ length: 100 }, (_, i) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [24.2, 56.9 + (b * 100 + i) / 1e5] },
      properties: {
        timestamp: new Date((t0 + 1000 + b * 100 + i) * 1000).toISOString(),
        speed: 3,
        horizontal_accuracy: 10,
        battery_level: 0.8,
      },
    }));
    const res = await fetch(`${server.url}/ingest/overland`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ locations }),
    });
    if (res.status !== 200) throw new Error(`overland ${res.status}`);
    await res.text();
  }
  const overlandMs = performance.now() - start;
  return {
    osmandGet: { requests: osmandRequests, fixesPerSecond: Math.round(osmandRequests / (osmandMs / 1000)) },
    overlandBatch100: { batches: overlandBatches, fixesPerSecond: Math.round((overlandBatches * 100) / (overlandMs / 1000)) },
  };
}
