/**
 * Location history (Device.locations, Device.track) and ingestion
 * (recordLocations). Who may call what: api/permissions/rules/devices.ts;
 * the resolvers only read and write data.
 */
import { requireId } from '../../api/global-ids';
import { encodeGlobalID, resolveCursorConnection } from '@pothos/plugin-relay';
import type { LocationPoint } from '../../generated/prisma/client';
import type { Builder } from '../builder';
import type { CoreRefs } from '../core-refs';
import type { DeviceRefs } from '../devices/types';
import { deviceAccess } from '../../api/permissions/device-access';
import { historyVisibleFrom } from '../devices/rules';
import { checkHistoryPageArgs, DEFAULT_PAGE_SIZE, encodeLocationCursor, historyRows, MAX_PAGE_SIZE } from '../../api/locations/history';
import { checkTrackPeriod, deviceTrack, type TrackResult } from '../../api/locations/track';
import { ingestLocations, type IngestResult, type RejectedPoint } from '../../api/locations/ingest';
import { actorOf } from '../../api/context';

export function addLocationTypes(
  builder: Builder,
  refs: CoreRefs,
  { LocationPoint, LocationSource }: Pick<DeviceRefs, 'LocationPoint' | 'LocationSource'>,
) {
  const LocationConnection = builder.connectionObject({ type: LocationPoint, name: 'LocationConnection' }, { name: 'LocationEdge' });

  const Track = builder.objectRef<TrackResult>('Track').implement({
    fields: (t) => ({
      deviceId: t.id({ resolve: (tr) => encodeGlobalID('Device', tr.deviceId) }),
      from: t.expose('from', { type: 'DateTime' }),
      to: t.expose('to', { type: 'DateTime' }),
      pointCount: t.exposeInt('pointCount', { description: 'Points in the stored history between from and to.' }),
      simplifiedPointCount: t.exposeInt('simplifiedPointCount', { description: 'Points kept after simplification.' }),
      distanceMeters: t.exposeFloat('distanceMeters', { description: "Length of the full route along the earth's surface." }),
      geojson: t.field({
        type: 'JSON',
        description: 'GeoJSON Feature with a LineString geometry ([lon, lat] pairs) and time properties.',
        resolve: (tr) => tr.geojson,
      }),
    }),
  });

  builder.prismaObjectFields('Device', (t) => ({
    locations: t.field({
      type: LocationConnection,
      description:
        "Location history, newest first by default. HISTORY_VIEWER sees only points\nrecorded at or after its grant's historyFrom; LIVE_VIEWER gets FORBIDDEN.",
      args: {
        from: t.arg({ type: 'DateTime' }),
        to: t.arg({ type: 'DateTime' }),
        order: t.arg({ type: refs.SortOrder, defaultValue: 'DESC' }),
        ...t.arg.connectionArgs(),
      },
      resolve: async (device, args, ctx) => {
        checkHistoryPageArgs(args);
        const visibleFrom = historyVisibleFrom(await deviceAccess(ctx, device.id));
        return resolveCursorConnection<Promise<LocationPoint[]>>(
          { args, toCursor: (point) => encodeLocationCursor(point), defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE },
          (page) => historyRows(ctx.app.db, device.id, args, visibleFrom, page),
        );
      },
    }),
    track: t.field({
      type: Track,
      description:
        'The route between from and to, simplified with the given tolerance (0 = all points).\n' +
        'At most 31 days and 100,000 points (BAD_USER_INPUT on `to` past either).',
      args: {
        from: t.arg({ type: 'DateTime', required: true }),
        to: t.arg({ type: 'DateTime', required: true }),
        toleranceMeters: t.arg.float({ defaultValue: 0 }),
      },
      resolve: async (device, args, ctx) => {
        checkTrackPeriod(args.from, args.to);
        return deviceTrack(ctx.app.db, device.id, args, historyVisibleFrom(await deviceAccess(ctx, device.id)));
      },
    }),
  }));

  const LocationInput = builder.inputType('LocationInput', {
    fields: (t) => ({
      clientId: t.string({
        description:
          'Device-chosen unique id of this fix (UUID or a sequence number). Sending the\nsame clientId again is harmless: it is acknowledged as a duplicate and not\nstored twice, so a device can retry until acknowledged, then delete its copy.\nA fix is its clientId with its recordedAt: the same clientId with another\nrecordedAt (a sequence restarted after a reinstall) is a new fix, not dropped.',
      }),
      recordedAt: t.field({ type: 'DateTime', required: true }),
      latitude: t.float({ required: true, description: '-90 to 90.' }),
      longitude: t.float({ required: true, description: '-180 to 180.' }),
      accuracy: t.float(),
      altitude: t.float(),
      speed: t.float(),
      heading: t.float(),
      battery: t.float(),
      source: t.field({ type: LocationSource, defaultValue: 'UNKNOWN' }),
    }),
  });

  const RecordLocationsInput = builder.inputType('RecordLocationsInput', {
    fields: (t) => ({
      deviceId: t.id({ description: 'Needed when the caller is the owner; implied when the caller is a device token.' }),
      points: t.field({
        type: [LocationInput],
        required: true,
        description: '1 to 1000 points. Invalid points are rejected one by one; valid ones are stored.',
      }),
    }),
  });

  const RejectedLocation = builder.objectRef<RejectedPoint>('RejectedLocation').implement({
    fields: (t) => ({
      index: t.exposeInt('index', { description: 'Position in input.points.' }),
      clientId: t.exposeString('clientId', { nullable: true }),
      code: t.exposeString('code', { description: 'Machine-readable reason, e.g. LATITUDE_OUT_OF_RANGE, RECORDED_IN_FUTURE.' }),
      message: t.exposeString('message'),
    }),
  });

  const RecordLocationsPayload = builder.objectRef<IngestResult>('RecordLocationsPayload').implement({
    fields: (t) => ({
      accepted: t.exposeInt('accepted'),
      duplicates: t.exposeInt('duplicates'),
      rejected: t.field({ type: [RejectedLocation], resolve: (r) => r.rejected }),
      acknowledgedClientIds: t.exposeStringList('acknowledgedClientIds', {
        description: 'clientIds now safely stored (accepted or duplicate): the device may delete them.',
      }),
    }),
  });

  builder.mutationField('recordLocations', (t) =>
    t.field({
      type: RecordLocationsPayload,
      args: { input: t.arg({ type: RecordLocationsInput, required: true }) },
      resolve: (_r, { input }, ctx) => {
        // The rule (canRecordLocations) has checked who may write to which device.
        const deviceId = ctx.viewer.kind === 'device' ? ctx.viewer.deviceId : requireId(input.deviceId, 'Device');
        return ingestLocations(ctx.app, deviceId, input.points, actorOf(ctx.viewer));
      },
    }),
  );

  return { LocationConnection, Track };
}
