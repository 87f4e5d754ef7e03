/**
 * Sharing, black-box over HTTP: who sees a device, its points and its
 * grants (the access matrix), grant and share-link life cycles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestServer,
  signUp,
  errorCodes,
  uniqueEmail,
  verifyEmailOf,
  REGISTER,
  type TestServer,
  type SignedIn,
} from './helpers/server';
import {
  createDevice,
  recordPoint,
  grant,
  createLink,
  GRANT,
  REVOKE,
  CREATE_LINK,
  REVOKE_LINK,
  SHARED_LOCATION,
  type TestDevice,
} from './helpers/sharing-fixtures';
import { PRIVACY_POLICY_VERSION } from '../seeds/policies';
import { hashToken } from '../api/auth/sessions';

let server: TestServer;
const HOUR = 3600 * 1000;
const t0 = Date.now();

let owner: SignedIn;
let device: TestDevice;
let strangersDevice: TestDevice;
const viewers: Record<string, SignedIn> = {};
const grants: Record<string, string> = {};
let link: { id: string; url: string; token: string };

beforeAll(async () => {
  server = await startTestServer({ plugins: [] });
  owner = await signUp(server);
  device = await createDevice(server, owner, 'Shared phone');
  for (const name of ['live', 'history', 'expired', 'revoked', 'scheduled', 'stranger']) viewers[name] = await signUp(server);
  strangersDevice = await createDevice(server, viewers.stranger, 'Stranger tracker');

  // Three points: 3h, 2h and 1h ago (the last one is the device's lastLocation).
  for (const hoursAgo of [3, 2, 1]) await recordPoint(server, device, new Date(t0 - hoursAgo * HOUR));

  grants.live = (await grant(server, owner, device, { granteeEmail: viewers.live.email, scope: 'LIVE' })).id;
  grants.history = (
    await grant(server, owner, device, {
      granteeEmail: viewers.history.email,
      scope: 'HISTORY',
      historyFrom: new Date(t0 - 2.5 * HOUR).toISOString(),
    })
  ).id;
  grants.expired = (
    await grant(server, owner, device, {
      granteeEmail: viewers.expired.email,
      scope: 'HISTORY',
      historyFrom: new Date(t0 - 5 * HOUR).toISOString(),
    })
  ).id;
  grants.revoked = (await grant(server, owner, device, { granteeEmail: viewers.revoked.email, scope: 'HISTORY' })).id;
  grants.scheduled = (
    await grant(server, owner, device, {
      granteeEmail: viewers.scheduled.email,
      scope: 'LIVE',
      startsAt: new Date(t0 + 24 * HOUR).toISOString(),
    })
  ).id;
  // Expiry is in the past only by the clock; set it directly (the API refuses past dates).
  const { prisma } = server.app.services;
  await prisma.sharingGrant.update({ where: { id: rawOf(grants.expired) }, data: { expiresAt: new Date(t0 - 60_000) } });
  const revoked = await server.gql(REVOKE, { id: grants.revoked }, { token: owner.accessToken });
  expect(revoked.data.revokeSharing.status).toBe('REVOKED');
  link = await createLink(server, owner, device);
});
afterAll(() => server?.stop());

const rawOf = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':').slice(1).join(':');

const DEVICE = `query($id: ID!) {
  node(id: $id) { ... on Device { id name identifier accessRole lastLocation { id recordedAt } sharingGrants { id inviteeEmail } shareLinks { id } } }
}`;

async function pointIds() {
  const rows = await server.app.services.prisma.locationPoint.findMany({
    where: { deviceId: device.rawId },
    orderBy: { recordedAt: 'asc' },
  });
  const { encodeGlobalID } = await import('@pothos/plugin-relay');
  return rows.map((r) => encodeGlobalID('LocationPoint', r.id));
}

describe('access matrix: the device', () => {
  it('owner sees everything, including the owner-only fields', async () => {
    const r = await server.gql(DEVICE, { id: device.id }, { token: owner.accessToken });
    expect(r.errors).toBeUndefined();
    expect(r.data.node).toMatchObject({ name: 'Shared phone', identifier: 'IMEI-Shared phone', accessRole: 'OWNER' });
    expect(r.data.node.lastLocation.recordedAt).toBe(new Date(t0 - HOUR).toISOString());
    // Active, scheduled (and pending) grants by default; not expired or revoked ones.
    expect(r.data.node.sharingGrants.map((g: { id: string }) => g.id).sort()).toEqual(
      [grants.live, grants.history, grants.scheduled].sort(),
    );
    expect(r.data.node.shareLinks).toEqual([{ id: link.id }]);
  });

  it.each([
    ['live', 'LIVE_VIEWER'],
    ['history', 'HISTORY_VIEWER'],
  ])('%s grantee sees the device and its last location, owner-only fields null or empty', async (who, role) => {
    const r = await server.gql(DEVICE, { id: device.id }, { token: viewers[who].accessToken });
    expect(r.errors).toBeUndefined();
    expect(r.data.node).toMatchObject({ name: 'Shared phone', identifier: null, accessRole: role, sharingGrants: [], shareLinks: [] });
    expect(r.data.node.lastLocation.recordedAt).toBe(new Date(t0 - HOUR).toISOString());
  });

  it.each(['expired', 'revoked', 'scheduled', 'stranger'])('%s grantee gets NOT_FOUND', async (who) => {
    const r = await server.gql(DEVICE, { id: device.id }, { token: viewers[who].accessToken });
    expect(r.data.node).toBeNull();
    expect(errorCodes(r)).toContain('NOT_FOUND');
  });

  it('anonymous and the token of another device get NOT_FOUND', async () => {
    for (const token of [null, strangersDevice.token]) {
      const r = await server.gql(DEVICE, { id: device.id }, { token });
      expect(r.data.node).toBeNull();
      expect(errorCodes(r)).toContain('NOT_FOUND');
    }
  });

  it('a share-link holder sees the device name and last position, nothing else', async () => {
    const r = await server.gql(SHARED_LOCATION, { t: link.token });
    expect(r.errors).toBeUndefined();
    expect(r.data.sharedLocation).toMatchObject({
      deviceName: 'Shared phone',
      lastLocation: { recordedAt: new Date(t0 - HOUR).toISOString() },
    });
    // The link does not open the device itself.
    const d = await server.gql(DEVICE, { id: device.id });
    expect(errorCodes(d)).toContain('NOT_FOUND');
  });
});

describe('access matrix: points', () => {
  const POINT = `query($id: ID!) { node(id: $id) { ... on LocationPoint { id recordedAt latitude } } }`;

  it('a HISTORY grantee sees points from historyFrom on, older ones are NOT_FOUND', async () => {
    const [oldest, middle, last] = await pointIds();
    const token = viewers.history.accessToken;
    expect((await server.gql(POINT, { id: middle }, { token })).data.node?.id).toBe(middle);
    expect((await server.gql(POINT, { id: last }, { token })).data.node?.id).toBe(last);
    const r = await server.gql(POINT, { id: oldest }, { token });
    expect(r.data.node).toBeNull();
    expect(errorCodes(r)).toContain('NOT_FOUND');
  });

  it('a LIVE grantee sees the last location only; other points are NOT_FOUND', async () => {
    const [oldest, , last] = await pointIds();
    const token = viewers.live.accessToken;
    expect((await server.gql(POINT, { id: last }, { token })).data.node?.id).toBe(last);
    const r = await server.gql(POINT, { id: oldest }, { token });
    expect(r.data.node).toBeNull();
    expect(errorCodes(r)).toContain('NOT_FOUND');
  });

  it('expired, revoked, scheduled grantees, strangers, anonymous and other devices get NOT_FOUND for every point', async () => {
    const [, , last] = await pointIds();
    const tokens = [...['expired', 'revoked', 'scheduled', 'stranger'].map((w) => viewers[w].accessToken), null, strangersDevice.token];
    for (const token of tokens) {
      const r = await server.gql(POINT, { id: last }, { token });
      expect(r.data.node).toBeNull();
      expect(errorCodes(r)).toContain('NOT_FOUND');
    }
  });
});

describe('access matrix: history', () => {
  const HISTORY = `query($id: ID!, $from: DateTime!, $to: DateTime!) {
    node(id: $id) { ... on Device { locations(order: ASC) { edges { node { recordedAt } } } track(from: $from, to: $to) { pointCount } } }
  }`;
  const vars = () => ({ id: device.id, from: new Date(t0 - 10 * HOUR).toISOString(), to: new Date(Date.now() + HOUR).toISOString() });

  it('the owner sees all history', async () => {
    const r = await server.gql(HISTORY, vars(), { token: owner.accessToken });
    expect(r.errors).toBeUndefined();
    expect(r.data.node.locations.edges).toHaveLength(3);
    expect(r.data.node.track.pointCount).toBe(3);
  });

  it('a HISTORY grantee sees only points recorded at or after historyFrom', async () => {
    const r = await server.gql(HISTORY, vars(), { token: viewers.history.accessToken });
    expect(r.errors).toBeUndefined();
    expect(r.data.node.locations.edges.map((e: { node: { recordedAt: string } }) => e.node.recordedAt)).toEqual([
      new Date(t0 - 2 * HOUR).toISOString(),
      new Date(t0 - HOUR).toISOString(),
    ]);
    expect(r.data.node.track.pointCount).toBe(2);
  });

  it('a LIVE grantee gets FORBIDDEN for locations and track', async () => {
    const r = await server.gql(HISTORY, vars(), { token: viewers.live.accessToken });
    expect(r.data?.node ?? null).toBeNull();
    expect(errorCodes(r)).toContain('FORBIDDEN');
    expect(errorCodes(r).every((c) => c === 'FORBIDDEN')).toBe(true);
  });
});

describe('access matrix: grants', () => {
  const GRANT_NODE = `query($id: ID!) { node(id: $id) { ... on SharingGrant { id status scope inviteeEmail owner { id } grantee { id } } } }`;

  it('the owner sees the grant with the invitee e-mail', async () => {
    const r = await server.gql(GRANT_NODE, { id: grants.live }, { token: owner.accessToken });
    expect(r.data.node).toMatchObject({
      id: grants.live,
      status: 'ACTIVE',
      scope: 'LIVE',
      inviteeEmail: viewers.live.email,
      owner: { id: owner.id },
    });
  });

  it('the grantee sees it without the invitee e-mail', async () => {
    const r = await server.gql(GRANT_NODE, { id: grants.live }, { token: viewers.live.accessToken });
    expect(r.errors).toBeUndefined();
    expect(r.data.node).toMatchObject({ id: grants.live, inviteeEmail: null, grantee: { id: viewers.live.id } });
  });

  it('anyone else gets NOT_FOUND', async () => {
    for (const token of [viewers.history.accessToken, viewers.stranger.accessToken, null, strangersDevice.token]) {
      const r = await server.gql(GRANT_NODE, { id: grants.live }, { token });
      expect(r.data.node).toBeNull();
      expect(errorCodes(r)).toContain('NOT_FOUND');
    }
  });

  it('statuses are computed: ACTIVE, SCHEDULED, EXPIRED, REVOKED', async () => {
    const q = `query($all: Boolean) { receivedSharingGrants(includeInactive: $all) { id status } }`;
    const status = async (who: string, all = true) =>
      (await server.gql(q, { all }, { token: viewers[who].accessToken })).data.receivedSharingGrants;
    expect(await status('live')).toEqual([{ id: grants.live, status: 'ACTIVE' }]);
    expect(await status('scheduled')).toEqual([{ id: grants.scheduled, status: 'SCHEDULED' }]);
    expect(await status('expired')).toEqual([{ id: grants.expired, status: 'EXPIRED' }]);
    expect(await status('revoked')).toEqual([{ id: grants.revoked, status: 'REVOKED' }]);
    // By default only grants that are not over.
    expect(await status('expired', false)).toEqual([]);
    expect(await status('scheduled', false)).toEqual([{ id: grants.scheduled, status: 'SCHEDULED' }]);
  });
});

describe('grantSharing', () => {
  it('an invitation to an unknown e-mail is PENDING and becomes ACTIVE when that address registers and is verified', async () => {
    const email = uniqueEmail('invitee');
    const g = await server.gql(
      GRANT,
      { i: { deviceId: device.id, granteeEmail: email.toUpperCase(), scope: 'LIVE' } },
      { token: owner.accessToken },
    );
    expect(g.data.grantSharing).toMatchObject({ status: 'PENDING', inviteeEmail: email, grantee: null });

    const reg = await server.gql(REGISTER, { input: { email, password: 'a long password', privacyPolicyVersion: PRIVACY_POLICY_VERSION } });
    const token = reg.data.register.accessToken;
    // Registering the address is not enough: the invitation binds only to a verified address.
    const before = await server.gql(`{ receivedSharingGrants { id status } }`, {}, { token });
    expect(before.data.receivedSharingGrants).toEqual([]);
    await verifyEmailOf(server, email);
    const received = await server.gql(`{ receivedSharingGrants { id status } }`, {}, { token });
    expect(received.data.receivedSharingGrants).toEqual([{ id: g.data.grantSharing.id, status: 'ACTIVE' }]);
    const d = await server.gql(DEVICE, { id: device.id }, { token });
    expect(d.data.node.accessRole).toBe('LIVE_VIEWER');
  });

  it('a HISTORY grant without historyFrom shows history from its start, not the whole past', async () => {
    const viewer = await signUp(server);
    const g = await grant(server, owner, device, { granteeEmail: viewer.email, scope: 'HISTORY' });
    const row = await server.app.services.prisma.sharingGrant.findUniqueOrThrow({ where: { id: rawOf(g.id) } });
    expect(row.historyFrom?.getTime()).toBe(row.startsAt.getTime());
  });

  it('refuses sharing with yourself, duplicates, and bad dates', async () => {
    const self = await server.gql(
      GRANT,
      { i: { deviceId: device.id, granteeEmail: owner.email, scope: 'LIVE' } },
      { token: owner.accessToken },
    );
    expect(self.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.granteeEmail' });
    const dup = await server.gql(
      GRANT,
      { i: { deviceId: device.id, granteeEmail: viewers.live.email, scope: 'HISTORY' } },
      { token: owner.accessToken },
    );
    expect(errorCodes(dup)).toEqual(['CONFLICT']);
    const past = await server.gql(
      GRANT,
      { i: { deviceId: device.id, granteeEmail: uniqueEmail(), scope: 'LIVE', expiresAt: new Date(Date.now() - 1000).toISOString() } },
      { token: owner.accessToken },
    );
    expect(past.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.expiresAt' });
  });

  it('only the owner may share a device: grantees, strangers and devices get NOT_FOUND, anonymous UNAUTHENTICATED', async () => {
    const input = { i: { deviceId: device.id, granteeEmail: uniqueEmail(), scope: 'LIVE' } };
    for (const token of [viewers.history.accessToken, viewers.stranger.accessToken, device.token]) {
      expect(errorCodes(await server.gql(GRANT, input, { token }))).toEqual([token === device.token ? 'FORBIDDEN' : 'NOT_FOUND']);
    }
    expect(errorCodes(await server.gql(GRANT, input))).toEqual(['UNAUTHENTICATED']);
  });

  it('a RESTRICTED account (GDPR art. 18) may not share with anyone new', async () => {
    const restricted = await signUp(server);
    const d = await createDevice(server, restricted, 'Restricted phone');
    await server.app.services.prisma.account.update({ where: { email: restricted.email }, data: { status: 'RESTRICTED' } });
    const g = await server.gql(
      GRANT,
      { i: { deviceId: d.id, granteeEmail: uniqueEmail(), scope: 'LIVE' } },
      { token: restricted.accessToken },
    );
    expect(errorCodes(g)).toEqual(['FORBIDDEN']);
    expect(g.errors?.[0].message).toMatch(/restricted/i);
    const l = await server.gql(
      CREATE_LINK,
      { i: { deviceId: d.id, expiresAt: new Date(Date.now() + HOUR).toISOString() } },
      { token: restricted.accessToken },
    );
    expect(errorCodes(l)).toEqual(['FORBIDDEN']);
  });
});

describe('revokeSharing', () => {
  it('the grantee may leave; the device is then NOT_FOUND for them', async () => {
    const viewer = await signUp(server);
    const g = await grant(server, owner, device, { granteeEmail: viewer.email, scope: 'LIVE' });
    expect((await server.gql(DEVICE, { id: device.id }, { token: viewer.accessToken })).data.node.accessRole).toBe('LIVE_VIEWER');
    const left = await server.gql(REVOKE, { id: g.id }, { token: viewer.accessToken });
    expect(left.data.revokeSharing.status).toBe('REVOKED');
    expect(errorCodes(await server.gql(DEVICE, { id: device.id }, { token: viewer.accessToken }))).toContain('NOT_FOUND');
  });

  it('nobody else may revoke a grant (NOT_FOUND)', async () => {
    for (const token of [viewers.stranger.accessToken, viewers.history.accessToken, device.token]) {
      const r = await server.gql(REVOKE, { id: grants.live }, { token });
      expect(errorCodes(r)).toEqual([token === device.token ? 'FORBIDDEN' : 'NOT_FOUND']);
    }
    const still = await server.gql(DEVICE, { id: device.id }, { token: viewers.live.accessToken });
    expect(still.data.node.accessRole).toBe('LIVE_VIEWER');
  });
});

describe('share links', () => {
  it('the url carries a random 256-bit token that is stored only as a hash, and is shown once', async () => {
    const l = await createLink(server, owner, device);
    expect(l.url).toMatch(/^http:\/\/localhost:4000\/share\/[A-Za-z0-9_-]{43}$/);
    const stored = await server.app.services.prisma.shareLink.findUniqueOrThrow({ where: { id: rawOf(l.id) } });
    expect(stored.tokenHash).toBe(hashToken(l.token));
    expect(JSON.stringify(stored)).not.toContain(l.token);
    const later = await server.gql(
      `query($id: ID!) { node(id: $id) { ... on ShareLink { id url status } } }`,
      { id: l.id },
      { token: owner.accessToken },
    );
    expect(later.data.node).toEqual({ id: l.id, url: null, status: 'ACTIVE' });
    const other = await createLink(server, owner, device);
    expect(other.token).not.toBe(l.token);
  });

  it('expiresAt is required and at most 30 days ahead', async () => {
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    for (const expiresAt of [at(31 * 24 * HOUR), at(-1000)]) {
      const r = await server.gql(CREATE_LINK, { i: { deviceId: device.id, expiresAt } }, { token: owner.accessToken });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.expiresAt' });
    }
    const missing = await server.gql(CREATE_LINK, { i: { deviceId: device.id } }, { token: owner.accessToken });
    expect(missing.errors).toBeDefined();
    const ok = await server.gql(
      CREATE_LINK,
      { i: { deviceId: device.id, expiresAt: at(30 * 24 * HOUR - 60_000) } },
      { token: owner.accessToken },
    );
    expect(ok.errors).toBeUndefined();
  });

  it('a LIVE link shows no history; a HISTORY link shows the track since historyFrom', async () => {
    const q = `query($t: String!) { sharedLocation(token: $t) { recentTrack { pointCount geojson } } }`;
    const live = await createLink(server, owner, device);
    expect((await server.gql(q, { t: live.token })).data.sharedLocation.recentTrack).toBeNull();
    const history = await createLink(server, owner, device, { scope: 'HISTORY', historyFrom: new Date(t0 - 2.5 * HOUR).toISOString() });
    const r = await server.gql(q, { t: history.token });
    expect(r.errors).toBeUndefined();
    expect(r.data.sharedLocation.recentTrack.pointCount).toBe(2);
    const times = r.data.sharedLocation.recentTrack.geojson.properties;
    expect(JSON.stringify(times)).not.toContain(new Date(t0 - 3 * HOUR).toISOString());
  });

  it("a HISTORY link's track holds at most the newest 5000 points, oldest first", async () => {
    const busy = await createDevice(server, owner, 'Busy tracker');
    const start = t0 - 6 * HOUR;
    await server.app.services.prisma.locationPoint.createMany({
      data: Array.from({ length: 5003 }, (_, i) => ({
        deviceId: busy.rawId,
        clientId: `bulk-${i}`,
        recordedAt: new Date(start + i * 1000),
        latitude: 56.9 + i * 1e-5,
        longitude: 24.1,
      })),
    });
    const l = await createLink(server, owner, busy, { scope: 'HISTORY', historyFrom: new Date(start - HOUR).toISOString() });
    const r = await server.gql(`query($t: String!) { sharedLocation(token: $t) { recentTrack { pointCount from geojson } } }`, {
      t: l.token,
    });
    expect(r.errors).toBeUndefined();
    const track = r.data.sharedLocation.recentTrack;
    expect(track.pointCount).toBe(5000);
    const coords = track.geojson.geometry.coordinates as [number, number][];
    expect(coords[0][1]).toBeCloseTo(56.9 + 3 * 1e-5, 8);
    expect(coords[0][1]).toBeLessThan(coords[coords.length - 1][1]);
  });

  it('counts views', async () => {
    const l = await createLink(server, owner, device);
    for (let i = 0; i < 3; i++) expect((await server.gql(SHARED_LOCATION, { t: l.token })).errors).toBeUndefined();
    const r = await server.gql(
      `query($id: ID!) { node(id: $id) { ... on ShareLink { views } } }`,
      { id: l.id },
      { token: owner.accessToken },
    );
    expect(r.data.node.views).toBe(3);
  });

  it('only the owner may create, see or revoke links (NOT_FOUND for others)', async () => {
    const at = new Date(Date.now() + HOUR).toISOString();
    for (const token of [viewers.history.accessToken, viewers.stranger.accessToken]) {
      expect(errorCodes(await server.gql(CREATE_LINK, { i: { deviceId: device.id, expiresAt: at } }, { token }))).toEqual(['NOT_FOUND']);
      expect(errorCodes(await server.gql(REVOKE_LINK, { id: link.id }, { token }))).toEqual(['NOT_FOUND']);
      const n = await server.gql(`query($id: ID!) { node(id: $id) { ... on ShareLink { id views } } }`, { id: link.id }, { token });
      expect(n.data.node).toBeNull();
      expect(errorCodes(n)).toContain('NOT_FOUND');
    }
    expect((await server.gql(SHARED_LOCATION, { t: link.token })).errors).toBeUndefined();
  });

  it('revoked, expired and unknown tokens are NOT_FOUND', async () => {
    const revoked = await createLink(server, owner, device);
    const r = await server.gql(REVOKE_LINK, { id: revoked.id }, { token: owner.accessToken });
    expect(r.data.revokeShareLink.status).toBe('REVOKED');
    const expired = await createLink(server, owner, device);
    await server.app.services.prisma.shareLink.update({
      where: { id: rawOf(expired.id) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    for (const t of [revoked.token, expired.token, 'x'.repeat(43)]) {
      const s = await server.gql(SHARED_LOCATION, { t });
      expect(errorCodes(s)).toEqual(['NOT_FOUND']);
    }
    const list = await server.gql(
      `query($id: ID!) { node(id: $id) { ... on Device { active: shareLinks { id } all: shareLinks(includeInactive: true) { id status } } } }`,
      { id: device.id },
      { token: owner.accessToken },
    );
    const all = list.data.node.all as { id: string; status: string }[];
    expect(all.find((l) => l.id === revoked.id)?.status).toBe('REVOKED');
    expect(all.find((l) => l.id === expired.id)?.status).toBe('EXPIRED');
    expect(list.data.node.active.map((l: { id: string }) => l.id)).not.toContain(revoked.id);
  });
});
