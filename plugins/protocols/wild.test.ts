/**
 * Devices in the wild (issue 16), over HTTP against the real server:
 * Traccar's own OsmAnd decoder-test requests and the OwnTracks booklet's
 * payloads replayed (fixtures/), a Traccar-Client-like offline buffer that
 * must drain past a refused fix, the quarantine the owner reads (and nobody
 * else), its retention, OwnTracks friends, GPSLogger and Overland.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { rejectedFixesExport } from './quarantine';
import { signUp, startTestServer, type SignedIn, type TestServer } from '../../test/helpers/server';
import { retentionRules, runRetentionAsDpo } from '../../test/helpers/retention';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const traccar = fixture('traccar-osmand-decoder-test.json');
const booklet = fixture('owntracks-booklet.json');
const overland = fixture('overland-batch.json');

let server: TestServer;
let owner: SignedIn;
beforeAll(async () => {
  server = await startTestServer({ plugins: ['protocols', 'retention'], env: { PROTOCOLS_MAX_CLOCK_SKEW: 'PT15M' } });
  owner = await signUp(server);
});
afterAll(() => server?.stop());

interface TestDevice {
  globalId: string;
  deviceId: string;
  identifier: string;
  token: string;
}
let counter = 0;
async function newDevice(by: SignedIn = owner, name = `Phone ${counter + 1}`): Promise<TestDevice> {
  const identifier = `35386105${String(++counter).padStart(7, '0')}`;
  const r = await server.gql(
    `mutation($input: RegisterDeviceInput!) { registerDevice(input: $input) { device { id } deviceToken } }`,
    { input: { name, kind: 'PHONE', identifier } },
    { token: by.accessToken },
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  const globalId = r.data.registerDevice.device.id;
  return { globalId, deviceId: decodeGlobalID(globalId).id, identifier, token: r.data.registerDevice.deviceToken };
}

const db = () => server.app.services.prisma;
const stored = (d: TestDevice) => db().locationPoint.findMany({ where: { deviceId: d.deviceId }, orderBy: { recordedAt: 'asc' } });
const quarantined = (d: TestDevice) => db().rejectedFix.findMany({ where: { deviceId: d.deviceId }, orderBy: { receivedAt: 'asc' } });
const secondsAgo = (s: number) => Math.floor(Date.now() / 1000) - s;
const basic = (password: string) => `Basic ${Buffer.from(`jane:${password}`).toString('base64')}`;

/** A Traccar decoder-test query with the identifier replaced by the test device's and the token added. */
function traccarQuery(q: string, d: TestDevice) {
  const params = new URLSearchParams(q);
  for (const key of ['id', 'deviceid']) if (params.has(key)) params.set(key, d.identifier);
  params.set('token', d.token);
  return `${server.url}/ingest/osmand?${params}`;
}

