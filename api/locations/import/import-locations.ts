/**
 * importLocations: a history file (GPX, GeoJSON, OwnTracks .rec, Google
 * Takeout) streamed into the one ingestion path in batches, so re-importing
 * the same file adds nothing (clientIds derived from time and position) and
 * memory stays bounded whatever the file size (at most MAX_IMPORT_BYTES,
 * 200 MB). Points older than the location retention are skipped and
 * counted; unreadable entries and invalid points are counted as rejected.
 */
import type { AppServices } from '../../context';
import type { Actor } from '../../events';
import { badInput } from '../../errors';
import { ingestLocations, MAX_POINTS_PER_CALL } from '../ingest';
import type { IngestPoint } from '../point';
import { readerFor, type ImportFormat } from './readers';

/** The largest file importLocations takes (the upload path's own limit, separate from /graphql's body limit). */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

export interface ImportResult {
  imported: number;
  duplicates: number;
  /** Older than the location retention period: not stored, they would be purged at once. */
  skipped: number;
  /** Unreadable entries and points that failed validation. */
  rejected: number;
}

export interface ImportFile {
  size: number;
  stream(): ReadableStream<Uint8Array>;
}

export async function importLocations(
  app: AppServices,
  deviceId: string,
  file: ImportFile,
  format: ImportFormat,
  actor: Actor,
): Promise<ImportResult> {
  if (file.size > MAX_IMPORT_BYTES) throw badInput('file', `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`);
  const result: ImportResult = { imported: 0, duplicates: 0, skipped: 0, rejected: 0 };
  let batch: IngestPoint[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const r = await ingestLocations(app, deviceId, batch, actor);
    batch = [];
    result.imported += r.accepted;
    result.duplicates += r.duplicates;
    for (const rejection of r.rejected) {
      if (rejection.code === 'RECORDED_BEFORE_RETENTION') result.skipped++;
      else result.rejected++;
    }
  };
  try {
    for await (const it of readerFor(format)(file.stream())) {
      if ('unreadable' in it) {
        result.rejected++;
        continue;
      }
      batch.push(it.point);
      if (batch.length >= MAX_POINTS_PER_CALL) await flush();
    }
  } catch (e) {
    // A file that breaks off mid-way (not GPX/JSON after all, truncated): what was read before stays imported.
    if (e instanceof Error && !('extensions' in e)) {
      await flush();
      throw badInput(
        'file',
        `The file could not be read as ${format} after ${result.imported + result.duplicates + result.skipped + result.rejected} entries: ${e.message.slice(0, 200)}`,
      );
    }
    throw e;
  }
  await flush();
  return result;
}
