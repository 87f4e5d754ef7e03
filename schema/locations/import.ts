/**
 * importLocations: the owner uploads a history file (GraphQL multipart
 * request spec, the `Upload` scalar: Yoga hands the resolver a File) for one
 * of their devices; api/locations/import streams it into the ingestion path.
 * Rule: ownsDeviceArg (devices/rules.ts), owner only.
 */
import type { Builder } from '../builder';
import { actorOf } from '../../api/context';
import { requireId } from '../../api/global-ids';
import { badInput } from '../../api/errors';
import { importLocations, MAX_IMPORT_BYTES, type ImportResult } from '../../api/locations/import/import-locations';

export function addImportTypes(builder: Builder) {
  builder.scalarType('Upload', {
    description: 'A file sent with the GraphQL multipart request spec (https://github.com/jaydenseric/graphql-multipart-request-spec).',
    serialize: () => {
      throw new Error('Upload is an input-only scalar.');
    },
    parseValue: (v) => v as File,
  });
  const ImportFormat = builder.enumType('LocationImportFormat', {
    values: {
      GPX: { description: 'GPX 1.0/1.1: trkpt, rtept and wpt with a time.' },
      GEOJSON: { description: 'FeatureCollection of Points with a time property, or LineStrings with coordTimes/times.' },
      OWNTRACKS_REC: { description: 'An OwnTracks Recorder .rec file (one message per line).' },
      GOOGLE_TAKEOUT: { description: 'Google Takeout Records.json, or the on-device Timeline export (Timeline.json).' },
    } as const,
  });
  const ImportPayload = builder.objectRef<ImportResult>('ImportLocationsPayload').implement({
    fields: (t) => ({
      imported: t.exposeInt('imported', { description: 'Points stored now.' }),
      duplicates: t.exposeInt('duplicates', { description: 'Points already stored (e.g. the same file imported before).' }),
      skipped: t.exposeInt('skipped', { description: 'Points older than the location retention period: not stored.' }),
      rejected: t.exposeInt('rejected', { description: 'Unreadable entries and points that failed validation.' }),
    }),
  });
  builder.mutationField('importLocations', (t) =>
    t.field({
      type: ImportPayload,
      description: `Owner only: imports a location history file (at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB) into the device. Idempotent.`,
      args: {
        deviceId: t.arg.id({ required: true }),
        file: t.arg({ type: 'Upload', required: true }),
        format: t.arg({ type: ImportFormat, required: true }),
      },
      resolve: (_r, args, ctx) => {
        const file = args.file as unknown as File;
        if (!file || typeof (file as File).stream !== 'function') throw badInput('file', 'Send the file as a multipart upload.');
        return importLocations(ctx.app, requireId(args.deviceId, 'Device'), file, args.format, actorOf(ctx.viewer));
      },
    }),
  );
}
