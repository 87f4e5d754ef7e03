/**
 * The quarantine of refused fixes: what a device sent that can never be
 * stored (out of range, older than retention, no coordinates, unreadable).
 * The app got a 2xx, so its queue moves on; the owner reads what was refused
 * in Device.rejectedFixes. Personal data (positions, device readings), so it
 * has a retention rule (REJECTED_FIXES, purged by the retention run through
 * app.extensions.retentionPurgers) and a section in the data export.
 */
import { rawForQuarantine, type Refusal } from './fixes';
import { protocolSettings } from './config';
import { purgeRows, type AppServices, type ExportContributor, type RetentionPurger } from '../../schema/plugin-api';

export interface QuarantinedFix extends Refusal {
  raw: unknown;
}

export async function quarantine(app: AppServices, deviceId: string, protocol: string, fixes: QuarantinedFix[], receivedAt: Date) {
  if (!fixes.length) return;
  await app.prisma.rejectedFix.createMany({
    data: fixes.map((f) => ({
      deviceId,
      protocol,
      receivedAt,
      code: f.code,
      reason: f.reason.slice(0, 500),
      raw: rawForQuarantine(f.raw) as object,
    })),
  });
}

export const rejectedFixesPurger: RetentionPurger = {
  dataCategory: 'REJECTED_FIXES',
  env: 'RETENTION_REJECTED_FIXES',
  period: (app) => protocolSettings.of(app).rejectedFixesRetention,
  description: {
    EN: 'Location fixes a device sent that could not be stored (with the reason) are deleted this long after they arrived.',
    LV: 'Ierīces sūtītie atrašanās vietas dati, kurus nevarēja saglabāt (ar iemeslu), tiek dzēsti pēc šī laika, kopš tie saņemti.',
  },
  ...purgeRows({
    table: (db) => db.rejectedFix,
    expired: (cutoff) => ({ receivedAt: { lt: cutoff } }),
    ownedBy: (accounts) => ({ device: { ownerId: accounts } }),
  }),
};

export const rejectedFixesExport: ExportContributor = {
  section: 'rejectedFixes',
  async collect(app, accountId) {
    const rows = await app.prisma.rejectedFix.findMany({
      where: { device: { ownerId: accountId } },
      orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
      select: { deviceId: true, receivedAt: true, protocol: true, code: true, reason: true, raw: true },
    });
    return rows.map((r) => ({ ...r, receivedAt: r.receivedAt.toISOString() }));
  },
};
