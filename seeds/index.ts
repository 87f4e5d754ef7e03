/**
 * Demo data (idempotent): the policy documents, a few customers and staff of
 * every role, devices with tracks around Riga, a shared device and a live share
 * link. Plugins add theirs through their seed(). Credentials are in the README.
 */
import type { AppServices } from '../api/context';

/** What seeding needs of an assembled app (server/app.ts's App satisfies it). */
export interface SeedTarget {
  services: AppServices;
  plugins: { seed?(app: AppServices): Promise<void> }[];
}
import { hashPassword } from '../api/auth/passwords';
import { hashToken } from '../api/auth/sessions';
import { appendConsentRecord } from '../api/consent/ledger';
import type { Role } from '../generated/prisma/enums';
import { POLICY_EFFECTIVE_AT, PRIVACY_POLICY_VERSION, SEED_DOCUMENTS, seedDocumentText } from './policies';
import { contentHash, policyPath, publishPolicyDocument } from '../api/consent/policy-documents';
import { rigaTrack } from './tracks';

export const DEMO_PASSWORD = 'demo-password-1';
/** A fixed, documented share-link token for the demo (never in production: DEMO_DATA is off there). */
export const DEMO_SHARE_TOKEN = 'demo-share-link-anna-phone-0000000000';

export const demoAccounts: { email: string; givenName: string; familyName: string; roles: Role[] }[] = [
  { email: 'anna@example.lv', givenName: 'Anna', familyName: 'Bērziņa', roles: ['CUSTOMER'] },
  { email: 'janis@example.lv', givenName: 'Jānis', familyName: 'Kalniņš', roles: ['CUSTOMER'] },
  { email: 'liga@example.lv', givenName: 'Līga', familyName: 'Ozola', roles: ['CUSTOMER'] },
  { email: 'support@example.lv', givenName: 'Sandra', familyName: 'Atbalsts', roles: ['SUPPORT'] },
  { email: 'marketing@example.lv', givenName: 'Mārtiņš', familyName: 'Tirgus', roles: ['MARKETING'] },
  { email: 'dpo@example.lv', givenName: 'Dace', familyName: 'Datu', roles: ['DPO'] },
  { email: 'admin@example.lv', givenName: 'Andris', familyName: 'Admins', roles: ['ADMIN'] },
];

/** Publishes the bundled policy documents (idempotent; fills in the text of rows seeded before texts were stored). */
export async function seedPolicies(app: SeedTarget) {
  const { prisma } = app.services;
  for (const d of SEED_DOCUMENTS) {
    const text = seedDocumentText(d.file);
    const key = { kind: d.kind, version: d.version, locale: d.locale };
    const existing = await prisma.policyDocument.findUnique({ where: { kind_version_locale: key } });
    if (existing && existing.text == null) {
      await prisma.policyDocument.update({
        where: { id: existing.id },
        data: { text, contentHash: contentHash(text), url: policyPath(key) },
      });
    } else if (!existing) {
      await publishPolicyDocument(prisma, { ...key, text, effectiveAt: POLICY_EFFECTIVE_AT });
    }
  }
}

