/**
 * Several instances: with REDIS_URL set, a point recorded on one instance
 * reaches a subscriber connected to another (same database, same keys).
 * Needs Redis at 127.0.0.1:6379; skipped only when it is not reachable and
 * CI is not set (CI has Redis, so there the test always runs).
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signUp, startInstances, type Instance } from './helpers/server';
import { createDevice, recordPoint, grant, wsClient, subscribe, sleep } from './helpers/sharing-fixtures';

const REDIS_URL = 'redis://127.0.0.1:6379';

const redisReachable = await new Promise<boolean>((resolve) => {
  const socket = connect({ host: '127.0.0.1', port: 6379 });
  const done = (ok: boolean) => {
    socket.destroy();
    resolve(ok);
  };
  socket.setTimeout(1000, () => done(false));
  socket.once('connect', () => done(true));
  socket.once('error', () => done(false));
});

describe.skipIf(!redisReachable && !process.env.CI)('live updates across instances through Redis', () => {
  let instances: Instance[] = [];
  let stop = async () => {};

  beforeAll(async () => {
    ({ instances, stop } = await startInstances(2, { REDIS_URL }));
  });
  afterAll(() => stop());

  it('a point recorded on instance A reaches a grantee subscribed on instance B, and a revoke on A ends it on B', async () => {
    const [a, b] = instances.map((i) => i.server);
    const owner = await signUp(a);
    const viewer = await signUp(a);
    const device = await createDevice(a, owner, 'Redis phone');
    const g = await grant(a, owner, device, { granteeEmail: viewer.email, scope: 'LIVE' });

    const client = wsClient(b, viewer.accessToken);
    try {
      const sub = subscribe(client, `subscription($ids: [ID!]) { locationUpdated(deviceIds: $ids) { latitude } }`, { ids: [device.id] });
      // Retry until the subscription on B is registered with Redis.
      const deadline = Date.now() + 10_000;
      let lat = 56.9;
      while (!sub.results.length && Date.now() < deadline) {
        await recordPoint(a, device, new Date(), (lat += 0.001));
        await sleep(200);
      }
      expect(sub.results[0]?.data?.locationUpdated.latitude).toBeTypeOf('number');

      await a.gql(`mutation($id: ID!) { revokeSharing(grantId: $id) { status } }`, { id: g.id }, { token: owner.accessToken });
      await sub.ended(3000);
      expect(sub.results.at(-1)?.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    } finally {
      await client.dispose();
    }
  });

  it('a device token kept on instance B is refused there once its rotation on A is announced by the database', async () => {
    const [a, b] = instances.map((i) => i.server);
    const owner = await signUp(a);
    const device = await createDevice(a, owner, 'Redis tracker');
    // Checked on B, then kept by B's viewer cache (api/auth/viewer-cache.ts), which the Device trigger's NOTIFY clears.
    await recordPoint(b, device, new Date(), 56.9);
    await recordPoint(b, device, new Date(), 56.901);
    const kept = await b.sqlDuring(() => recordPoint(b, device, new Date(), 56.902));
    expect(kept.sql.filter((s) => /FROM "public"\."Device"/.test(s))).toEqual([]);

    const r = await a.gql(
      `mutation($id: ID!) { rotateDeviceToken(deviceId: $id) { deviceToken } }`,
      { id: device.id },
      { token: owner.accessToken },
    );
    expect(r.errors).toBeUndefined();
    // The notification reaches B after A's commit (milliseconds); until then B may still accept the old token.
    await vi.waitFor(() => expect(recordPoint(b, device, new Date(), 56.903)).rejects.toThrow(/UNAUTHENTICATED/));
  });

  it("a logout on instance A ends the viewer's stream on B at once, with no point recorded after it", async () => {
    const [a, b] = instances.map((i) => i.server);
    const owner = await signUp(a);
    const viewer = await signUp(a);
    const device = await createDevice(a, owner, 'Redis phone 2');
    await grant(a, owner, device, { granteeEmail: viewer.email, scope: 'HISTORY' });

    const client = wsClient(b, viewer.accessToken);
    try {
      const sub = subscribe(client, `subscription($ids: [ID!]) { locationUpdated(deviceIds: $ids) { latitude } }`, { ids: [device.id] });
      const deadline = Date.now() + 10_000;
      let lat = 56.9;
      while (!sub.results.length && Date.now() < deadline) {
        await recordPoint(a, device, new Date(), (lat += 0.001));
        await sleep(200);
      }
      expect(sub.results[0]?.data?.locationUpdated.latitude).toBeTypeOf('number');

      const at = Date.now();
      await a.gql(`mutation($t: String!) { logout(refreshToken: $t) }`, { t: viewer.refreshToken });
      await sub.ended(3000);
      expect(Date.now() - at).toBeLessThan(3000);
      expect(sub.results.at(-1)?.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      await client.dispose();
    }
  });
});
