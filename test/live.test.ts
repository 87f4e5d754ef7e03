/**
 * Live subscriptions, black-box over WebSocket (graphql-ws) and SSE: who may
 * subscribe, what arrives, and that a stream ends with FORBIDDEN at once
 * when a grant or link is revoked or expires.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { startTestServer, signUp, uniqueEmail, verifyEmailOf, REGISTER, type TestServer, type SignedIn } from './helpers/server';
import { PRIVACY_POLICY_VERSION } from '../seeds/policies';
import {
  createDevice,
  recordPoint,
  grant,
  createLink,
  wsClient,
  subscribe,
  sleep,
  REVOKE,
  REVOKE_LINK,
  type Subscription,
  type TestDevice,
} from './helpers/sharing-fixtures';

let server: TestServer;
let owner: SignedIn;
let device: TestDevice;
const clients: Client[] = [];

beforeAll(async () => {
  server = await startTestServer({ plugins: [] });
  owner = await signUp(server);
  device = await createDevice(server, owner, 'Live phone');
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await server?.stop();
});

const client = (token?: string) => {
  const c = wsClient(server, token);
  clients.push(c);
  return c;
};

const LOCATION_UPDATED = `subscription($ids: [ID!]) { locationUpdated(deviceIds: $ids) { id recordedAt latitude device { id } } }`;
const GRANT_CHANGED = `subscription { sharingGrantChanged { id status } }`;
const SHARED_UPDATED = `subscription($t: String!) { sharedLocationUpdated(token: $t) { recordedAt latitude longitude accuracy } }`;

let lat = 56.9;
/** Records points until the subscription has delivered one: proves the stream is live before the test acts. */
async function untilLive(sub: Subscription, d = device) {
  const deadline = Date.now() + 10_000;
  const before = sub.results.length;
  while (sub.results.length === before) {
    if (Date.now() > deadline) throw new Error(`stream never delivered: ${JSON.stringify(sub.results)} ${String(sub.error)}`);
    await recordPoint(server, d, new Date(), (lat += 0.001));
    await sleep(150);
  }
  return sub.results[sub.results.length - 1];
}

const codesOf = (sub: Subscription) => sub.results.flatMap((r) => (r.errors ?? []).map((e) => e.extensions?.code));
const errorCodesOf = (e: unknown) => (Array.isArray(e) ? e.map((x: { extensions?: { code?: string } }) => x.extensions?.code) : []);

async function newGrantee(scope: 'LIVE' | 'HISTORY', extra: Record<string, unknown> = {}) {
  const viewer = await signUp(server);
  const g = await grant(server, owner, device, { granteeEmail: viewer.email, scope, ...extra });
  return { viewer, grantId: g.id };
}

