/**
 * API keys, black-box over HTTP and WebSocket: the secret is shown once and
 * stored hashed, a key acts as its account limited to its scopes (a
 * LOCATIONS_READ key cannot record), never with staff powers, cannot mint
 * keys, and a revoked key stops at once, open subscriptions included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { errorCodes, signUp, signUpStaff, startTestServer, type SignedIn, type TestServer } from '../../test/helpers/server';
import { retentionRules, runRetentionAsDpo } from '../../test/helpers/retention';
import { createDevice, recordPoint, subscribe, wsClient, type TestDevice } from '../../test/helpers/sharing-fixtures';

let server: TestServer;
let owner: SignedIn;
let device: TestDevice;
const clients: Client[] = [];

beforeAll(async () => {
  server = await startTestServer({ plugins: ['api-keys', 'retention'] });
  owner = await signUp(server);
  device = await createDevice(server, owner, 'Key phone');
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await server?.stop();
});

const CREATE = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id name prefix scopes expiresAt lastUsedAt } } }`;
const LIST = `{ apiKeys { id name scopes lastUsedAt revokedAt } }`;
const REVOKE = `mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;
const DEVICES = `{ devices(first: 10) { edges { node { id name lastLocation { latitude } } } } }`;
const RECORD = `mutation($i: RecordLocationsInput!) { recordLocations(input: $i) { accepted } }`;

async function createKey(user: SignedIn, scopes: string[], extra: Record<string, unknown> = {}) {
  const r = await server.gql(CREATE, { i: { name: `key ${scopes.join('+')}`, scopes, ...extra } }, { token: user.accessToken });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.createApiKey as { secret: string; apiKey: { id: string; prefix: string; scopes: string[] } };
}

const pointInput = (lat: number) => ({
  i: { deviceId: device.id, points: [{ clientId: `k-${lat}`, recordedAt: new Date().toISOString(), latitude: lat, longitude: 24.1 }] },
});

describe('API keys', () => {
  it('returns the lp_ secret once and stores only its hash', async () => {
    const { secret, apiKey } = await createKey(owner, ['DEVICES_READ']);
    expect(secret).toMatch(/^lp_[A-Za-z0-9_-]{40,}$/);
    expect(secret.startsWith(apiKey.prefix)).toBe(true);
    const rows = await server.app.services.prisma.apiKey.findMany();
    expect(JSON.stringify(rows)).not.toContain(secret);
    const listed = await server.gql(LIST, {}, { token: owner.accessToken });
    expect(JSON.stringify(listed.data)).not.toContain(secret);
    expect(listed.data.apiKeys[0]).toMatchObject({ id: apiKey.id, scopes: ['DEVICES_READ'], lastUsedAt: null });
  });

  it('acts as its account within its scopes, and records lastUsedAt', async () => {
    const { secret, apiKey } = await createKey(owner, ['DEVICES_READ', 'LOCATIONS_READ']);
    await recordPoint(server, device, new Date(), 56.91);
    const r = await server.gql(DEVICES, {}, { token: secret });
    expect(r.errors).toBeUndefined();
    expect(r.data.devices.edges).toEqual([{ node: { id: device.id, name: 'Key phone', lastLocation: { latitude: 56.91 } } }]);
    const listed = await server.gql(LIST, {}, { token: owner.accessToken });
    expect(listed.data.apiKeys.find((k: { id: string }) => k.id === apiKey.id).lastUsedAt).not.toBeNull();
    // Another account's key sees none of it.
    const other = await createKey(await signUp(server), ['DEVICES_READ', 'LOCATIONS_READ']);
    const theirs = await server.gql(DEVICES, {}, { token: other.secret });
    expect(theirs.data.devices.edges).toEqual([]);
  });

  it('a LOCATIONS_READ key cannot record; a LOCATIONS_WRITE key can', async () => {
    const reader = await createKey(owner, ['LOCATIONS_READ']);
    const before = await server.app.services.prisma.locationPoint.count();
    const refused = await server.gql(RECORD, pointInput(56.92), { token: reader.secret });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.errors![0].message).toMatch(/LOCATIONS_WRITE/);
    expect(await server.app.services.prisma.locationPoint.count()).toBe(before);

    const writer = await createKey(owner, ['LOCATIONS_WRITE']);
    const ok = await server.gql(RECORD, pointInput(56.93), { token: writer.secret });
    expect(ok.data?.recordLocations.accepted).toBe(1);
    // Without DEVICES_READ the writer cannot list devices; without LOCATIONS_READ no location data.
    expect(errorCodes(await server.gql(DEVICES, {}, { token: writer.secret }))).toContain('FORBIDDEN');
    const devicesOnly = await createKey(owner, ['DEVICES_READ']);
    const r = await server.gql(DEVICES, {}, { token: devicesOnly.secret });
    expect(errorCodes(r)).toContain('FORBIDDEN');
    expect(r.errors![0].path).toEqual(['devices', 'edges', 0, 'node', 'lastLocation', 'latitude']);
  });

  it('never does staff operations, nor manages keys or the profile', async () => {
    const admin = await signUpStaff(server, ['ADMIN', 'DPO']);
    const { secret } = await createKey(admin, ['DEVICES_READ', 'LOCATIONS_READ', 'LOCATIONS_WRITE', 'SHARING_MANAGE', 'WEBHOOKS_MANAGE']);
    // The same account with its access token may run a staff query; its key may not.
    const staffQuery = `{ retentionRuns(first: 5) { edges { node { id } } } }`;
    expect((await server.gql(staffQuery, {}, { token: admin.accessToken })).errors).toBeUndefined();
    expect(errorCodes(await server.gql(staffQuery, {}, { token: secret }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.gql(CREATE, { i: { name: 'x', scopes: ['DEVICES_READ'] } }, { token: secret }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.gql(LIST, {}, { token: secret }))).toEqual(['FORBIDDEN']);
    const profile = `mutation { updateProfile(input: { phone: "+37120000001" }) { id phone } }`;
    expect(errorCodes(await server.gql(profile, {}, { token: secret }))).toEqual(['FORBIDDEN']);
  });

  it('refuses bad input with a coded error and creates nothing', async () => {
    const count = await server.app.services.prisma.apiKey.count();
    const r = await server.gql(CREATE, { i: { name: 'empty', scopes: [] } }, { token: owner.accessToken });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.scopes' });
    const past = await server.gql(
      CREATE,
      { i: { name: 'old', scopes: ['DEVICES_READ'], expiresAt: '2020-01-01T00:00:00Z' } },
      { token: owner.accessToken },
    );
    expect(past.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.expiresAt' });
    expect(await server.app.services.prisma.apiKey.count()).toBe(count);
    expect(errorCodes(await server.gql(DEVICES, {}, { token: 'lp_not-a-key' }))).toEqual(['UNAUTHENTICATED']);
  });

  it('a revoked key stops at once: requests and an open subscription', async () => {
    const { secret, apiKey } = await createKey(owner, ['DEVICES_READ', 'LOCATIONS_READ']);
    const ws = wsClient(server, secret);
    clients.push(ws);
    const sub = subscribe(ws, `subscription { locationUpdated { latitude } }`);
    const deadline = Date.now() + 10_000;
    for (let lat = 56.94; !sub.results.length; lat += 0.001) {
      if (Date.now() > deadline) throw new Error(`stream never delivered ${JSON.stringify(sub)}`);
      await recordPoint(server, device, new Date(), lat);
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(sub.results[0].data.locationUpdated.latitude).toBeGreaterThan(56.9);

    const revoked = await server.gql(REVOKE, { id: apiKey.id }, { token: owner.accessToken });
    expect(revoked.data.revokeApiKey.revokedAt).not.toBeNull();
    // Ends without waiting for another point.
    await sub.ended(3000);
    const last = sub.results.at(-1)!;
    expect(sub.error ?? last.errors?.[0]?.extensions?.code).toBeTruthy();
    expect(errorCodes(await server.gql(DEVICES, {}, { token: secret }))).toEqual(['UNAUTHENTICATED']);
  });

  it('a key cannot subscribe without the scope', async () => {
    const { secret } = await createKey(owner, ['DEVICES_READ']);
    const ws = wsClient(server, secret);
    clients.push(ws);
    const sub = subscribe(ws, `subscription { locationUpdated { latitude } }`);
    await sub.ended(5000);
    expect(JSON.stringify(sub.error ?? sub.results)).toContain('FORBIDDEN');
  });
  it('a revoked or expired key is deleted RETENTION_ENDED_API_KEYS (default P30D) after it ended; live keys stay', async () => {
    const prisma = server.app.services.prisma;
    const user = await signUp(server);
    const live = await createKey(user, ['DEVICES_READ']);
    const revokedLong = await createKey(user, ['DEVICES_READ']);
    const revokedRecently = await createKey(user, ['DEVICES_READ']);
    const expiredLong = await createKey(user, ['DEVICES_READ']);
    for (const k of [revokedLong, revokedRecently]) await server.gql(REVOKE, { id: k.apiKey.id }, { token: user.accessToken });
    const rawId = async (prefix: string) => (await prisma.apiKey.findFirstOrThrow({ where: { prefix } })).id;
    const ago = (days: number) => new Date(Date.now() - days * 86_400_000);
    await prisma.apiKey.update({ where: { id: await rawId(revokedLong.apiKey.prefix) }, data: { revokedAt: ago(31) } });
    await prisma.apiKey.update({ where: { id: await rawId(expiredLong.apiKey.prefix) }, data: { expiresAt: ago(31) } });

    expect(await retentionRules(server)).toContainEqual({ dataCategory: 'ENDED_API_KEYS', period: 'P30D' });
    expect(await runRetentionAsDpo(server)).toContainEqual({ dataCategory: 'ENDED_API_KEYS', deleted: 2 });
    const left = await server.gql(LIST, {}, { token: user.accessToken });
    expect(left.data.apiKeys.map((k: { id: string }) => k.id).sort()).toEqual([live.apiKey.id, revokedRecently.apiKey.id].sort());
  });
});
