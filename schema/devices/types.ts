/**
 * Devices and location points. Device fields are readable by whoever
 * deviceAccess() admits (see api/permissions/rules/devices.ts). History and
 * ingestion are in ../locations/types.ts, queries and mutations in ./operations.ts.
 */
import { DeviceKind as DeviceKindEnum, LocationSource as LocationSourceEnum } from '../../generated/prisma/enums';
import type { Builder } from '../builder';
import type { CoreRefs } from '../core-refs';
import { deviceAccess } from '../../api/permissions/device-access';
import { locationPointKey, pointByKey } from '../../api/locations/point-key';
import { accountSummary, loadedSummary } from '../../api/accounts/summaries';

export function addDeviceTypes(builder: Builder, refs: CoreRefs) {
  const DeviceKind = builder.enumType(DeviceKindEnum, { name: 'DeviceKind' });
  const AccessRole = builder.enumType('AccessRole', {
    values: {
      OWNER: {},
      LIVE_VIEWER: { description: 'Active LIVE grant: last location and live updates only.' },
      HISTORY_VIEWER: { description: 'Active HISTORY grant: live updates and history from grant.historyFrom.' },
      STAFF: {},
    } as const,
  });
  const LocationSource = builder.enumType(LocationSourceEnum, { name: 'LocationSource' });

  const Device = builder.prismaNode('Device', {
    id: { field: 'id' },
    fields: (t) => ({
      name: t.exposeString('name'),
      kind: t.field({ type: DeviceKind, resolve: (d) => d.kind }),
      identifier: t.exposeString('identifier', {
        nullable: true,
        description: 'IMEI or serial number; owner and staff only (null for others).',
      }),
      // The device list's first page joins the owner (api/devices/device-rows.ts); other reads load owners by id,
      // one statement per request. No `select`: Pothos would look up its selection mapping for every device.
      owner: t.field({
        type: refs.AccountSummary,
        resolve: (d, _a, ctx) => loadedSummary((d as { owner?: unknown }).owner) ?? accountSummary(ctx, d.ownerId),
      }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      lastSeenAt: t.expose('lastSeenAt', { type: 'DateTime', nullable: true }),
      // Not a join: loaded by its (id, recordedAt) key in one batched statement that PostgreSQL plans for the
      // partitions holding those days only (point-key.ts). The key is in every Device row (all scalars are loaded):
      // no `select` here, which would make Pothos look up its selection mapping for each device of a page.
      lastLocation: t.field({
        type: LocationPoint,
        nullable: true,
        resolve: (d, _a, ctx) =>
          d.lastLocationId && d.lastLocationRecordedAt
            ? pointByKey(ctx, { id: d.lastLocationId, recordedAt: d.lastLocationRecordedAt })
            : null,
      }),
      accessRole: t.field({
        type: AccessRole,
        description: "The viewer's relation to this device.",
        resolve: async (d, _a, ctx) => (await deviceAccess(ctx, d.id))?.role ?? 'OWNER',
      }),
    }),
  });

  const LocationPoint = builder.prismaNode('LocationPoint', {
    // The global id stays the point's id alone (ids handed out before partitioning keep working); the row's key is
    // (id, recordedAt), so loading a node looks its recordedAt up first (an index probe in every partition: node(id) only).
    id: { resolve: (p) => p.id },
    findUnique: async (id, ctx) => {
      const found = await locationPointKey(ctx.app.prisma, id);
      return { id_recordedAt: { id, recordedAt: found?.recordedAt ?? new Date(0) } };
    },
    fields: (t) => ({
      device: t.relation('device'),
      recordedAt: t.expose('recordedAt', { type: 'DateTime', description: 'When the device took the fix.' }),
      receivedAt: t.expose('receivedAt', { type: 'DateTime', description: 'When the server stored it.' }),
      latitude: t.exposeFloat('latitude'),
      longitude: t.exposeFloat('longitude'),
      accuracy: t.exposeFloat('accuracy', { nullable: true, description: 'Horizontal accuracy in metres.' }),
      altitude: t.exposeFloat('altitude', { nullable: true, description: 'Metres above sea level.' }),
      speed: t.exposeFloat('speed', { nullable: true, description: 'Metres per second.' }),
      heading: t.exposeFloat('heading', { nullable: true, description: 'Degrees clockwise from north, 0 to 360.' }),
      battery: t.exposeFloat('battery', { nullable: true, description: 'Battery level in percent, 0 to 100.' }),
      source: t.field({ type: LocationSource, resolve: (p) => p.source }),
    }),
  });

  return { Device, LocationPoint, DeviceKind, AccessRole, LocationSource };
}

export type DeviceRefs = ReturnType<typeof addDeviceTypes>;