describe("Traccar's OsmAnd decoder-test requests", () => {
  it('are all answered 2xx: stored, or quarantined with the reason when they can never be stored', async () => {
    const d = await newDevice();
    for (const q of traccar.queries as string[]) {
      const res = await fetch(traccarQuery(q, d), { method: 'POST' });
      expect(res.status, q).toBe(200);
    }
    for (const body of traccar.jsonBodies) {
      const res = await fetch(`${server.url}/ingest/osmand`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${d.token}` },
        body: JSON.stringify({ ...body, device_id: d.identifier }),
      });
      expect(res.status).toBe(200);
    }
    // Two requests have no timestamp: stored with the receive time and a content-hash clientId (they differ in content).
    const points = await stored(d);
    expect(points.map((p) => p.clientId.split(':').slice(0, 2).join(':'))).toEqual(['osmand:rx', 'osmand:rx']);
    for (const p of points) expect(Date.now() - p.recordedAt.getTime()).toBeLessThan(60_000);
    const rows = await quarantined(d);
    const codes = rows.map((r) => r.code).sort();
    // 8 query fixes and 4 JSON fixes from 2013..2025 are older than the 90-day retention; the cell/Wi-Fi-only one has no position.
    expect(codes.filter((c) => c === 'RECORDED_BEFORE_RETENTION')).toHaveLength(8 + 4);
    expect(codes.filter((c) => c === 'NO_COORDINATES')).toHaveLength(1);
    expect(rows.find((r) => r.code === 'NO_COORDINATES')!.raw).toMatchObject({ cell: expect.any(String), wifi: expect.any(String) });
    for (const r of rows) expect(JSON.stringify(r.raw)).not.toContain(d.token);
  });

  it('the same requests with recent times are stored, and a resend is a duplicate', async () => {
    const d = await newDevice();
    const recent = (q: string, i: number) => q.replace(/timestamp=[^&]*/, `timestamp=${secondsAgo(600 - i)}`);
    const withTime = (traccar.queries as string[]).filter(
      (q) => (q.includes('timestamp=') && q.includes('lat')) || q.includes('location='),
    );
    // Stamped once: a resend is the same request, even when the machine is slow between the two sends.
    const requests = withTime.map((q, i) => traccarQuery(recent(q, i), d));
    for (const r of requests) expect((await fetch(r)).status).toBe(200);
    expect(await stored(d)).toHaveLength(withTime.length);
    const again = await fetch(requests[0]);
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 1 });
  });
});

describe('a Traccar-Client-like offline buffer', () => {
  it('drains: after an invalid oldest fix, the fixes queued behind it arrive', async () => {
    const d = await newDevice();
    const base = { id: d.identifier, token: d.token };
    // Oldest first, as the app keeps them: each is deleted from the buffer only after a 2xx, else resent.
    const buffer: Record<string, string | number>[] = [
      { ...base, lat: 95, lon: 24.1, timestamp: secondsAgo(900) }, // bad latitude
      { ...base, lat: 56.9, lon: 24.1, timestamp: secondsAgo(200 * 86400) }, // older than retention
      { ...base, lat: 56.91, lon: 24.1 }, // no timestamp
      { ...base, timestamp: secondsAgo(800), cell: '247,01,1,1' }, // cell only, no coordinates
      { ...base, lat: 56.92, lon: 24.1, timestamp: secondsAgo(-120) }, // phone clock two minutes fast
      { ...base, lat: 56.93, lon: 24.1, timestamp: secondsAgo(-86400) }, // a day ahead: refused
      { ...base, lat: 'fifty', lon: 24.1, timestamp: secondsAgo(700) }, // unreadable
      { ...base, lat: 56.94, lon: 24.1, timestamp: secondsAgo(600) },
      { ...base, lat: 56.95, lon: 24.1, timestamp: secondsAgo(500) },
    ];
    let sends = 0;
    while (buffer.length) {
      if (++sends > 20) throw new Error('the buffer is stuck');
      const fix = buffer[0];
      const res = await fetch(`${server.url}/ingest/osmand?${new URLSearchParams(Object.entries(fix).map(([k, v]) => [k, String(v)]))}`);
      if (res.status >= 200 && res.status < 300) buffer.shift();
    }
    expect(sends).toBe(9);
    const points = await stored(d);
    expect(points.map((p) => p.latitude).sort()).toEqual([56.91, 56.92, 56.94, 56.95]);
    expect(points).toHaveLength(4);
    const fast = points.find((p) => p.latitude === 56.92)!;
    expect(fast.recordedAt.getTime()).toBeLessThanOrEqual(fast.receivedAt.getTime()); // clamped to the receive time
    expect((await quarantined(d)).map((r) => r.code).sort()).toEqual(
      ['LATITUDE_OUT_OF_RANGE', 'NO_COORDINATES', 'RECORDED_BEFORE_RETENTION', 'RECORDED_IN_FUTURE', 'UNREADABLE_FIELD'].sort(),
    );
  });

  it('still refuses what is not the device (401, 403) and stores nothing', async () => {
    const d = await newDevice();
    const other = await newDevice();
    expect((await fetch(`${server.url}/ingest/osmand?lat=1&lon=2&timestamp=${secondsAgo(10)}`)).status).toBe(401);
    expect((await fetch(`${server.url}/ingest/osmand?token=${d.token}&id=${other.identifier}&lat=1&lon=2`)).status).toBe(403);
    expect(await stored(d)).toHaveLength(0);
    expect(await quarantined(d)).toHaveLength(0);
  });
});

const REJECTED = `query($id: ID!) { device(id: $id) { id rejectedFixes(first: 10) { edges { node { id code reason protocol raw receivedAt } } } } }`;

describe('Device.rejectedFixes', () => {
  it('the owner reads the quarantine; a grantee and another customer cannot', async () => {
    const d = await newDevice();
    await fetch(`${server.url}/ingest/osmand?token=${d.token}&lat=91&lon=24&timestamp=${secondsAgo(60)}`);
    await fetch(`${server.url}/ingest/osmand?token=${d.token}&lat=56.9&lon=24&timestamp=${secondsAgo(30)}`);
    const mine = await server.gql(REJECTED, { id: d.globalId }, { token: owner.accessToken });
    expect(mine.errors).toBeUndefined();
    expect(mine.data.device.rejectedFixes.edges.map((e: any) => e.node)).toEqual([
      expect.objectContaining({ code: 'LATITUDE_OUT_OF_RANGE', protocol: 'osmand', raw: expect.objectContaining({ lat: '91' }) }),
    ]);
    expect(mine.data.device.rejectedFixes.edges[0].node.raw.token).toBeUndefined();

    const friend = await signUp(server);
    const g = await server.gql(
      `mutation($i: GrantSharingInput!) { grantSharing(input: $i) { id } }`,
      { i: { deviceId: d.globalId, granteeEmail: friend.email, scope: 'HISTORY' } },
      { token: owner.accessToken },
    );
    expect(g.errors).toBeUndefined();
    const asGrantee = await server.gql(REJECTED, { id: d.globalId }, { token: friend.accessToken });
    expect(asGrantee.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(JSON.stringify(asGrantee.data)).not.toContain('LATITUDE');
    const stranger = await signUp(server);
    const asStranger = await server.gql(REJECTED, { id: d.globalId }, { token: stranger.accessToken });
    expect(asStranger.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const fixId = mine.data.device.rejectedFixes.edges[0].node.id;
    const byNode = await server.gql(
      `query($id: ID!) { node(id: $id) { ... on RejectedFix { code } } }`,
      { id: fixId },
      { token: stranger.accessToken },
    );
    expect(JSON.stringify(byNode.data ?? {})).not.toContain('LATITUDE');
    expect(byNode.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const byDevice = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${d.token}` },
      body: JSON.stringify({ query: REJECTED, variables: { id: d.globalId } }),
    });
    expect(JSON.stringify(await byDevice.json())).not.toContain('LATITUDE_OUT_OF_RANGE"');
  });

  it('is purged by the retention run after RETENTION_REJECTED_FIXES (default P7D), and listed as a rule', async () => {
    const d = await newDevice();
    await fetch(`${server.url}/ingest/osmand?token=${d.token}&lat=91&lon=24&timestamp=${secondsAgo(60)}`);
    await fetch(`${server.url}/ingest/osmand?token=${d.token}&lat=92&lon=24&timestamp=${secondsAgo(50)}`);
    const exported = (await rejectedFixesExport.collect(server.app.services, decodeGlobalID(owner.id).id)) as {
      deviceId: string;
      code: string;
    }[];
    expect(exported.filter((r) => r.deviceId === d.deviceId).map((r) => r.code)).toEqual([
      'LATITUDE_OUT_OF_RANGE',
      'LATITUDE_OUT_OF_RANGE',
    ]);
    expect(server.app.services.extensions.exportContributors.map((c) => c.section)).toContain('rejectedFixes');
    const purposes = await server.gql(`{ processingPurposes { code retention } }`);
    // The register's retention text is generated from the configured rule (never written by hand).
    const quarantine = purposes.data.processingPurposes.find((p: { code: string }) => p.code === 'DEVICE_FIX_QUARANTINE');
    expect(quarantine.retention).toContain('REJECTED_FIXES P7D');
    const [old] = await quarantined(d);
    await db().rejectedFix.update({ where: { id: old.id }, data: { receivedAt: new Date(Date.now() - 8 * 86400_000) } });
    expect(await retentionRules(server)).toContainEqual({ dataCategory: 'REJECTED_FIXES', period: 'P7D' });
    expect(await runRetentionAsDpo(server)).toContainEqual({ dataCategory: 'REJECTED_FIXES', deleted: 1 });
    expect((await quarantined(d)).map((r) => r.id)).not.toContain(old.id);
    expect(await quarantined(d)).toHaveLength(1);
  });
});

