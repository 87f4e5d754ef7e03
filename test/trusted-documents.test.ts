/**
 * Trusted documents (TRUSTED_DOCUMENTS=on): customers and anonymous callers
 * may only run the SDK's operations by hash (HTTP and WebSocket); staff and
 * API keys with ARBITRARY_OPERATIONS may send any document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClient,
  CurrentPolicyDocument,
  LocationUpdatedDocument,
  MeDocument,
  RecordLocationsDocument,
  RegisterDeviceDocument,
} from '../generated/sdk';
import { errorCodes, signUp, startTestServer, type TestServer } from './helpers/server';
import { subscribe, wsClient } from './helpers/sharing-fixtures';
import { PRIVACY_POLICY_VERSION } from '../seeds/policies';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ plugins: ['api-keys'], env: { TRUSTED_DOCUMENTS: 'on' } });
});
afterAll(() => server?.stop());

const RAW = `{ me { id email } }`;

describe('trusted documents', () => {
  it('refuses documents outside the manifest from anonymous callers and customers', async () => {
    const user = await signUp(server).catch(() => null);
    // signUp sends a raw document: refused too.
    expect(user).toBeNull();
    expect(errorCodes(await server.gql(RAW))).toEqual(['FORBIDDEN']);
  });

  it('the SDK sends hashes and works; customers stay limited to the manifest', async () => {
    const client = createClient({ url: server.graphqlUrl, trustedDocuments: true });
    const { currentPolicy } = await client.request(CurrentPolicyDocument, { kind: 'PRIVACY_POLICY', locale: 'EN' });
    expect(currentPolicy.version).toBe(PRIVACY_POLICY_VERSION);
    const email = `trusted.${Date.now()}@example.test`;
    const { RegisterDocument } = await import('../generated/sdk');
    const { register } = await client.request(RegisterDocument, {
      input: { email, password: 'a long password', privacyPolicyVersion: PRIVACY_POLICY_VERSION },
    });
    client.setTokens(register);
    expect((await client.request(MeDocument)).me?.email).toBe(email);
    expect(errorCodes(await server.gql(RAW, {}, { token: register.accessToken }))).toEqual(['FORBIDDEN']);
    // Over WebSocket: a raw subscription is refused, the SDK's (by hash) runs.
    const raw = subscribe(wsClient(server, register.accessToken), `subscription { locationUpdated { latitude } }`);
    await raw.ended(5000);
    expect(JSON.stringify(raw.error ?? raw.results)).toContain('FORBIDDEN');
    const { registerDevice } = await client.request(RegisterDeviceDocument, { input: { name: 'T', kind: 'PHONE' } });
    const got: number[] = [];
    const stream = (async () => {
      for await (const { locationUpdated } of client.subscribe(LocationUpdatedDocument, {})) {
        got.push(locationUpdated.latitude);
        return;
      }
    })();
    const deviceClient = createClient({ url: server.graphqlUrl, trustedDocuments: true, deviceToken: registerDevice.deviceToken });
    for (let i = 0; !got.length && i < 50; i++) {
      const point = { clientId: `t-${i}`, recordedAt: new Date().toISOString(), latitude: 56.9 + i / 1000, longitude: 24.1 };
      const { recordLocations } = await deviceClient.request(RecordLocationsDocument, { input: { points: [point] } });
      expect(recordLocations.accepted).toBe(1);
      await new Promise((r) => setTimeout(r, 200));
    }
    await stream;
    expect(got.length).toBe(1);
    await client.close();
  });

  it('staff and ARBITRARY_OPERATIONS keys may send any document; other keys may not', async () => {
    // Accounts are made directly (sign-up's raw document is refused in this mode).
    const client = createClient({ url: server.graphqlUrl, trustedDocuments: true });
    const { RegisterDocument, LoginDocument } = await import('../generated/sdk');
    const email = `staff.${Date.now()}@example.test`;
    await client.request(RegisterDocument, { input: { email, password: 'a long password', privacyPolicyVersion: PRIVACY_POLICY_VERSION } });
    await server.app.services.prisma.account.update({ where: { email }, data: { roles: ['SUPPORT'] } });
    const { login } = await client.request(LoginDocument, { input: { email, password: 'a long password' } });
    expect((await server.gql(RAW, {}, { token: login.accessToken })).errors).toBeUndefined();

    const custEmail = `cust.${Date.now()}@example.test`;
    const { register } = await client.request(RegisterDocument, {
      input: { email: custEmail, password: 'a long password', privacyPolicyVersion: PRIVACY_POLICY_VERSION },
    });
    // Key creation is not an SDK operation: a staff member's token is not needed, but the raw mutation is refused for the customer.
    expect(
      errorCodes(
        await server.gql(
          `mutation { createApiKey(input: { name: "x", scopes: [DEVICES_READ] }) { secret } }`,
          {},
          { token: register.accessToken },
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    const { createApiKey } = await import('../plugins/api-keys/service');
    const accountId = (await server.app.services.prisma.account.findUniqueOrThrow({ where: { email: custEmail } })).id;
    const arbitrary = await createApiKey(server.app.services, accountId, { name: 'a', scopes: ['ARBITRARY_OPERATIONS', 'DEVICES_READ'] });
    const plain = await createApiKey(server.app.services, accountId, { name: 'b', scopes: ['DEVICES_READ'] });
    expect((await server.gql(RAW, {}, { token: arbitrary.secret })).data.me.email).toBe(custEmail);
    expect(errorCodes(await server.gql(RAW, {}, { token: plain.secret }))).toEqual(['FORBIDDEN']);
  });
});
