/**
 * The protocol routes end to end, over HTTP against the real server: the
 * requests are replayed in the shapes Traccar Client, OsmAnd-protocol
 * trackers and OwnTracks send, and the tests check what is stored, what the
 * app receives, and that refused requests store nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { startTestServer, signUp, type SignedIn, type TestServer } from '../../test/helpers/server';

let server: TestServer;
let owner: SignedIn;

beforeAll(async () => {
  server = await startTestServer({ plugins: ['protocols'] });
  owner = await signUp(server);
});
afterAll(() => server?.stop());

let counter = 0;
interface TestDevice {
  globalId: string;
  deviceId: string;
  identifier: string;
  token: string;
}

const REGISTER_DEVICE = `mutation($input: RegisterDeviceInput!) { registerDevice(input: $input) { device { id } deviceToken } }`;
const ROTATE_TOKEN = `mutation($id: ID!) { rotateDeviceToken(deviceId: $id) { deviceToken } }`;

/** A device registered through the API, as a customer does before configuring the app. */
async function newDevice(by: SignedIn = owner): Promise<TestDevice> {
  const identifier = `86212345678${String(++counter).padStart(4, '0')}`;
  const r = await server.gql(
    REGISTER_DEVICE,
    { input: { name: `Phone ${counter}`, kind: 'PHONE', identifier } },
    { token: by.accessToken },
  );
  if (r.errors) throw new Error(`registerDevice failed: ${JSON.stringify(r.errors)}`);
  const globalId: string = r.data.registerDevice.device.id;
  return { globalId, deviceId: decodeGlobalID(globalId).id, identifier, token: r.data.registerDevice.deviceToken };
}

/** The owner rotates the device token through the API: earlier tokens stop working. */
async function rotateToken(device: TestDevice): Promise<string> {
  const r = await server.gql(ROTATE_TOKEN, { id: device.globalId }, { token: owner.accessToken });
  if (r.errors) throw new Error(`rotateDeviceToken failed: ${JSON.stringify(r.errors)}`);
  return r.data.rotateDeviceToken.deviceToken;
}

const storedPoints = (d: TestDevice) =>
  server.app.services.prisma.locationPoint.findMany({ where: { deviceId: d.deviceId }, orderBy: { recordedAt: 'asc' } });

/** A fix time ten minutes ago, in unix seconds (inside retention, not in the future). */
const recentSeconds = (offset = 0) => Math.floor(Date.now() / 1000) - 600 + offset;

