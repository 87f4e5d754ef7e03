/**
 * Everything the platform holds on one account, as plain JSON-safe data:
 * core tables here, plugin-held data through the export contributors
 * (api/export-contributors.ts). Secrets are left out (password hash, token
 * hashes); encrypted fields are decrypted, since the export is for the person.
 */
import { exportContributors, type AppServices, type StoredPointRow } from '../../../schema/plugin-api';

/** A stored point as exports show it (the row without its internal id). */
export type PointRow = Omit<StoredPointRow, 'id'>;

export interface DeviceWithPoints {
  id: string;
  name: string;
  kind: string;
  identifier: string | null;
  createdAt: Date;
  lastSeenAt: Date | null;
  points: PointRow[];
}

export async function devicesWithPoints(app: AppServices, accountId: string): Promise<DeviceWithPoints[]> {
  const devices = await app.prisma.device.findMany({
    where: { ownerId: accountId },
    orderBy: { createdAt: 'asc' },
    select: { id: true, name: true, kind: true, identifier: true, createdAt: true, lastSeenAt: true },
  });
  const out: DeviceWithPoints[] = [];
  for (const d of devices) {
    const points = await app.prisma.locationPoint.findMany({
      where: { deviceId: d.id },
      orderBy: [{ recordedAt: 'asc' }, { id: 'asc' }],
      select: {
        recordedAt: true,
        receivedAt: true,
        latitude: true,
        longitude: true,
        accuracy: true,
        altitude: true,
        speed: true,
        heading: true,
        battery: true,
        source: true,
        clientId: true,
      },
    });
    out.push({ ...d, points });
  }
  return out;
}

export async function collectPersonalData(app: AppServices, accountId: string): Promise<Record<string, unknown>> {
  const { prisma, cipher } = app;
  const a = await prisma.account.findUniqueOrThrow({ where: { id: accountId } });
  const profile = {
    id: a.id,
    email: a.email,
    emailVerified: a.emailVerified,
    givenName: a.givenName,
    familyName: a.familyName,
    phone: a.phone,
    address: a.address,
    personalCode: a.personalCodeEnc ? cipher.decrypt(a.personalCodeEnc, `personalCode:${a.id}`) : null,
    iban: a.ibanEnc ? cipher.decrypt(a.ibanEnc, `iban:${a.id}`) : null,
    locale: a.locale,
    roles: a.roles,
    status: a.status,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    lastActiveAt: a.lastActiveAt,
    scheduledDeletionAt: a.scheduledDeletionAt,
    processingObjectedAt: a.processingObjectedAt,
    restrictedAt: a.restrictedAt,
  };
  const [sessions, devices, grantsGiven, grantsReceived, shareLinks, consents, requests, exports, mailedLinks] = await Promise.all([
    prisma.session.findMany({
      where: { accountId },
      orderBy: { createdAt: 'asc' },
      select: { id: true, createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true, revokedReason: true },
    }),
    devicesWithPoints(app, accountId),
    prisma.sharingGrant.findMany({
      where: { ownerId: accountId },
      orderBy: { createdAt: 'asc' },
      select: {
        id: true,
        deviceId: true,
        granteeId: true,
        inviteeEmail: true,
        scope: true,
        historyFrom: true,
        startsAt: true,
        expiresAt: true,
        revokedAt: true,
        createdAt: true,
      },
    }),
    // Received grants: the grant itself, not the other person's contact data.
    prisma.sharingGrant.findMany({
      where: { granteeId: accountId },
      orderBy: { createdAt: 'asc' },
      select: {
        id: true,
        deviceId: true,
        scope: true,
        historyFrom: true,
        startsAt: true,
        expiresAt: true,
        revokedAt: true,
        createdAt: true,
      },
    }),
    prisma.shareLink.findMany({
      where: { ownerId: accountId },
      orderBy: { createdAt: 'asc' },
      select: { id: true, deviceId: true, scope: true, historyFrom: true, createdAt: true, expiresAt: true, revokedAt: true, views: true },
    }),
    prisma.consentRecord.findMany({
      where: { accountId },
      orderBy: { recordedAt: 'asc' },
      select: {
        id: true,
        purpose: true,
        granted: true,
        method: true,
        policyVersion: true,
        recordedAt: true,
        recordedById: true,
        locale: true,
        receipt: true,
      },
    }),
    prisma.dataSubjectRequest.findMany({
      where: { accountId },
      orderBy: { submittedAt: 'asc' },
      select: {
        id: true,
        kind: true,
        status: true,
        details: true,
        submittedAt: true,
        dueAt: true,
        verifiedAt: true,
        verificationMethod: true,
        completedAt: true,
        extensionReason: true,
        rejectionReason: true,
      },
    }),
    prisma.dataExport.findMany({
      where: { accountId },
      orderBy: { createdAt: 'asc' },
      select: { id: true, createdAt: true, format: true, free: true, sizeBytes: true },
    }),
    // Links sent by mail (verification, e-mail change, password reset): where and when, never the token hash.
    prisma.accountToken.findMany({
      where: { accountId },
      orderBy: { createdAt: 'asc' },
      select: { purpose: true, email: true, createdAt: true, expiresAt: true, usedAt: true, mailedAt: true },
    }),
  ]);
  const sections: Record<string, unknown> = {};
  for (const c of exportContributors(app)) sections[c.section] = await c.collect(app, accountId);
  return {
    exportedAt: new Date(),
    profile,
    sessions,
    devices,
    sharingGrantsGiven: grantsGiven,
    sharingGrantsReceived: grantsReceived,
    shareLinks,
    consents,
    dataSubjectRequests: requests,
    dataExports: exports,
    mailedLinks,
    ...sections,
  };
}
