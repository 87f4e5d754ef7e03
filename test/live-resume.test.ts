/**
 * Live streams that survive: the SDK reconnects with backoff after a server
 * restart and resumes with `since`, so the points stored while the server was
 * down arrive once, in order, before the live ones. Also: `since` replays only
 * what the viewer may see, and WebSocket failures reach the SDK user as coded
 * SdkErrors (never "[object ErrorEvent]").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient, LocationUpdatedDocument, SdkError, type LocationUpdatedSubscription } from '../generated/sdk';
import { loadConfig } from '../api/config';
import { createApp, type App } from '../server/app';
import { startServer, type RunningServer } from '../server/http-server';
import { ingestLocations } from '../api/locations/ingest';
import { seedPolicies } from '../seeds';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { gql, REGISTER, uniqueEmail } from './helpers/server';
import { PRIVACY_POLICY_VERSION } from '../seeds/policies';

let db: TestDatabase;
let app: App;
let running: RunningServer;
let port: number;
let dataDir: string;
const url = () => `http://127.0.0.1:${port}/graphql`;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lp-resume-'));
  db = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    PUBLIC_URL: 'http://localhost:4000',
    PLUGINS: 'none',
    ...(db.url ? { DATABASE_URL: db.url } : {}),
  });
  app = await createApp(config, { database: db.database });
  await seedPolicies(app);
  running = await startServer(app, { port: 0, host: '127.0.0.1' });
  port = running.port;
});
afterAll(async () => {
  await running?.stop();
  await app?.close();
  await db?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function account() {
  const r = await gql(url(), REGISTER, {
    input: { email: uniqueEmail('resume'), password: 'a long password', givenName: 'R', privacyPolicyVersion: PRIVACY_POLICY_VERSION },
  });
  return r.data.register as { accessToken: string; refreshToken: string; account: { id: string } };
}

async function device(accessToken: string) {
  const r = await gql(
    url(),
    `mutation { registerDevice(input: { name: "Resumer", kind: PHONE }) { deviceToken device { id } } }`,
    {},
    { token: accessToken },
  );
  const id = r.data.registerDevice.device.id as string;
  return {
    id,
    rawId: Buffer.from(id, 'base64').toString('utf8').split(':').slice(1).join(':'),
    token: r.data.registerDevice.deviceToken as string,
  };
}

let clientSeq = 0;
const fix = (lat: number) => ({ clientId: `r-${++clientSeq}`, recordedAt: new Date().toISOString(), latitude: lat, longitude: 24.1 });
const record = (token: string, lat: number) =>
  gql(url(), `mutation($i: RecordLocationsInput!) { recordLocations(input: $i) { accepted } }`, { i: { points: [fix(lat)] } }, { token });
const until = async (cond: () => boolean, what: string, ms = 20_000) => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('live streams that survive', () => {
  it('a server restart under an open SDK subscription: points recorded while it was down arrive once, in order', async () => {
    const owner = await account();
    const phone = await device(owner.accessToken);
    const client = createClient({
      url: url(),
      accessToken: owner.accessToken,
      refreshToken: owner.refreshToken,
      reconnect: { initialDelayMs: 100, maxDelayMs: 500 },
    });
    const received: number[] = [];
    let failure: unknown;
    const consumer = (async () => {
      for await (const { locationUpdated } of client.subscribe(LocationUpdatedDocument, { deviceIds: [phone.id] })) {
        received.push((locationUpdated as LocationUpdatedSubscription['locationUpdated']).latitude);
        if (received.length >= 9 && received.at(-1) === 57.009) return;
      }
    })().catch((e) => (failure = e));

    // Live before the restart (the first point proves the stream is open).
    let warmup = 56.0;
    while (!received.length) {
      await record(phone.token, (warmup += 0.0001));
      await new Promise((r) => setTimeout(r, 100));
    }
    received.length = 0;
    for (const lat of [57.001, 57.002]) await record(phone.token, lat);
    await until(() => received.length === 2, 'two live points');

    await running.stop();
    // Stored while the server is down (the device's own upload path, as another instance would).
    for (const lat of [57.003, 57.004, 57.005, 57.006]) {
      await ingestLocations(app.services, phone.rawId, [{ ...fix(lat), recordedAt: new Date() }] as never, {
        kind: 'DEVICE',
        accountId: null,
        deviceId: phone.rawId,
      });
    }
    await new Promise((r) => setTimeout(r, 300));
    running = await startServer(app, { port, host: '127.0.0.1' });
    await until(() => received.length === 6, 'the points stored while down');
    for (const lat of [57.007, 57.008, 57.009]) await record(phone.token, lat);
    await consumer;
    expect(failure).toBeUndefined();
    expect(received).toEqual([57.001, 57.002, 57.003, 57.004, 57.005, 57.006, 57.007, 57.008, 57.009]);
    await client.close();
  });

  it('since replays only what the viewer may see: a LIVE grantee gets the points since its grant began', async () => {
    const owner = await account();
    const friend = await account();
    const phone = await device(owner.accessToken);
    const before = new Date(Date.now() - 60_000).toISOString();
    await record(phone.token, 58.001); // before the grant: not for the friend
    const { prisma } = app.services;
    const friendId = Buffer.from(friend.account.id, 'base64').toString('utf8').split(':').slice(1).join(':');
    const ownerId = Buffer.from(owner.account.id, 'base64').toString('utf8').split(':').slice(1).join(':');
    await new Promise((r) => setTimeout(r, 20));
    await prisma.sharingGrant.create({
      data: {
        deviceId: phone.rawId,
        ownerId,
        granteeId: friendId,
        scope: 'LIVE',
        inviteeEmail: 'friend@example.test',
        startsAt: new Date(),
      },
    });
    await new Promise((r) => setTimeout(r, 20));
    await record(phone.token, 58.002);
    await record(phone.token, 58.003);

    const query = `subscription($ids: [ID!], $since: DateTime) { locationUpdated(deviceIds: $ids, since: $since) { latitude receivedAt } }`;
    const asFriend = createClient({ url: url(), accessToken: friend.accessToken });
    const asOwner = createClient({ url: url(), accessToken: owner.accessToken });
    const take = async (c: typeof asFriend, n: number) => {
      const out: number[] = [];
      const doc = Object.assign(new String(query), { toString: () => query }) as never;
      for await (const data of c.subscribe(doc, { ids: [phone.id], since: before } as never)) {
        out.push((data as { locationUpdated: { latitude: number } }).locationUpdated.latitude);
        if (out.length === n) break;
      }
      return out;
    };
    expect(await take(asOwner, 3)).toEqual([58.001, 58.002, 58.003]);
    expect(await take(asFriend, 2)).toEqual([58.002, 58.003]);
    await Promise.all([asFriend.close(), asOwner.close()]);
  });

  it('WebSocket failures are coded SdkErrors with a clear message; no global WebSocket is explained', async () => {
    const client = createClient({ url: 'http://127.0.0.1:9/graphql', reconnect: { attempts: 1, initialDelayMs: 10 } });
    const error = await (async () => {
      for await (const _ of client.subscribe(LocationUpdatedDocument, {})) void _;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SdkError);
    expect(error).toMatchObject({ code: 'NETWORK_ERROR' });
    expect((error as Error).message).toContain('ws://127.0.0.1:9/graphql');
    expect((error as Error).message).not.toContain('[object');

    vi.stubGlobal('WebSocket', undefined);
    try {
      const noWs = createClient({ url: url() });
      const e2 = await noWs
        .subscribe(LocationUpdatedDocument, {})
        .next()
        .catch((e: unknown) => e);
      expect(e2).toMatchObject({ code: 'WEBSOCKET_UNAVAILABLE' });
      expect((e2 as Error).message).toMatch(/webSocketImpl/);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
