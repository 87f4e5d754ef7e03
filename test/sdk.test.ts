/**
 * The typed SDK (generated/sdk) against the running server, over HTTP and
 * WebSocket: what integrators get is proven, not just generated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import {
  createClient,
  isSdkError,
  SdkError,
  CookieConsentDocument,
  CookiePolicyDocument,
  CreateShareLinkDocument,
  CurrentPolicyDocument,
  ExportMyDataDocument,
  SetCookieConsentDocument,
  SubmitDataSubjectRequestDocument,
  WithdrawCookieConsentDocument,
  DeviceTrackDocument,
  GrantSharingDocument,
  LocationHistoryDocument,
  LocationUpdatedDocument,
  LoginDocument,
  MeDocument,
  MyConsentsDocument,
  MyDevicesDocument,
  ProcessingPurposesDocument,
  ReceivedSharingGrantsDocument,
  RecordLocationsDocument,
  RegisterDeviceDocument,
  RegisterDocument,
  RevokeSharingDocument,
  SetConsentDocument,
  SharedDevicesDocument,
  SharedLocationDocument,
  UpdateProfileDocument,
  type Client,
  type LocationHistoryQuery,
  type SessionTokens,
} from '../generated/sdk';
import { startTestServer, signUp, uniqueEmail, type TestServer } from './helpers/server';
import { PRIVACY_POLICY_VERSION } from '../seeds/policies';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  // Plugins' own seed data (e.g. the cookie policy).
  for (const plugin of server.app.plugins) await plugin.seed?.(server.app.services);
});
afterAll(() => server?.stop());

/** A correctly signed access token of the same session that expired an hour ago. */
async function expiredAccessToken(accessToken: string) {
  const claims = decodeJwt(accessToken);
  const { token } = await server.app.services.tokens.signAccessToken(
    { accountId: claims.sub!, sessionId: claims.sid as string, roles: claims.roles as never },
    new Date(Date.now() - 2 * 3600_000),
  );
  return token;
}