describe('OwnTracks booklet payloads', () => {
  const post = (d: TestDevice, body: unknown, contentType = 'application/json') =>
    fetch(`${server.url}/ingest/owntracks`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: basic(d.token) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('batt -1 and other unknowns become empty values; the fix is stored', async () => {
    const d = await newDevice();
    const res = await post(d, { ...booklet.location, tst: secondsAgo(120) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
    expect(await stored(d)).toMatchObject([
      { latitude: 52.4321, longitude: -3.51234, battery: null, accuracy: 13, altitude: 80, speed: 0 },
    ]);
  });

  it("the booklet's curl test (JSON sent as a form) is accepted", async () => {
    const d = await newDevice();
    const res = await post(d, JSON.stringify({ ...booklet.curlTest, tst: secondsAgo(60) }), 'application/x-www-form-urlencoded');
    expect(res.status).toBe(200);
    expect(await stored(d)).toHaveLength(1);
  });

  it('transition, waypoint(s), card, lwt and status are acknowledged and store nothing', async () => {
    const d = await newDevice();
    for (const message of booklet.acknowledged) {
      const res = await post(d, message);
      expect(res.status, message._type).toBe(200);
      expect(await res.json()).toEqual([]);
    }
    expect(await stored(d)).toHaveLength(0);
    expect(await quarantined(d)).toHaveLength(0);
  });

  it('an old location (the booklet example is from 2017) is acknowledged and quarantined, not retried for ever', async () => {
    const d = await newDevice();
    const res = await post(d, booklet.location);
    expect(res.status).toBe(200);
    expect((await quarantined(d)).map((r) => r.code)).toEqual(['RECORDED_BEFORE_RETENTION']);
  });

  it('friends: the reply carries the latest location and a card of devices shared under an active grant only', async () => {
    const me = await signUp(server);
    const myPhone = await newDevice(me, 'My phone');
    const anna = await signUp(server);
    const annasPhone = await newDevice(anna, 'Anna phone');
    const hidden = await newDevice(anna, 'Not shared');
    await fetch(`${server.url}/ingest/osmand?token=${annasPhone.token}&lat=56.95&lon=24.11&timestamp=${secondsAgo(30)}`);
    await fetch(`${server.url}/ingest/osmand?token=${hidden.token}&lat=57&lon=25&timestamp=${secondsAgo(30)}`);
    const none = await post(myPhone, { ...booklet.curlTest, tst: secondsAgo(20) });
    expect(await none.json()).toEqual([]);

    const g = await server.gql(
      `mutation($i: GrantSharingInput!) { grantSharing(input: $i) { id } }`,
      { i: { deviceId: annasPhone.globalId, granteeEmail: me.email, scope: 'LIVE' } },
      { token: anna.accessToken },
    );
    const shared = await (await post(myPhone, { ...booklet.curlTest, tst: secondsAgo(10) })).json();
    expect(shared).toEqual([
      { _type: 'card', topic: `owntracks/shared/${annasPhone.globalId}`, tid: 'AN', name: 'Anna phone' },
      expect.objectContaining({ _type: 'location', topic: `owntracks/shared/${annasPhone.globalId}`, tid: 'AN', lat: 56.95, lon: 24.11 }),
    ]);
    expect(JSON.stringify(shared)).not.toContain('"batt"');

    await server.gql(
      `mutation($id: ID!) { revokeSharing(grantId: $id) { id } }`,
      { id: g.data.grantSharing.id },
      { token: anna.accessToken },
    );
    expect(await (await post(myPhone, { ...booklet.curlTest, tst: secondsAgo(5) })).json()).toEqual([]);
  });
});

describe('GPSLogger for Android (custom URL)', () => {
  it('stores a fix from the documented template, GET and POST, with units as GPSLogger sends them', async () => {
    const d = await newDevice();
    const time = new Date(secondsAgo(300) * 1000).toISOString();
    const q = new URLSearchParams({
      lat: '56.9496',
      lon: '24.1052',
      time,
      spd: '3.5',
      acc: '8',
      alt: '12',
      batt: '77',
      dir: '90',
      prov: 'gps',
      token: d.token,
    });
    const get = await fetch(`${server.url}/ingest/gpslogger?${q}`);
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(await stored(d)).toMatchObject([
      { latitude: 56.9496, longitude: 24.1052, speed: 3.5, accuracy: 8, altitude: 12, battery: 77, heading: 90, source: 'GPS' },
    ]);
    const again = await fetch(`${server.url}/ingest/gpslogger`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: q.toString(),
    });
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 1 });
    // Placeholders the app could not fill (%BATT without a reading) are unknown, not errors.
    const unfilled = new URLSearchParams({
      lat: '56.95',
      lon: '24.11',
      timestamp: String(secondsAgo(200)),
      batt: '%BATT',
      spd: '',
      token: d.token,
    });
    expect((await fetch(`${server.url}/ingest/gpslogger?${unfilled}`)).status).toBe(200);
    expect((await stored(d)).find((p) => p.latitude === 56.95)).toMatchObject({ battery: null, speed: null });
  });

  it('a bad token is 401', async () => {
    expect((await fetch(`${server.url}/ingest/gpslogger?lat=1&lon=2&token=nope`)).status).toBe(401);
  });
});

