// Temporary: issue 11 hot-path comparison (devices list over HTTP + 500-point ingestion), run in two trees.
import { startTestServer, signUp } from '../helpers/server';
process.env.NODE_ENV = 'test';
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(p * xs.length)];
async function main() {
  const server = await startTestServer({ env: { LOG_LEVEL: 'error' } });
  const owner = await signUp(server);
  let deviceToken = '';
  for (let i = 0; i < 50; i++) {
    const r = await server.gql(`mutation($i: RegisterDeviceInput!) { registerDevice(input: $i) { device { id } deviceToken } }`, { i: { name: `D${i}`, kind: 'TRACKER' } }, { token: owner.accessToken });
    deviceToken = r.data.registerDevice.deviceToken;
    await server.gql(`mutation($i: RecordLocationsInput!) { recordLocations(input: $i) { accepted } }`, { i: { points: [{ clientId: 'p1', recordedAt: new Date().toISOString(), latitude: 56.95, longitude: 24.1 }] } }, { token: deviceToken });
  }
  const query = `{ devices(first: 100) { totalCount edges { node { id name lastLocation { latitude longitude } owner { displayName } } } } }`;
  const times: number[] = [];
  let cpu0 = process.cpuUsage();
  for (let i = 0; i < 330; i++) {
    if (i === 30) cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await server.gql(query, {}, { token: owner.accessToken });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    if (i >= 30) times.push(performance.now() - t0);
  }
  const c1 = process.cpuUsage(cpu0);
  const devicesCpu = (c1.user + c1.system) / 1000 / 300;
  const batch: number[] = [];
  let cpu2 = process.cpuUsage();
  const start = Date.now() - 2 * 24 * 3600e3;
  for (let b = 0; b < 16; b++) {
    const points = Array.from({ length: 500 }, (_, i) => ({ clientId: `b${b}-${i}`, recordedAt: new Date(start + (b * 500 + i) * 1000).toISOString(), latitude: 56.9 + (i % 100) / 1000, longitude: 24.0, accuracy: 5, speed: 1.2 }));
    const t0 = performance.now();
    const r = await server.gql(`mutation($i: RecordLocationsInput!) { recordLocations(input: $i) { accepted } }`, { i: { points } }, { token: deviceToken });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    if (b >= 2) batch.push(performance.now() - t0);
    if (b === 1) cpu2 = process.cpuUsage();
  }
  const c3 = process.cpuUsage(cpu2);
  console.log(JSON.stringify({ devicesCpuMs: +devicesCpu.toFixed(2), ingestCpuMsPerBatch: +((c3.user + c3.system) / 1000 / 14).toFixed(1), devicesP50: +q(times, 0.5).toFixed(2), devicesMean: +(times.reduce((a, b) => a + b) / times.length).toFixed(2), ingest500P50: +q(batch, 0.5).toFixed(1) }));
  await server.stop();
  process.exit(0);
}
main();