describe('SDK: auth', () => {
  it('registers, reads and updates the profile with typed operations', async () => {
    const client = createClient({ url: server.graphqlUrl });
    const email = uniqueEmail('sdk');
    const { currentPolicy } = await client.request(CurrentPolicyDocument, { kind: 'PRIVACY_POLICY', locale: 'EN' });
    expect(currentPolicy.version).toBe(PRIVACY_POLICY_VERSION);
    const { register } = await client.request(RegisterDocument, {
      input: { email, password: 'a long password', givenName: 'Ilze', privacyPolicyVersion: currentPolicy.version },
    });
    expect(register.account).toMatchObject({ email, givenName: 'Ilze', roles: ['CUSTOMER'] });
    client.setTokens(register);

    const { me } = await client.request(MeDocument);
    expect(me?.email).toBe(email);
    const { updateProfile } = await client.request(UpdateProfileDocument, { input: { phone: '+37120000000' } });
    expect(updateProfile.phone).toBe('+37120000000');
  });

  it('signIn keeps the tokens and reports them through onTokens; signOut ends the session', async () => {
    const user = await signUp(server);
    const seen: (SessionTokens | null)[] = [];
    const client = createClient({ url: server.graphqlUrl, onTokens: (t) => seen.push(t) });
    const login = await client.signIn({ email: user.email, password: user.password });
    expect(login.account.email).toBe(user.email);
    expect(seen).toEqual([expect.objectContaining({ accessToken: login.accessToken, refreshToken: login.refreshToken })]);
    const oldAccess = client.tokens.accessToken!;

    await client.signOut();
    expect(seen.at(-1)).toBeNull();
    expect(client.tokens).toMatchObject({ accessToken: null, refreshToken: null });
    // The server ended the session: the old access token no longer works.
    const stale = createClient({ url: server.graphqlUrl, accessToken: oldAccess });
    await expect(stale.request(MeDocument)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('throws SdkError with the contract code and the input field', async () => {
    const client = createClient({ url: server.graphqlUrl });
    const error = await client
      .request(RegisterDocument, {
        input: { email: 'not-an-email', password: 'a long password', privacyPolicyVersion: PRIVACY_POLICY_VERSION },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SdkError);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.email' });
    const wrong = await client
      .request(LoginDocument, { input: { email: uniqueEmail(), password: 'not the password' } })
      .catch((e: unknown) => e);
    expect(isSdkError(wrong, 'UNAUTHENTICATED')).toBe(true);
  });

  it('reports an unreachable server as NETWORK_ERROR', async () => {
    const client = createClient({ url: 'http://127.0.0.1:9/graphql' });
    await expect(client.request(MeDocument)).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
  });

  it('refreshes an expired access token once, shared by concurrent requests, and retries', async () => {
    const user = await signUp(server);
    const seen: (SessionTokens | null)[] = [];
    const client = createClient({
      url: server.graphqlUrl,
      accessToken: await expiredAccessToken(user.accessToken),
      refreshToken: user.refreshToken,
      onTokens: (t) => seen.push(t),
    });
    const results = await Promise.all([client.request(MeDocument), client.request(MeDocument), client.request(MeDocument)]);
    expect(results.map((r) => r.me?.email)).toEqual([user.email, user.email, user.email]);
    // One refresh: refresh tokens are single use, so a second one would have revoked the session.
    expect(seen).toHaveLength(1);
    expect(client.tokens.refreshToken).toBe(seen[0]!.refreshToken);
    expect(client.tokens.refreshToken).not.toBe(user.refreshToken);
  });

  it('gives up with UNAUTHENTICATED and clears the tokens when the session cannot be refreshed', async () => {
    const seen: (SessionTokens | null)[] = [];
    // The second request's answer arrives late, after the failed refresh has already cleared the tokens.
    let calls = 0;
    const slowSecond: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (++calls === 2) await new Promise((r) => setTimeout(r, 500));
      return response;
    };
    const client = createClient({
      url: server.graphqlUrl,
      accessToken: 'not.a.token',
      refreshToken: 'not-a-refresh-token',
      onTokens: (t) => seen.push(t),
      fetch: slowSecond,
    });
    const results = await Promise.allSettled([client.request(MeDocument), client.request(MeDocument), client.request(MeDocument)]);
    // None of them quietly goes on as anonymous (where `me` would just be null).
    expect(results.map((r) => r.status === 'rejected' && (r.reason as SdkError).code)).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
    ]);
    expect(seen).toEqual([null]);
  });
});

/** A signed-in SDK client for a new customer. */
async function customer() {
  const user = await signUp(server);
  return { user, client: createClient({ url: server.graphqlUrl, accessToken: user.accessToken, refreshToken: user.refreshToken }) };
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const RIGA = { latitude: 56.9496, longitude: 24.1052 };

/** Registers a device through the SDK and returns its id and a client that speaks with its device token. */
async function deviceOf(owner: Client, name = 'Car') {
  const { registerDevice } = await owner.request(RegisterDeviceDocument, { input: { name, kind: 'VEHICLE', identifier: null } });
  return { id: registerDevice.device.id, client: createClient({ url: server.graphqlUrl, deviceToken: registerDevice.deviceToken }) };
}

/**
 * The next event of a subscription, sending `record` until it arrives: the
 * subscription is registered asynchronously on the server, so the first fix
 * may be sent before it listens.
 */
async function nextEvent<T>(events: AsyncGenerator<T>, record: () => Promise<unknown>, timeoutMs = 10_000): Promise<T> {
  const next = events.next();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await record();
    const result = await Promise.race([next, new Promise<null>((r) => setTimeout(() => r(null), 300))]);
    if (result) {
      if (result.done) throw new Error('subscription ended');
      return result.value;
    }
    if (Date.now() > deadline) throw new Error('no event within the time limit');
  }
}

describe('SDK: devices, history and live locations', () => {
  it('registers a device, records with its device token (idempotent), lists, pages history and gets a track', async () => {
    const { client } = await customer();
    const device = await deviceOf(client);
    const points = [0, 1, 2].map((i) => ({
      clientId: `fix-${i}`,
      recordedAt: minutesAgo(10 - i),
      latitude: RIGA.latitude + i * 0.001,
      longitude: RIGA.longitude,
      source: 'GPS' as const,
    }));
    const first = await device.client.request(RecordLocationsDocument, { input: { points } });
    expect(first.recordLocations).toMatchObject({ accepted: 3, duplicates: 0, rejected: [] });
    expect([...first.recordLocations.acknowledgedClientIds].sort()).toEqual(['fix-0', 'fix-1', 'fix-2']);
    const again = await device.client.request(RecordLocationsDocument, { input: { points } });
    expect(again.recordLocations).toMatchObject({ accepted: 0, duplicates: 3 });

    const { devices } = await client.request(MyDevicesDocument);
    expect(devices.totalCount).toBe(1);
    expect(devices.edges[0].node).toMatchObject({ id: device.id, name: 'Car', accessRole: 'OWNER' });
    expect(devices.edges[0].node.lastLocation).toMatchObject({ latitude: points[2].latitude, recordedAt: points[2].recordedAt });

    const seen: number[] = [];
    let after: string | null | undefined = null;
    for (let page = 0; page < 5; page++) {
      const { device: d }: LocationHistoryQuery = await client.request(LocationHistoryDocument, {
        deviceId: device.id,
        first: 2,
        after,
        order: 'ASC',
      });
      seen.push(...d!.locations.edges.map((e) => e.node.latitude));
      if (!d!.locations.pageInfo.hasNextPage) break;
      after = d!.locations.pageInfo.endCursor;
    }
    expect(seen).toEqual(points.map((p) => p.latitude));

    const { device: tracked } = await client.request(DeviceTrackDocument, { deviceId: device.id, from: minutesAgo(60), to: minutesAgo(0) });
    expect(tracked!.track).toMatchObject({ pointCount: 3 });
    expect(tracked!.track.distanceMeters).toBeGreaterThan(200);
  });

  it('rejects a bad point with its code and index; a device token cannot read', async () => {
    const { client } = await customer();
    const device = await deviceOf(client);
    const { recordLocations } = await device.client.request(RecordLocationsDocument, {
      input: { points: [{ recordedAt: minutesAgo(1), latitude: 91, longitude: 24 }] },
    });
    expect(recordLocations.accepted).toBe(0);
    expect(recordLocations.rejected).toEqual([expect.objectContaining({ index: 0, code: 'LATITUDE_OUT_OF_RANGE' })]);
    await expect(device.client.request(MyDevicesDocument)).rejects.toBeInstanceOf(SdkError);
  });

  it('subscribes to live locations over graphql-ws and stops when the loop breaks', async () => {
    const { client } = await customer();
    const device = await deviceOf(client, 'Bike');
    const events = client.subscribe(LocationUpdatedDocument, { deviceIds: [device.id] });
    let n = 0;
    const event = await nextEvent(events, () =>
      device.client.request(RecordLocationsDocument, {
        input: { points: [{ recordedAt: minutesAgo(0), latitude: 57 + ++n * 0.0001, longitude: 24.1 }] },
      }),
    );
    expect(event.locationUpdated).toMatchObject({ device: { id: device.id, name: 'Bike' }, longitude: 24.1 });
    expect(event.locationUpdated.latitude).toBeGreaterThan(57);
    await events.return();
    await client.close();
  });

  it('renews an expired access token when a subscription starts', async () => {
    const { user } = await customer();
    const seen: (SessionTokens | null)[] = [];
    const client = createClient({
      url: server.graphqlUrl,
      accessToken: await expiredAccessToken(user.accessToken),
      refreshToken: user.refreshToken,
      onTokens: (t) => seen.push(t),
    });
    const owner = createClient({ url: server.graphqlUrl, accessToken: user.accessToken });
    const device = await deviceOf(owner);
    const events = client.subscribe(LocationUpdatedDocument, {});
    const event = await nextEvent(events, () =>
      device.client.request(RecordLocationsDocument, { input: { points: [{ recordedAt: minutesAgo(0), ...RIGA }] } }),
    );
    expect(event.locationUpdated.device.id).toBe(device.id);
    expect(seen).toHaveLength(1);
    await events.return();
    await client.close();
  });

  it('ends a subscription to a device the viewer may not see with a typed error', async () => {
    const { client: stranger } = await customer();
    const { client: owner } = await customer();
    const device = await deviceOf(owner);
    const events = stranger.subscribe(LocationUpdatedDocument, { deviceIds: [device.id] });
    const error = await events.next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SdkError);
    expect((error as SdkError).code).toBe('NOT_FOUND'); // its existence is not revealed
    await stranger.close();
  });
});

