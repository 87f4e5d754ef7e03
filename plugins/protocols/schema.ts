/**
 * GraphQL of the protocols plugin: Device.rejectedFixes, the owner's view of
 * the quarantine (fixes the device sent that were acknowledged but could not
 * be stored, newest first). Rules in rules.ts (owner only).
 */
import type { Builder } from '../../schema/plugin-api';

export function addProtocolsSchema(builder: Builder) {
  builder.prismaNode('RejectedFix', {
    id: { field: 'id' },
    description: 'A fix a device sent over a protocol route that could not be stored; the app was told "received" so its queue moves on.',
    fields: (t) => ({
      receivedAt: t.expose('receivedAt', { type: 'DateTime' }),
      protocol: t.exposeString('protocol', { description: 'osmand, owntracks, gpslogger or overland.' }),
      code: t.exposeString('code', {
        description:
          'e.g. LATITUDE_OUT_OF_RANGE, RECORDED_BEFORE_RETENTION, RECORDED_IN_FUTURE, NO_COORDINATES, UNREADABLE_FIELD, UNREADABLE_BODY.',
      }),
      reason: t.exposeString('reason'),
      raw: t.field({ type: 'JSON', description: 'The fields as the app sent them (without the token).', resolve: (f) => f.raw as never }),
    }),
  });

  builder.prismaObjectField('Device', 'rejectedFixes', (t) =>
    t.relatedConnection('rejectedFixes', {
      cursor: 'id',
      description: 'Owner only: fixes refused for good (kept RETENTION_REJECTED_FIXES, default 7 days), newest first.',
      query: { orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }] },
    }),
  );
}