describe('Overland for iOS', () => {
  const batch = (times: string[]) => ({
    ...overland.body,
    locations: overland.body.locations.map((f: any, i: number) => ({ ...f, properties: { ...f.properties, timestamp: times[i] } })),
  });
  const send = (d: TestDevice | null, body: unknown) =>
    fetch(`${server.url}/ingest/overland`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(d ? { authorization: `Bearer ${d.token}` } : {}) },
      body: JSON.stringify(body),
    });

  it('answers {"result":"ok"} after storing the batch; -1 readings are unknown', async () => {
    const d = await newDevice();
    const t = (s: number) => new Date(secondsAgo(s) * 1000).toISOString().replace('Z', '+0000');
    const res = await send(d, batch([t(120), t(119)]));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ result: 'ok' });
    const points = await stored(d);
    expect(points).toHaveLength(2);
    expect(points[0]).toMatchObject({ latitude: 37.3318, longitude: -122.030581, speed: 4, accuracy: 30, battery: 89 });
    expect(points[1]).toMatchObject({ speed: null, battery: null });
    expect(await (await send(d, batch([t(120), t(119)]))).json()).toEqual({ result: 'ok' });
    expect(await stored(d)).toHaveLength(2);
  });

  it("the README's 2015 batch is acknowledged and quarantined; no token is 401", async () => {
    const d = await newDevice();
    const res = await send(d, overland.body);
    expect(await res.json()).toEqual({ result: 'ok' });
    expect((await quarantined(d)).map((r) => r.protocol + ':' + r.code)).toEqual([
      'overland:RECORDED_BEFORE_RETENTION',
      'overland:RECORDED_BEFORE_RETENTION',
    ]);
    expect((await send(null, overland.body)).status).toBe(401);
  });
});
