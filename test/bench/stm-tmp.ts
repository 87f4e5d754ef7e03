import { startTestServer, signUp } from '../helpers/server';
process.env.NODE_ENV = 'test';
async function main() {
  const server = await startTestServer({ env: { LOG_LEVEL: 'error' } });
  const owner = await signUp(server);
  for (let i = 0; i < 5; i++) {
    const r = await server.gql(`mutation($i: RegisterDeviceInput!) { registerDevice(input: $i) { device { id } deviceToken } }`, { i: { name: `D${i}`, kind: 'TRACKER' } }, { token: owner.accessToken });
    await server.gql(`mutation($i: RecordLocationsInput!) { recordLocations(input: $i) { accepted } }`, { i: { points: [{ clientId: 'p1', recordedAt: new Date().toISOString(), latitude: 56.95, longitude: 24.1 }] } }, { token: r.data.registerDevice.deviceToken });
  }
  const query = `{ devices(first: 100) { totalCount edges { node { id name lastLocation { latitude longitude } owner { displayName } } } } }`;
  await server.gql(query, {}, { token: owner.accessToken });
  const db = (server as any).app.services.prisma;
  const before = server.statements();
  await server.gql(query, {}, { token: owner.accessToken });
  console.log('statements', server.statements() - before);
  if (process.env.SQLLOG) { (globalThis as any).__log = true; }
  await server.stop();
  process.exit(0);
}
main();