describe('SDK: sharing and consents', () => {
  it('grants live sharing to another account, who sees the device, and revokes it', async () => {
    const { client: owner } = await customer();
    const { user: friend, client: friendClient } = await customer();
    const device = await deviceOf(owner, 'Watch');
    await device.client.request(RecordLocationsDocument, { input: { points: [{ recordedAt: minutesAgo(1), ...RIGA }] } });

    const { grantSharing } = await owner.request(GrantSharingDocument, {
      input: { deviceId: device.id, granteeEmail: friend.email, scope: 'LIVE' },
    });
    expect(grantSharing).toMatchObject({ scope: 'LIVE', status: 'ACTIVE', device: { id: device.id } });
    const received = await friendClient.request(ReceivedSharingGrantsDocument);
    expect(received.receivedSharingGrants.map((g) => g.id)).toContain(grantSharing.id);
    const shared = await friendClient.request(SharedDevicesDocument);
    expect(shared.sharedDevices.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({ id: device.id, accessRole: 'LIVE_VIEWER', identifier: null, lastLocation: expect.objectContaining(RIGA) }),
    ]);

    const live = friendClient.subscribe(LocationUpdatedDocument, { deviceIds: [device.id] });
    const seen = await nextEvent(live, () =>
      device.client.request(RecordLocationsDocument, { input: { points: [{ recordedAt: minutesAgo(0), ...RIGA }] } }),
    );
    expect(seen.locationUpdated.device.id).toBe(device.id);

    const { revokeSharing } = await owner.request(RevokeSharingDocument, { grantId: grantSharing.id });
    expect(revokeSharing.revokedAt).not.toBeNull();
    // The open subscription ends at once with a typed FORBIDDEN.
    let ended: unknown;
    try {
      for (;;) if ((await live.next()).done) break;
    } catch (e) {
      ended = e;
    }
    expect(ended).toMatchObject({ code: 'FORBIDDEN' });
    const after = await friendClient.request(SharedDevicesDocument);
    expect(after.sharedDevices.totalCount).toBe(0);
  });

  it('creates an expiring share link that anyone can open without signing in', async () => {
    const { client: owner } = await customer();
    const device = await deviceOf(owner, 'Dog collar');
    await device.client.request(RecordLocationsDocument, { input: { points: [{ recordedAt: minutesAgo(1), ...RIGA }] } });
    const { createShareLink } = await owner.request(CreateShareLinkDocument, {
      input: { deviceId: device.id, expiresAt: new Date(Date.now() + 3600_000).toISOString() },
    });
    const token = new URL(createShareLink.url!).pathname.split('/').pop()!;
    const anonymous = createClient({ url: server.graphqlUrl });
    const { sharedLocation } = await anonymous.request(SharedLocationDocument, { token });
    expect(sharedLocation).toMatchObject({ deviceName: 'Dog collar', lastLocation: expect.objectContaining(RIGA) });
  });

  it('reads the purposes register, gives and withdraws a consent', async () => {
    const { client } = await customer();
    const { processingPurposes } = await createClient({ url: server.graphqlUrl }).request(ProcessingPurposesDocument, { locale: 'EN' });
    const purpose = 'MARKETING_EMAIL';
    expect(processingPurposes.find((p) => p.code === purpose)).toMatchObject({ legalBasis: 'CONSENT', requiresConsent: true });
    const given = await client.request(SetConsentDocument, { input: { purpose, granted: true } });
    expect(given.setConsent).toMatchObject({ granted: true, purpose: { code: purpose } });
    await client.request(SetConsentDocument, { input: { purpose, granted: false } });
    const { me } = await client.request(MyConsentsDocument);
    expect(me!.consents.find((c) => c.purpose.code === purpose)).toMatchObject({ granted: false });
  });
});

