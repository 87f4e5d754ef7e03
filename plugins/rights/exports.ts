/** Produces and stores a DataExport; the first copy of an account is free, later ones are not (art. 15(3)). */
import type { ExportFormat } from '../../generated/prisma/enums';
import { collectPersonalData, devicesWithPoints } from './export/collect';
import { toCsv, toGeoJson, toGpx } from './export/formats';
import { type Actor, type AppServices, recordAudit, type Tx } from '../../schema/plugin-api';

export async function renderExport(app: AppServices, accountId: string, format: ExportFormat): Promise<string> {
  if (format === 'JSON') return JSON.stringify(await collectPersonalData(app, accountId));
  const devices = await devicesWithPoints(app, accountId);
  if (format === 'GEOJSON') return JSON.stringify(toGeoJson(devices));
  if (format === 'GPX') return toGpx(devices, new Date());
  return toCsv(devices);
}

/** Stores the export in the caller's transaction with its audit event. The content is rendered before (reads only). */
export async function storeExport(
  app: AppServices,
  tx: Tx,
  accountId: string,
  format: ExportFormat,
  content: string,
  actor: Actor,
  requestId?: string,
) {
  // Counted on the account, not from stored exports: retention deletes old exports.
  const { dataExportCopies } = await tx.account.update({
    where: { id: accountId },
    data: { dataExportCopies: { increment: 1 } },
    select: { dataExportCopies: true },
  });
  const row = await tx.dataExport.create({
    data: { accountId, format, content, free: dataExportCopies === 1, sizeBytes: Buffer.byteLength(content, 'utf8') },
  });
  await recordAudit(app, tx, {
    action: 'data.exported',
    actor,
    subjectAccountId: accountId,
    details: { exportId: row.id, format, free: row.free, ...(requestId ? { requestId } : {}) },
  });
  return row;
}

export async function exportData(app: AppServices, accountId: string, format: ExportFormat, actor: Actor) {
  const content = await renderExport(app, accountId, format);
  return app.prisma.$transaction((tx) => storeExport(app, tx, accountId, format, content, actor));
}

/** The JSON scalar value of an export: parsed JSON for JSON/GeoJSON, the text itself for GPX and CSV. */
export function exportContent(e: { format: ExportFormat; content: string }): unknown {
  return e.format === 'JSON' || e.format === 'GEOJSON' ? JSON.parse(e.content) : e.content;
}
