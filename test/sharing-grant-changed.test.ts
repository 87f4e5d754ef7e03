/**
 * sharingGrantChanged through the SDK's own operation (SharingGrantChanged,
 * with the SharingGrantFields fragment: owner, grantee, device): owners and
 * grantees get every change (create, accept, revoke, expire) with the full
 * grant, not an "Unexpected error" for a missing owner.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClient,
  GrantSharingDocument,
  RegisterDeviceDocument,
  RegisterDocument,
  RevokeSharingDocument,
  SharingGrantChangedDocument,
  type Client,
  type SharingGrantChangedSubscription,
} from '../generated/sdk';
import { startTestServer, signUp, uniqueEmail, verifyEmailOf, type TestServer } from './helpers/server';
import { PRIVACY_POLICY_VERSION } from '../seeds/policies';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

type Change = SharingGrantChangedSubscription['sharingGrantChanged'];

async function customer(givenName: string) {
  const user = await signUp(server, { givenName });
  return { user, client: createClient({ url: server.graphqlUrl, accessToken: user.accessToken, refreshToken: user.refreshToken }) };
}

async function deviceOf(owner: Client, name = 'Phone') {
  const { registerDevice } = await owner.request(RegisterDeviceDocument, { input: { name, kind: 'PHONE', identifier: null } });
  return registerDevice.device.id;
}

/** Collects the events of the SDK's SharingGrantChanged subscription; errors are kept, not thrown. */
function watch(client: Client) {
  const events: Change[] = [];
  const errors: unknown[] = [];
  const stream = client.subscribe(SharingGrantChangedDocument);
  const done = (async () => {
    try {
      for await (const e of stream) events.push(e.sharingGrantChanged);
    } catch (e) {
      errors.push(e);
    }
  })();
  return {
    events,
    errors,
    async waitFor(n: number, timeoutMs = 8000) {
      const deadline = Date.now() + timeoutMs;
      while (events.length < n && errors.length === 0) {
        if (Date.now() > deadline) throw new Error(`expected ${n} events, got ${events.length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(errors).toEqual([]);
      return events;
    },
    /** Closes the client's socket: a pending next() would make stream.return() wait for ever. */
    async stop() {
      await client.close();
      await done;
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 500)); // graphql-ws has no "subscribed" acknowledgement

describe('sharingGrantChanged through the SDK operation', () => {
  it('the grantee sees a new grant and its revocation with owner, grantee and device', async () => {
    const owner = await customer('Owner');
    const friend = await customer('Friend');
    const deviceId = await deviceOf(owner.client, 'Bike');
    const sub = watch(friend.client);
    await settle();
    const { grantSharing } = await owner.client.request(GrantSharingDocument, {
      input: { deviceId, granteeEmail: friend.user.email, scope: 'LIVE' },
    });
    const [created] = await sub.waitFor(1);
    expect(created).toMatchObject({
      id: grantSharing.id,
      status: 'ACTIVE',
      device: { id: deviceId, name: 'Bike' },
      owner: { displayName: expect.stringContaining('Owner') },
      grantee: { displayName: expect.stringContaining('Friend') },
      inviteeEmail: null, // owner only
    });
    await owner.client.request(RevokeSharingDocument, { grantId: grantSharing.id });
    const events = await sub.waitFor(2);
    expect(events[1]).toMatchObject({ id: grantSharing.id, status: 'REVOKED', owner: { displayName: expect.stringContaining('Owner') } });
    // The ended grant names its device; the device itself is gone for the former grantee.
    expect(events[1].device).toEqual({ id: deviceId, name: 'Bike' });
    const direct = await server.gql(
      `query($id: ID!) { device(id: $id) { id name lastLocation { latitude } } }`,
      { id: deviceId },
      { token: friend.user.accessToken },
    );
    expect(direct.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await sub.stop();
  });

  it('the owner sees creation, revocation and the grantee leaving', async () => {
    const owner = await customer('Owner');
    const friend = await customer('Friend');
    const deviceId = await deviceOf(owner.client);
    const sub = watch(owner.client);
    await settle();
    const { grantSharing: g1 } = await owner.client.request(GrantSharingDocument, {
      input: { deviceId, granteeEmail: friend.user.email, scope: 'LIVE' },
    });
    await sub.waitFor(1);
    await owner.client.request(RevokeSharingDocument, { grantId: g1.id });
    await sub.waitFor(2);
    const { grantSharing: g2 } = await owner.client.request(GrantSharingDocument, {
      input: { deviceId, granteeEmail: friend.user.email, scope: 'HISTORY' },
    });
    await sub.waitFor(3);
    await friend.client.request(RevokeSharingDocument, { grantId: g2.id });
    const events = await sub.waitFor(4);
    expect(events.map((e) => [e.id, e.status])).toEqual([
      [g1.id, 'ACTIVE'],
      [g1.id, 'REVOKED'],
      [g2.id, 'ACTIVE'],
      [g2.id, 'REVOKED'],
    ]);
    for (const e of events)
      expect(e).toMatchObject({ owner: { displayName: expect.stringContaining('Owner') }, grantee: { id: expect.any(String) } });
    expect(events[0].inviteeEmail).toBe(friend.user.email);
    await sub.stop();
  });

  it('both parties see an invitation accepted by a verified registration, and its expiry', async () => {
    const owner = await customer('Owner');
    const deviceId = await deviceOf(owner.client);
    const ownerSub = watch(owner.client);
    await settle();
    const email = uniqueEmail('invitee');
    const { grantSharing } = await owner.client.request(GrantSharingDocument, {
      input: { deviceId, granteeEmail: email, scope: 'LIVE', expiresAt: new Date(Date.now() + 10_000).toISOString() },
    });
    await ownerSub.waitFor(1);
    expect(ownerSub.events[0]).toMatchObject({ status: 'PENDING', grantee: null, inviteeEmail: email });

    const invitee = createClient({ url: server.graphqlUrl });
    const { register } = await invitee.request(RegisterDocument, {
      input: { email, password: 'a long password', givenName: 'Invitee', privacyPolicyVersion: PRIVACY_POLICY_VERSION },
    });
    invitee.setTokens(register);
    const inviteeSub = watch(invitee);
    // A pending invitation binds only to a verified address.
    await verifyEmailOf(server, email);
    await ownerSub.waitFor(2);
    expect(ownerSub.events[1]).toMatchObject({
      id: grantSharing.id,
      status: 'ACTIVE',
      grantee: { displayName: expect.stringContaining('Invitee') },
    });

    await ownerSub.waitFor(3, 20_000);
    await inviteeSub.waitFor(1, 20_000);
    expect(ownerSub.events[2]).toMatchObject({
      id: grantSharing.id,
      status: 'EXPIRED',
      owner: { displayName: expect.stringContaining('Owner') },
    });
    expect(inviteeSub.events.at(-1)).toMatchObject({
      id: grantSharing.id,
      status: 'EXPIRED',
      owner: { displayName: expect.stringContaining('Owner') },
    });
    await ownerSub.stop();
    await inviteeSub.stop();
  });

  it('a third account sees none of it', async () => {
    const owner = await customer('Owner');
    const friend = await customer('Friend');
    const stranger = await customer('Stranger');
    const deviceId = await deviceOf(owner.client);
    const sub = watch(stranger.client);
    const friendSub = watch(friend.client);
    await settle();
    await owner.client.request(GrantSharingDocument, { input: { deviceId, granteeEmail: friend.user.email, scope: 'LIVE' } });
    await friendSub.waitFor(1);
    await settle();
    expect(sub.events).toEqual([]);
    await sub.stop();
    await friendSub.stop();
  });
});