export async function seedDemoData(app: SeedTarget) {
  const { prisma } = app.services;
  await seedPolicies(app);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const ids: Record<string, string> = {};
  for (const a of demoAccounts) {
    const existing = await prisma.account.findUnique({ where: { email: a.email } });
    if (existing) {
      ids[a.email] = existing.id;
      continue;
    }
    const id = await prisma.$transaction(async (tx) => {
      const account = await tx.account.create({
        data: { email: a.email, givenName: a.givenName, familyName: a.familyName, roles: a.roles, passwordHash, emailVerified: true },
      });
      await appendConsentRecord(app.services, tx, {
        accountId: account.id,
        purpose: 'ACCOUNT',
        granted: true,
        method: 'WEB_FORM',
        policyVersion: PRIVACY_POLICY_VERSION,
        locale: 'LV',
      });
      return account.id;
    });
    ids[a.email] = id;
  }

  const devices = [
    { owner: 'anna@example.lv', name: "Anna's phone", kind: 'PHONE' as const, identifier: '356938035643809', track: 0 },
    { owner: 'anna@example.lv', name: 'Family car', kind: 'VEHICLE' as const, identifier: 'TRK-0001', track: 1 },
    { owner: 'janis@example.lv', name: "Jānis' tracker", kind: 'TRACKER' as const, identifier: 'TRK-0002', track: 2 },
    { owner: 'liga@example.lv', name: "Līga's watch", kind: 'WEARABLE' as const, identifier: null, track: 3 },
  ];
  const now = new Date();
  const deviceIds: Record<string, string> = {};
  for (const d of devices) {
    const ownerId = ids[d.owner];
    let device = await prisma.device.findFirst({ where: { ownerId, name: d.name } });
    device ??= await prisma.device.create({ data: { ownerId, name: d.name, kind: d.kind, identifier: d.identifier } });
    deviceIds[d.name] = device.id;
    const points = rigaTrack(d.track, now).map((p, i) => ({ ...p, deviceId: device.id, clientId: `seed-${i}` }));
    // The track is stamped from now, and the idempotency key holds recordedAt: seed a device's track once.
    const seeded = await prisma.locationPoint.count({ where: { deviceId: device.id, clientId: { startsWith: 'seed-' } } });
    if (!seeded) await prisma.locationPoint.createMany({ data: points, skipDuplicates: true });
    const last = await prisma.locationPoint.findFirst({
      where: { deviceId: device.id },
      orderBy: [{ recordedAt: 'desc' }, { id: 'desc' }],
    });
    if (last && device.lastLocationId !== last.id) {
      await prisma.device.update({
        where: { id: device.id },
        data: { lastLocationId: last.id, lastLocationRecordedAt: last.recordedAt, lastSeenAt: last.receivedAt },
      });
    }
  }

  // Anna shares her phone's history with Jānis, and has a live link for anyone.
  const phoneId = deviceIds["Anna's phone"];
  const shared = await prisma.sharingGrant.findFirst({ where: { deviceId: phoneId, inviteeEmail: 'janis@example.lv' } });
  if (!shared) {
    await prisma.sharingGrant.create({
      data: {
        deviceId: phoneId,
        ownerId: ids['anna@example.lv'],
        granteeId: ids['janis@example.lv'],
        inviteeEmail: 'janis@example.lv',
        scope: 'HISTORY',
        historyFrom: new Date(now.getTime() - 24 * 3600 * 1000),
      },
    });
  }
  // Līga shares her watch live (no history) with Anna for a week.
  const watchId = deviceIds["Līga's watch"];
  if (!(await prisma.sharingGrant.findFirst({ where: { deviceId: watchId, inviteeEmail: 'anna@example.lv' } }))) {
    await prisma.sharingGrant.create({
      data: {
        deviceId: watchId,
        ownerId: ids['liga@example.lv'],
        granteeId: ids['anna@example.lv'],
        inviteeEmail: 'anna@example.lv',
        scope: 'LIVE',
        expiresAt: new Date(now.getTime() + 7 * 24 * 3600 * 1000),
      },
    });
  }
  const linkHash = hashToken(DEMO_SHARE_TOKEN);
  const expiresAt = new Date(now.getTime() + 29 * 24 * 3600 * 1000);
  await prisma.shareLink.upsert({
    where: { tokenHash: linkHash },
    update: { expiresAt, revokedAt: null },
    create: { deviceId: phoneId, ownerId: ids['anna@example.lv'], tokenHash: linkHash, scope: 'LIVE', expiresAt },
  });

  for (const plugin of app.plugins) await plugin.seed?.(app.services);
  return { accounts: ids, devices: deviceIds };
}
