/**
 * deviceAccess's one statement (api/permissions/device-access.ts), read past
 * Prisma's engine: the device row it hands on is the object Prisma returns,
 * column by column, and the grants it finds are the viewer's unrevoked ones,
 * on both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, signUp, type TestServer } from './helpers/server';
import { registerDevice, grant, RECORD, point } from './helpers/devices';
import { createContext, type Viewer } from '../api/context';
import { deviceAccess, deviceRowReadForAccess } from '../api/permissions/device-access';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ plugins: [] });
});
afterAll(() => server?.stop());

const contextOf = (viewer: Viewer) => createContext(server.app.services, viewer, new Request('http://localhost/'));
const accountViewer = (accountId: string) => ({ kind: 'account', accountId, sessionId: 's', roles: [] }) as unknown as Viewer;

describe('deviceAccess facts', () => {
  it('hands on the device row exactly as Prisma reads it, every column and type', async () => {
    const owner = await signUp(server);
    const bare = await registerDevice(server, owner, 'Bare');
    const full = await registerDevice(server, owner, 'Full', 'IMEI-7');
    await server.gql(RECORD, { input: { points: [point(1)] } }, { token: full.token });
    const prisma = server.app.services.prisma;
    for (const d of [bare, full]) {
      const expected = await prisma.device.findUniqueOrThrow({ where: { id: d.rawId } });
      const ctx = contextOf(accountViewer(expected.ownerId));
      const row = await deviceRowReadForAccess(ctx, d.rawId);
      expect(row).toEqual(expected);
      expect(Object.keys(row!).sort()).toEqual(Object.keys(expected).sort());
    }
    const withFix = await prisma.device.findUniqueOrThrow({ where: { id: full.rawId } });
    expect(withFix.lastLocationRecordedAt).toBeInstanceOf(Date);
    expect(withFix.identifier).toBe('IMEI-7');
    expect(await deviceRowReadForAccess(contextOf({ kind: 'anonymous' }), 'no-such-device')).toBeNull();
  });

  it("finds the viewer's active grants only: not revoked ones, not another grantee's; the owner's restriction hides the device", async () => {
    const owner = await signUp(server);
    const friend = await signUp(server);
    const other = await signUp(server);
    const device = await registerDevice(server, owner);
    const historyFrom = new Date(Date.now() - 3600_000);
    await grant(server, owner, friend, device, 'LIVE', { revokedAt: new Date(Date.now() - 1000) });
    const active = await grant(server, owner, friend, device, 'HISTORY', { historyFrom });
    await grant(server, owner, other, device, 'LIVE');
    const friendId = (await server.app.services.prisma.account.findFirstOrThrow({ where: { email: friend.email } })).id;
    const access = await deviceAccess(contextOf(accountViewer(friendId)), device.rawId);
    expect(access).toEqual({ role: 'HISTORY_VIEWER', ownerId: active.ownerId, grantIds: [active.id], historyFrom });
    expect(await deviceAccess(contextOf({ kind: 'anonymous' }), device.rawId)).toBeNull();
    await server.app.services.prisma.account.update({ where: { id: active.ownerId }, data: { restrictedAt: new Date() } });
    expect(await deviceAccess(contextOf(accountViewer(friendId)), device.rawId)).toBeNull();
  });
});