describe('locationUpdated', () => {
  it('delivers a recorded point to the owner, with the point fields', async () => {
    const sub = subscribe(client(owner.accessToken), LOCATION_UPDATED, { ids: [device.id] });
    const r = await untilLive(sub);
    expect(r.errors).toBeUndefined();
    expect(r.data.locationUpdated).toMatchObject({ latitude: lat, device: { id: device.id } });
    sub.dispose();
  });

  it.each(['LIVE', 'HISTORY'] as const)('delivers to an active %s grantee, also when deviceIds is omitted', async (scope) => {
    const { viewer } = await newGrantee(scope);
    const explicit = subscribe(client(viewer.accessToken), LOCATION_UPDATED, { ids: [device.id] });
    const byDefault = subscribe(client(viewer.accessToken), LOCATION_UPDATED, {});
    await untilLive(explicit);
    await untilLive(byDefault);
    // Several fixes in a row all arrive (not only the newest one).
    const n = explicit.results.length;
    for (let i = 0; i < 3; i++) await recordPoint(server, device, new Date(), (lat += 0.001));
    await explicit.waitFor(n + 3);
    expect(explicit.results.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(byDefault.results.flatMap((r) => r.errors ?? [])).toEqual([]);
    explicit.dispose();
    byDefault.dispose();
  });

  it('refuses strangers, expired, revoked and scheduled grantees and other devices with NOT_FOUND, anonymous with UNAUTHENTICATED', async () => {
    const stranger = await signUp(server);
    const otherDevice = await createDevice(server, stranger, 'Other');
    const expired = await newGrantee('LIVE');
    await server.app.services.prisma.sharingGrant.updateMany({
      where: { grantee: { email: expired.viewer.email } },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const revoked = await newGrantee('LIVE');
    await server.gql(REVOKE, { id: revoked.grantId }, { token: owner.accessToken });
    const scheduled = await newGrantee('LIVE', { startsAt: new Date(Date.now() + 3600_000).toISOString() });
    const cases: [string | undefined, string][] = [
      [stranger.accessToken, 'NOT_FOUND'],
      [expired.viewer.accessToken, 'NOT_FOUND'],
      [revoked.viewer.accessToken, 'NOT_FOUND'],
      [scheduled.viewer.accessToken, 'NOT_FOUND'],
      [otherDevice.token, 'NOT_FOUND'],
      [undefined, 'UNAUTHENTICATED'],
    ];
    for (const [token, code] of cases) {
      const sub = subscribe(client(token), LOCATION_UPDATED, { ids: [device.id] });
      await sub.ended();
      expect(errorCodesOf(sub.error).concat(codesOf(sub))).toEqual([code]);
    }
  });

  it('ends with FORBIDDEN at once when the owner revokes the grant (no further point needed)', async () => {
    const { viewer, grantId } = await newGrantee('LIVE');
    const sub = subscribe(client(viewer.accessToken), LOCATION_UPDATED, { ids: [device.id] });
    await untilLive(sub);
    const revokedAt = Date.now();
    await server.gql(REVOKE, { id: grantId }, { token: owner.accessToken });
    await sub.ended(2000);
    expect(Date.now() - revokedAt).toBeLessThan(2000);
    expect(sub.completed).toBe(true);
    expect(codesOf(sub).at(-1)).toBe('FORBIDDEN');
  });

  it('ends with UNAUTHENTICATED when the viewer signs out (the stream does not outlive its session)', async () => {
    const { viewer } = await newGrantee('LIVE');
    const sub = subscribe(client(viewer.accessToken), LOCATION_UPDATED, { ids: [device.id] });
    await untilLive(sub);
    await server.gql(`mutation($t: String!) { logout(refreshToken: $t) }`, { t: viewer.refreshToken });
    await recordPoint(server, device, new Date(), (lat += 0.001));
    await sub.ended(2000);
    expect(sub.completed).toBe(true);
    expect(codesOf(sub).at(-1)).toBe('UNAUTHENTICATED');
  });

  it('ends with FORBIDDEN when the grantee leaves', async () => {
    const { viewer, grantId } = await newGrantee('HISTORY');
    const sub = subscribe(client(viewer.accessToken), LOCATION_UPDATED, {});
    await untilLive(sub);
    await server.gql(REVOKE, { id: grantId }, { token: viewer.accessToken });
    await sub.ended(2000);
    expect(codesOf(sub).at(-1)).toBe('FORBIDDEN');
  });

  it('ends with FORBIDDEN at the moment the grant expires', async () => {
    const expiresAt = new Date(Date.now() + 2500);
    const { viewer } = await newGrantee('LIVE', { expiresAt: expiresAt.toISOString() });
    const sub = subscribe(client(viewer.accessToken), LOCATION_UPDATED, { ids: [device.id] });
    await untilLive(sub);
    await sub.ended(5000);
    const endedAt = Date.now();
    expect(endedAt).toBeGreaterThanOrEqual(expiresAt.getTime());
    expect(endedAt - expiresAt.getTime()).toBeLessThan(1500);
    expect(sub.completed).toBe(true);
    expect(codesOf(sub).at(-1)).toBe('FORBIDDEN');
  });

  it('keeps streaming to the owner while grants come and go', async () => {
    const sub = subscribe(client(owner.accessToken), LOCATION_UPDATED, { ids: [device.id] });
    await untilLive(sub);
    const { grantId } = await newGrantee('LIVE');
    await server.gql(REVOKE, { id: grantId }, { token: owner.accessToken });
    await sleep(300);
    await untilLive(sub);
    expect(sub.completed).toBe(false);
    expect(codesOf(sub)).toEqual([]);
    sub.dispose();
  });
});

describe('sharingGrantChanged', () => {
  it('tells the grantee about a new grant, its revocation and its expiry', async () => {
    const viewer = await signUp(server);
    const sub = subscribe(client(viewer.accessToken), GRANT_CHANGED);
    await sleep(500); // graphql-ws has no "subscribed" acknowledgement
    const g = await grant(server, owner, device, { granteeEmail: viewer.email, scope: 'LIVE' });
    await sub.waitFor(1);
    expect(sub.results[0].data).toEqual({ sharingGrantChanged: { id: g.id, status: 'ACTIVE' } });
    await server.gql(REVOKE, { id: g.id }, { token: owner.accessToken });
    await sub.waitFor(2);
    expect(sub.results[1].data).toEqual({ sharingGrantChanged: { id: g.id, status: 'REVOKED' } });

    const short = await grant(server, owner, device, {
      granteeEmail: viewer.email,
      scope: 'LIVE',
      expiresAt: new Date(Date.now() + 1500).toISOString(),
    });
    await sub.waitFor(4, 4000);
    expect(sub.results.slice(2).map((r) => r.data)).toEqual([
      { sharingGrantChanged: { id: short.id, status: 'ACTIVE' } },
      { sharingGrantChanged: { id: short.id, status: 'EXPIRED' } },
    ]);
    sub.dispose();
  });

  it('tells the owner when an invitation is accepted by registration and verification of the address', async () => {
    const other = await signUp(server);
    const d = await createDevice(server, other, 'Invite phone');
    const sub = subscribe(client(other.accessToken), GRANT_CHANGED);
    await sleep(500);
    const email = uniqueEmail('invitee');
    const g = await grant(server, other, d, { granteeEmail: email, scope: 'LIVE' });
    await sub.waitFor(1);
    expect(sub.results[0].data).toEqual({ sharingGrantChanged: { id: g.id, status: 'PENDING' } });
    await server.gql(REGISTER, { input: { email, password: 'a long password', privacyPolicyVersion: PRIVACY_POLICY_VERSION } });
    await verifyEmailOf(server, email);
    await sub.waitFor(2);
    expect(sub.results[1].data).toEqual({ sharingGrantChanged: { id: g.id, status: 'ACTIVE' } });
    sub.dispose();
  });

  it('needs a signed-in account', async () => {
    const sub = subscribe(client(), GRANT_CHANGED);
    await sub.ended();
    expect(errorCodesOf(sub.error).concat(codesOf(sub))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('sharedLocationUpdated', () => {
  it('streams positions to an anonymous link holder, without ids or battery', async () => {
    const link = await createLink(server, owner, device);
    const sub = subscribe(client(), SHARED_UPDATED, { t: link.token });
    const r = await untilLive(sub);
    expect(r.data.sharedLocationUpdated).toEqual({ recordedAt: expect.any(String), latitude: lat, longitude: 24.1, accuracy: 5 });
    sub.dispose();
  });

  it('ends with FORBIDDEN at once when the link is revoked', async () => {
    const link = await createLink(server, owner, device);
    const sub = subscribe(client(), SHARED_UPDATED, { t: link.token });
    await untilLive(sub);
    await server.gql(REVOKE_LINK, { id: link.id }, { token: owner.accessToken });
    await sub.ended(2000);
    expect(sub.completed).toBe(true);
    expect(codesOf(sub).at(-1)).toBe('FORBIDDEN');
  });

  it('ends with FORBIDDEN when the link expires', async () => {
    const expiresAt = new Date(Date.now() + 2500);
    const link = await createLink(server, owner, device, { expiresAt: expiresAt.toISOString() });
    const sub = subscribe(client(), SHARED_UPDATED, { t: link.token });
    await untilLive(sub);
    await sub.ended(5000);
    expect(Date.now() - expiresAt.getTime()).toBeLessThan(1500);
    expect(codesOf(sub).at(-1)).toBe('FORBIDDEN');
  });

  it('refuses unknown and revoked tokens with NOT_FOUND', async () => {
    const link = await createLink(server, owner, device);
    await server.gql(REVOKE_LINK, { id: link.id }, { token: owner.accessToken });
    for (const t of [link.token, 'not-a-token']) {
      const sub = subscribe(client(), SHARED_UPDATED, { t });
      await sub.ended();
      expect(errorCodesOf(sub.error).concat(codesOf(sub))).toEqual(['NOT_FOUND']);
    }
  });
});

describe('SSE (graphql over HTTP with text/event-stream)', () => {
  it('streams locationUpdated and ends it with FORBIDDEN when the grant is revoked', async () => {
    const { viewer, grantId } = await newGrantee('LIVE');
    const res = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${viewer.accessToken}` },
      body: JSON.stringify({ query: LOCATION_UPDATED, variables: { ids: [device.id] } }),
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events: { event: string; data: any }[] = [];
    const reading = (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let i: number;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (data !== undefined || event === 'complete') events.push({ event, data: data ? JSON.parse(data) : null });
        }
      }
    })();
    const nexts = () => events.filter((e) => e.event === 'next');
    const deadline = Date.now() + 10_000;
    while (!nexts().length && Date.now() < deadline) {
      await recordPoint(server, device, new Date(), (lat += 0.001));
      await sleep(200);
    }
    expect(nexts()[0].data.data.locationUpdated.latitude).toBeTypeOf('number');
    await server.gql(REVOKE, { id: grantId }, { token: owner.accessToken });
    await reading;
    expect(nexts().at(-1)!.data.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(events.at(-1)!.event).toBe('complete');
  });
});