describe('SDK: cookie consent, export and rights', () => {
  it("reads the cookie policy, records a visitor's choice and withdraws it, without signing in", async () => {
    const site = createClient({ url: server.graphqlUrl });
    const { cookiePolicy } = await site.request(CookiePolicyDocument, { locale: 'EN' });
    expect(cookiePolicy.categories.find((c) => c.key === 'necessary')).toMatchObject({ required: true });
    expect(cookiePolicy.cookies.length).toBeGreaterThan(0);
    const visitorId = `visitor-${Date.now()}`;
    expect((await site.request(CookieConsentDocument, { visitorId })).cookieConsent).toBeNull();

    const { setCookieConsent } = await site.request(SetCookieConsentDocument, {
      input: { visitorId, policyVersion: cookiePolicy.version, choices: [{ category: 'performance', granted: true }] },
    });
    const choices = Object.fromEntries(setCookieConsent.choices.map((c) => [c.category, c.granted]));
    expect(choices).toMatchObject({ necessary: true, performance: true, advertising: false });

    const { withdrawCookieConsent } = await site.request(WithdrawCookieConsentDocument, { visitorId });
    expect(withdrawCookieConsent.choices.filter((c) => c.granted).map((c) => c.category)).toEqual(['necessary']);
  });

  it("exports the viewer's own data (the first copy free) and submits a rights request", async () => {
    const { user, client } = await customer();
    const { exportMyData } = await client.request(ExportMyDataDocument, { format: 'JSON' });
    expect(exportMyData).toMatchObject({ format: 'JSON', free: true });
    expect(JSON.stringify(exportMyData.content)).toContain(user.email);
    const second = await client.request(ExportMyDataDocument);
    expect(second.exportMyData.free).toBe(false);

    const { submitDataSubjectRequest } = await client.request(SubmitDataSubjectRequestDocument, {
      input: { kind: 'RESTRICTION', details: 'Please pause processing' },
    });
    expect(submitDataSubjectRequest).toMatchObject({ kind: 'RESTRICTION' });
    expect(new Date(submitDataSubjectRequest.dueAt).getTime()).toBeGreaterThan(Date.now() + 27 * 86400_000);
  });
});
