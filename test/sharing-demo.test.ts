/** The seeded demo, seen through the API: a shared device and a live share link. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData, DEMO_SHARE_TOKEN, DEMO_PASSWORD } from '../seeds';
import { startTestServer, type TestServer } from './helpers/server';
import { SHARED_LOCATION } from './helpers/sharing-fixtures';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ plugins: [] });
  await seedDemoData(server.app);
});
afterAll(() => server?.stop());

async function login(email: string) {
  const r = await server.gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, { i: { email, password: DEMO_PASSWORD } });
  return r.data.login.accessToken as string;
}

describe('demo sharing', () => {
  it("Jānis sees the device Anna shares with him (HISTORY), Anna sees Līga's watch (LIVE)", async () => {
    const q = `{ receivedSharingGrants { status scope device { name accessRole identifier lastLocation { recordedAt } } } }`;
    const janis = await server.gql(q, {}, { token: await login('janis@example.lv') });
    expect(janis.errors).toBeUndefined();
    expect(janis.data.receivedSharingGrants).toEqual([
      {
        status: 'ACTIVE',
        scope: 'HISTORY',
        device: { name: "Anna's phone", accessRole: 'HISTORY_VIEWER', identifier: null, lastLocation: { recordedAt: expect.any(String) } },
      },
    ]);
    const anna = await server.gql(q, {}, { token: await login('anna@example.lv') });
    expect(anna.data.receivedSharingGrants).toEqual([
      {
        status: 'ACTIVE',
        scope: 'LIVE',
        device: { name: "Līga's watch", accessRole: 'LIVE_VIEWER', identifier: null, lastLocation: { recordedAt: expect.any(String) } },
      },
    ]);
  });

  it("the documented demo share link shows Anna's phone to anyone", async () => {
    const r = await server.gql(SHARED_LOCATION, { t: DEMO_SHARE_TOKEN });
    expect(r.errors).toBeUndefined();
    expect(r.data.sharedLocation).toMatchObject({ deviceName: "Anna's phone", lastLocation: { latitude: expect.any(Number) } });
  });
});
