import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData, DEMO_SHARE_TOKEN } from '../seeds';
import { hashToken } from '../api/auth/sessions';
import { startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

async function counts() {
  const p = server.app.services.prisma;
  return {
    accounts: await p.account.count(),
    devices: await p.device.count(),
    points: await p.locationPoint.count(),
    grants: await p.sharingGrant.count(),
    links: await p.shareLink.count(),
    policies: await p.policyDocument.count(),
    consents: await p.consentRecord.count(),
  };
}

describe('demo data', () => {
  it('is idempotent: seeding twice leaves the same data', async () => {
    await seedDemoData(server.app);
    const once = await counts();
    await seedDemoData(server.app);
    expect(await counts()).toEqual(once);
    expect(once.accounts).toBe(7);
    expect(once.devices).toBe(4);
    expect(once.points).toBeGreaterThan(100);
  });

  it('has staff of every role, policies of 07.03.2025, a shared device and a live share link', async () => {
    const p = server.app.services.prisma;
    const roles = (await p.account.findMany({ select: { roles: true } })).flatMap((a) => a.roles);
    for (const r of ['CUSTOMER', 'SUPPORT', 'MARKETING', 'DPO', 'ADMIN']) expect(roles).toContain(r);
    expect(await p.policyDocument.count({ where: { kind: 'COOKIE_POLICY', version: '2025-03-07' } })).toBeGreaterThan(0);
    expect(await p.sharingGrant.count({ where: { granteeId: { not: null }, revokedAt: null } })).toBeGreaterThan(0);
    const link = await p.shareLink.findUniqueOrThrow({ where: { tokenHash: hashToken(DEMO_SHARE_TOKEN) } });
    expect(link.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(link.revokedAt).toBeNull();
  });

  it('places every track point around Riga', async () => {
    const box = await server.app.services.prisma.locationPoint.aggregate({
      _min: { latitude: true, longitude: true },
      _max: { latitude: true, longitude: true },
    });
    expect(box._min.latitude).toBeGreaterThan(56.8);
    expect(box._max.latitude).toBeLessThan(57.1);
    expect(box._min.longitude).toBeGreaterThan(23.7);
    expect(box._max.longitude).toBeLessThan(24.3);
  });
});