const osmandUrl = (query: Record<string, string | number>) =>
  `${server.url}/ingest/osmand?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('OsmAnd protocol: query parameters (Traccar Client up to 8.x, OsmAnd, trackers)', () => {
  it('stores the fix with units converted and answers 200; a resend is a duplicate', async () => {
    const device = await newDevice();
    const tst = recentSeconds();
    // Traccar Client's request: the server URL (with ?token=) plus id, timestamp, lat, lon, speed (knots), bearing,
    // altitude, accuracy, batt.
    const url = osmandUrl({
      token: device.token,
      id: device.identifier,
      timestamp: tst,
      lat: 56.946285,
      lon: 24.105078,
      speed: 10,
      bearing: 271.5,
      altitude: 12,
      accuracy: 4.5,
      batt: 87,
    });
    const first = await fetch(url, { method: 'POST' });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });

    const points = await storedPoints(device);
    expect(points).toHaveLength(1);
    expect(points[0]).toMatchObject({
      clientId: `osmand:${tst * 1000}`,
      latitude: 56.946285,
      longitude: 24.105078,
      heading: 271.5,
      altitude: 12,
      accuracy: 4.5,
      battery: 87,
    });
    expect(points[0].speed).toBeCloseTo(10 * 0.514444, 4);
    expect(points[0].recordedAt.getTime()).toBe(tst * 1000);

    const row = await server.app.services.prisma.device.findUniqueOrThrow({ where: { id: device.deviceId } });
    expect(row.lastSeenAt).not.toBeNull();
    expect(row.lastLocationId).toBe(points[0].id);

    // The app did not see the answer and sends the same fix again.
    const retry = await fetch(url, { method: 'POST' });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    expect(await storedPoints(device)).toHaveLength(1);
  });

  it('accepts GET, the API device id as id, and ISO or millisecond timestamps', async () => {
    const device = await newDevice();
    const ms = recentSeconds() * 1000 + 250;
    const get = await fetch(osmandUrl({ token: device.token, id: device.globalId, lat: 56.9, lon: 24.1, timestamp: ms }));
    expect(get.status).toBe(200);
    const iso = await fetch(
      osmandUrl({ token: device.token, deviceid: device.deviceId, lat: 56.91, lon: 24.11, timestamp: new Date(ms + 60_000).toISOString() }),
    );
    expect(iso.status).toBe(200);
    const points = await storedPoints(device);
    expect(points.map((p) => p.recordedAt.getTime())).toEqual([ms, ms + 60_000]);
  });

  it('reads a form body with the token as a Bearer header', async () => {
    const device = await newDevice();
    const tst = recentSeconds();
    const res = await fetch(`${server.url}/ingest/osmand`, {
      method: 'POST',
      headers: { authorization: `Bearer ${device.token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        id: device.identifier,
        lat: '56.95',
        lon: '24.12',
        timestamp: String(tst),
        speed: '0',
        hdop: '0.9',
      }).toString(),
    });
    expect(res.status).toBe(200);
    expect(await storedPoints(device)).toMatchObject([{ latitude: 56.95, longitude: 24.12, speed: 0, clientId: `osmand:${tst * 1000}` }]);
  });

  it('acknowledges a fix the device flags invalid without storing it', async () => {
    const device = await newDevice();
    const res = await fetch(
      osmandUrl({ token: device.token, id: device.identifier, lat: 0, lon: 0, timestamp: recentSeconds(), valid: 'false' }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 0, rejected: [{ index: 0, code: 'MARKED_INVALID' }] });
    expect(await storedPoints(device)).toHaveLength(0);
  });
});

