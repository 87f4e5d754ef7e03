// Temporary: CPU profile of only the devices-list request loop.
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { startTestServer, signUp } from '../helpers/server';
process.env.NODE_ENV = 'test';
async function main() {
  const server = await startTestServer({ env: { LOG_LEVEL: 'error' } });
  const owner = await signUp(server);
  for (let i = 0; i < 50; i++) {
    const r = await server.gql(`mutation($i: RegisterDeviceInput!) { registerDevice(input: $i) { device { id } deviceToken } }`, { i: { name: `D${i}`, kind: 'TRACKER' } }, { token: owner.accessToken });
    await server.gql(`mutation($i: RecordLocationsInput!) { recordLocations(input: $i) { accepted } }`, { i: { points: [{ clientId: 'p1', recordedAt: new Date().toISOString(), latitude: 56.95, longitude: 24.1 }] } }, { token: r.data.registerDevice.deviceToken });
  }
  const query = `{ devices(first: 100) { totalCount edges { node { id name lastLocation { latitude longitude } owner { displayName } } } } }`;
  for (let i = 0; i < 50; i++) await server.gql(query, {}, { token: owner.accessToken });
  const s = new Session(); s.connect();
  await s.post('Profiler.enable'); await s.post('Profiler.start');
  for (let i = 0; i < 300; i++) await server.gql(query, {}, { token: owner.accessToken });
  const { profile } = await s.post('Profiler.stop');
  writeFileSync(process.env.PROF_OUT!, JSON.stringify(profile));
  await server.stop();
  process.exit(0);
}
main();