describe('OsmAnd protocol: JSON body (Traccar Client 9+, background-geolocation SDK)', () => {
  // Traccar Client 9's location template (lib/preferences.dart), including its "_" field for older servers;
  // the SDK adds device_id from its params.
  const sdkLocation = (at: Date, overrides: Record<string, unknown> = {}) => ({
    timestamp: at.toISOString(),
    coords: { latitude: 56.946285, longitude: 24.105078, accuracy: 5, speed: 3.5, heading: 180, altitude: 11 },
    is_moving: true,
    odometer: 1520,
    event: 'motionchange',
    battery: { level: 0.42, is_charging: false },
    activity: { type: 'walking' },
    extras: {},
    _: `&id=48241179&lat=56.946285&lon=24.105078&timestamp=${at.toISOString()}&`,
    ...overrides,
  });

  it('stores one location: m/s speed as is, battery 0..1 as percent, the ISO time as recordedAt', async () => {
    const device = await newDevice();
    const at = new Date(recentSeconds() * 1000 + 123);
    const res = await fetch(`${server.url}/ingest/osmand?token=${encodeURIComponent(device.token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ location: sdkLocation(at), device_id: device.identifier }),
    });
    expect(res.status).toBe(200);
    const [p] = await storedPoints(device);
    expect(p).toMatchObject({ clientId: `osmand:${at.getTime()}`, speed: 3.5, heading: 180, accuracy: 5, altitude: 11, battery: 42 });
    expect(p.recordedAt.toISOString()).toBe(at.toISOString());
  });

  it('stores a batch (location as an array) and counts a resent batch as duplicates', async () => {
    const device = await newDevice();
    const base = recentSeconds() * 1000;
    const body = JSON.stringify({ device_id: device.identifier, location: [0, 1, 2].map((i) => sdkLocation(new Date(base + i * 30_000))) });
    const send = () =>
      fetch(`${server.url}/ingest/osmand`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${device.token}` },
        body,
      });
    expect(await (await send()).json()).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    expect(await (await send()).json()).toEqual({ accepted: 0, duplicates: 3, rejected: [] });
    expect(await storedPoints(device)).toHaveLength(3);
  });

  it('stores the valid points of a batch and lists the rejected ones', async () => {
    const device = await newDevice();
    const base = recentSeconds() * 1000;
    const res = await fetch(`${server.url}/ingest/osmand?token=${device.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        device_id: device.identifier,
        location: [sdkLocation(new Date(base)), sdkLocation(new Date(base + 1000), { coords: { latitude: 95, longitude: 24 } })],
      }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ accepted: 1, duplicates: 0, rejected: [{ index: 1, code: 'LATITUDE_OUT_OF_RANGE' }] });
    expect(await storedPoints(device)).toHaveLength(1);
  });
});

describe('OwnTracks HTTP mode', () => {
  const owntracksUrl = () => `${server.url}/ingest/owntracks`;
  const location = (tst: number, overrides: Record<string, unknown> = {}) => ({
    _type: 'location',
    acc: 12,
    alt: 37,
    batt: 64,
    bs: 1,
    conn: 'w',
    created_at: tst + 2,
    lat: 56.946285,
    lon: 24.105078,
    m: 1,
    t: 'u',
    tid: 'JD',
    tst,
    vac: 3,
    vel: 36,
    cog: 270,
    ...overrides,
  });
  const post = (device: TestDevice, body: unknown, user = 'jane') =>
    fetch(owntracksUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(user, device.token), 'x-limit-u': user, 'x-limit-d': 'phone' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('stores a location with km/h converted to m/s and answers with a JSON array', async () => {
    const device = await newDevice();
    const tst = recentSeconds();
    const res = await post(device, location(tst));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual([]);
    const [p] = await storedPoints(device);
    expect(p).toMatchObject({ clientId: `owntracks:${tst * 1000}`, accuracy: 12, altitude: 37, heading: 270, battery: 64 });
    expect(p.speed).toBeCloseTo(10, 6);
    expect(p.recordedAt.getTime()).toBe(tst * 1000);
  });

  it('publishes the stored fix to live subscribers of the device', async () => {
    const device = await newDevice();
    const live = server.app.services.pubsub.subscribe('location:device', device.deviceId)[Symbol.asyncIterator]();
    const nextPoint = live.next(); // starts listening before the app sends
    const tst = recentSeconds();
    expect((await post(device, location(tst))).status).toBe(200);
    const { value } = await Promise.race([
      nextPoint,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no live point')), 5000)),
    ]);
    expect(value).toMatchObject({ deviceId: device.deviceId, latitude: 56.946285, recordedAt: new Date(tst * 1000).toISOString() });
    await live.return?.();
  });

  it('takes any Basic user name; the password is the device token', async () => {
    const device = await newDevice();
    const res = await post(device, location(recentSeconds()), 'anything-at-all');
    expect(res.status).toBe(200);
    expect(await storedPoints(device)).toHaveLength(1);
  });

  it('reads an array, ignores other message types, and treats a resend as a duplicate', async () => {
    const device = await newDevice();
    const tst = recentSeconds();
    const batch = [
      location(tst),
      {
        _type: 'transition',
        event: 'enter',
        desc: 'home',
        lat: 56.9,
        lon: 24.1,
        tst: tst + 5,
        wtst: tst - 9999,
        acc: 10,
        t: 'c',
        tid: 'JD',
      },
      { _type: 'lwt', tst },
      location(tst + 60),
    ];
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await post(device, batch);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([]);
    }
    expect((await storedPoints(device)).map((p) => p.clientId)).toEqual([`owntracks:${tst * 1000}`, `owntracks:${(tst + 60) * 1000}`]);
  });

  it('acknowledges non-location messages and an empty body without storing anything', async () => {
    const device = await newDevice();
    for (const body of [
      { _type: 'waypoint', desc: 'Home', lat: 56.9, lon: 24.1, rad: 50, tst: recentSeconds() },
      { _type: 'status' },
      '',
    ]) {
      const res = await post(device, body);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([]);
    }
    expect(await storedPoints(device)).toHaveLength(0);
  });

  it('refuses a wrong password with 401 and a Basic challenge', async () => {
    const device = await newDevice();
    const res = await fetch(owntracksUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic('jane', 'not-the-token') },
      body: JSON.stringify(location(recentSeconds())),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect((await res.json()).error.code).toBe('UNAUTHENTICATED');
    expect(await storedPoints(device)).toHaveLength(0);
  });

  it('acknowledges (200) and quarantines a location without lat or with text for a number; the rest of a batch is stored', async () => {
    const device = await newDevice();
    const missing = await post(device, location(recentSeconds(), { lat: undefined }));
    expect(missing.status).toBe(200);
    const text = await post(device, [location(recentSeconds()), location(recentSeconds(1), { vel: 'fast' })]);
    expect(text.status).toBe(200);
    const broken = await post(device, '{"_type": "location", "lat": ');
    expect(broken.status).toBe(200);
    expect(await storedPoints(device)).toHaveLength(1);
    const rejected = await server.app.services.prisma.rejectedFix.findMany({
      where: { deviceId: device.deviceId },
      orderBy: { receivedAt: 'asc' },
    });
    expect(rejected.map((r) => [r.code, r.reason])).toEqual([
      ['NO_COORDINATES', 'lat is required.'],
      ['UNREADABLE_FIELD', '[1].vel must be a number (got "fast").'],
      ['UNREADABLE_BODY', 'The body is not an OwnTracks JSON message.'],
    ]);
  });
});

describe('authentication: nothing is stored without the right device token', () => {
  const fix = (d: TestDevice, extra: Record<string, string | number> = {}) => ({
    id: d.identifier,
    lat: 56.9,
    lon: 24.1,
    timestamp: recentSeconds(),
    ...extra,
  });

  it('refuses a missing token, a made-up token, and an account access token (401)', async () => {
    const device = await newDevice();
    const cases: [string, RequestInit][] = [
      [osmandUrl(fix(device)), {}],
      [osmandUrl(fix(device, { token: 'eyJhbGciOiJFUzI1NiJ9.eyJ0eXAiOiJkZXZpY2UifQ.c2lnbmF0dXJl' })), {}],
      [osmandUrl(fix(device)), { headers: { authorization: `Bearer ${owner.accessToken}` } }],
      [osmandUrl(fix(device, { token: 'not-a-jwt' })), {}],
    ];
    for (const [url, init] of cases) {
      const res = await fetch(url, init);
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('UNAUTHENTICATED');
    }
    expect(await storedPoints(device)).toHaveLength(0);
  });

  it('refuses a token revoked by rotation (401) and accepts the new one', async () => {
    const device = await newDevice();
    const newToken = await rotateToken(device);
    const old = await fetch(osmandUrl(fix(device, { token: device.token })));
    expect(old.status).toBe(401);
    expect(await storedPoints(device)).toHaveLength(0);
    const fresh = await fetch(osmandUrl(fix(device, { token: newToken })));
    expect(fresh.status).toBe(200);
  });

  it('refuses the token of a removed device (401)', async () => {
    const device = await newDevice();
    const removed = await server.gql(
      `mutation($id: ID!) { removeDevice(deviceId: $id) { deletedLocations } }`,
      { id: device.globalId },
      { token: owner.accessToken },
    );
    expect(removed.errors).toBeUndefined();
    const res = await fetch(`${server.url}/ingest/owntracks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic('jane', device.token) },
      body: JSON.stringify({ _type: 'location', lat: 56.9, lon: 24.1, tst: recentSeconds() }),
    });
    expect(res.status).toBe(401);
    expect(await storedPoints(device)).toHaveLength(0);
  });

  it("refuses an id that is not the token's device (403): a device id alone proves nothing", async () => {
    const mine = await newDevice();
    const someoneElse = await newDevice(await signUp(server));
    const res = await fetch(osmandUrl({ ...fix(someoneElse), token: mine.token }));
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('FORBIDDEN');
    expect(await storedPoints(mine)).toHaveLength(0);
    expect(await storedPoints(someoneElse)).toHaveLength(0);
  });
});

describe('bad input: acknowledged and quarantined when no resend can fix it; 400 over the size limit; 415 for other content types', () => {
  it('acknowledges (200) a fix that can never be stored, naming the missing or non-numeric parameter', async () => {
    const device = await newDevice();
    const base = { token: device.token, id: device.identifier, timestamp: recentSeconds() };
    const cases: [Record<string, string | number>, string, string][] = [
      [{ ...base, lon: 24.1 }, 'lat', 'lat is required.'],
      [{ ...base, lat: 'fifty-six', lon: 24.1 }, 'lat', 'lat must be a number (got "fifty-six").'],
      [{ ...base, lat: 56.9, lon: 24.1, speed: 'fast' }, 'speed', 'speed must be a number (got "fast").'],
      [
        { token: device.token, id: device.identifier, lat: 56.9, lon: 24.1 },
        'timestamp',
        "timestamp is required: the device's time of the fix identifies the point on retries.",
      ],
    ];
    for (const [query, , message] of cases) {
      const res = await fetch(osmandUrl(query));
      expect(res.status).toBe(200);
      const { rejected } = await res.json();
      if (message.startsWith('timestamp is required'))
        expect(rejected).toEqual([]); // stored with the receive time
      else expect(rejected).toEqual([{ index: 0, code: expect.stringMatching(/^(NO_COORDINATES|UNREADABLE_FIELD)$/), message }]);
    }
    expect(await storedPoints(device)).toHaveLength(1);
  });

  it('answers 200 with the reason when no point passes validation (the app must not resend it for ever)', async () => {
    const device = await newDevice();
    const res = await fetch(osmandUrl({ token: device.token, id: device.identifier, lat: 95, lon: 24.1, timestamp: recentSeconds() }));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ accepted: 0, rejected: [{ index: 0, code: 'LATITUDE_OUT_OF_RANGE' }] });
    expect(body.rejected[0].message).toMatch(/^latitude/);
    expect(await storedPoints(device)).toHaveLength(0);
  });

  it('refuses a body over the limit (400, PAYLOAD_TOO_LARGE) before reading it as JSON', async () => {
    const device = await newDevice();
    const huge = JSON.stringify({ location: { coords: { latitude: 1, longitude: 2 }, padding: 'x'.repeat(300 * 1024) } });
    for (const path of ['/ingest/osmand', '/ingest/owntracks']) {
      const res = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${device.token}` },
        body: huge,
      });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limit: 256 * 1024 });
    }
    expect(await storedPoints(device)).toHaveLength(0);
  });

  it('refuses a body that is neither a form nor JSON (415); malformed JSON is acknowledged and quarantined', async () => {
    const device = await newDevice();
    const xml = await fetch(`${server.url}/ingest/osmand`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml', authorization: `Bearer ${device.token}` },
      body: '<location lat="56.9"/>',
    });
    expect(xml.status).toBe(415);
    const json = await fetch(`${server.url}/ingest/osmand`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${device.token}` },
      body: '{"location": {',
    });
    expect(json.status).toBe(200);
    expect((await json.json()).rejected).toEqual([{ index: 0, code: 'UNREADABLE_BODY', message: 'The body is not valid JSON.' }]);
    expect(await storedPoints(device)).toHaveLength(0);
  });
});
