/**
 * Device queries and mutations: devices, sharedDevices, Account.devices,
 * device(id); registerDevice, updateDevice, rotateDeviceToken, removeDevice.
 * Who may call what: api/permissions/rules/devices.ts.
 */
import { requireId } from '../../api/global-ids';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Builder } from '../builder';
import type { CoreRefs } from '../core-refs';
import type { DeviceRefs } from './types';
import { actorOf, type Context, requireAccount } from '../../api/context';
import * as devices from '../../api/devices/device-service';
import { deviceIdOf } from './rules';
import { grantActiveFor } from '../../api/sharing/status';
import { deviceRowReadForAccess } from '../../api/permissions/device-access';
import { countOwnDevices, ownDevicesFirstPage } from '../../api/devices/device-rows';

/** Rules have run: these mutations are only reached by an owner with a valid device id. */
function ruleCheckedDeviceId(globalId: string): string {
  return requireId(globalId, 'Device');
}

function accountIdOf(ctx: Context): string {
  return requireAccount(ctx.viewer).accountId;
}

/**
 * The take of the query Pothos planned for `devices` when it is a first page (no cursor) that asks for no
 * relation: then ownDevicesFirstPage serves it past Prisma's engine (the same rows in the same order as Prisma's
 * `ORDER BY id`; test/devices.test.ts compares). Anything else goes to Prisma as planned.
 */
function firstPageTake(query: object): number | null {
  const { take, skip, ...rest } = query as { take?: unknown; skip?: unknown };
  if (Object.keys(rest).length > 0 || typeof take !== 'number' || take <= 0 || (skip !== undefined && skip !== 0)) return null;
  return take;
}

/** Devices with an active grant for the account, except those of owners whose processing is restricted (GDPR art. 18). */
function activelySharedWith(accountId: string, now = new Date()) {
  return { grants: { some: grantActiveFor(accountId, now) }, owner: { restrictedAt: null } };
}

export function addDeviceOperations(builder: Builder, _refs: CoreRefs, { Device, DeviceKind }: Pick<DeviceRefs, 'Device' | 'DeviceKind'>) {
  const DeviceConnection = builder.connectionObject(
    {
      type: Device,
      name: 'DeviceConnection',
      fields: (t) => ({
        totalCount: t.int({
          resolve: (connection) => {
            const { totalCount } = connection as { totalCount?: number | (() => number | Promise<number>) };
            return typeof totalCount === 'function' ? totalCount() : (totalCount ?? 0);
          },
        }),
      }),
    },
    { name: 'DeviceEdge' },
  );

  const connectionOptions = { cursor: 'id', defaultSize: 50, maxSize: 500, totalCount: true } as const;

  builder.queryFields((t) => ({
    device: t.prismaField({
      type: 'Device',
      nullable: true,
      args: { id: t.arg.id({ required: true }) },
      resolve: (query, _r, args, ctx) => {
        const id = deviceIdOf(args.id) ?? '';
        // The rule (canSeeDeviceArg) read the row to decide; a selection without relations needs nothing more.
        if (Object.keys(query).length === 0) return deviceRowReadForAccess(ctx, id);
        return ctx.app.prisma.device.findUnique({ ...query, where: { id } });
      },
    }),
    devices: t.prismaConnection(
      {
        type: 'Device',
        ...connectionOptions,
        description: 'Devices the viewer owns.',
        resolve: (query, _r, _a, ctx) => {
          const take = firstPageTake(query);
          return take
            ? ownDevicesFirstPage(ctx.app.db, accountIdOf(ctx), take)
            : ctx.app.prisma.device.findMany({ ...query, where: { ownerId: accountIdOf(ctx) } });
        },
        totalCount: (_c, _a, ctx) => countOwnDevices(ctx.app.db, accountIdOf(ctx)),
      },
      DeviceConnection,
    ),
    sharedDevices: t.prismaConnection(
      {
        type: 'Device',
        ...connectionOptions,
        description: 'Devices shared with the viewer through active grants.',
        resolve: (query, _r, _a, ctx) => ctx.app.prisma.device.findMany({ ...query, where: activelySharedWith(accountIdOf(ctx)) }),
        totalCount: (_c, _a, ctx) => ctx.app.prisma.device.count({ where: activelySharedWith(accountIdOf(ctx)) }),
      },
      DeviceConnection,
    ),
  }));

  builder.prismaObjectField('Account', 'devices', (t) =>
    t.relatedConnection('devices', { ...connectionOptions, query: { orderBy: { id: 'asc' } } }, DeviceConnection),
  );

  const RegisterDeviceInput = builder.inputType('RegisterDeviceInput', {
    fields: (t) => ({
      name: t.string({ required: true }),
      kind: t.field({ type: DeviceKind, required: true }),
      identifier: t.string(),
    }),
  });
  const UpdateDeviceInput = builder.inputType('UpdateDeviceInput', {
    fields: (t) => ({
      deviceId: t.id({ required: true }),
      name: t.string(),
      kind: t.field({ type: DeviceKind }),
    }),
  });

  const DeviceCredentials = builder.objectRef<{ deviceId: string; deviceToken: string }>('DeviceCredentials').implement({
    description: 'Returned once: the device token is not stored in clear and cannot be read again.',
    fields: (t) => ({
      device: t.prismaField({
        type: 'Device',
        resolve: (query, c, _a, ctx) => ctx.app.prisma.device.findUniqueOrThrow({ ...query, where: { id: c.deviceId } }),
      }),
      deviceToken: t.exposeString('deviceToken', {
        description: 'JWT with scope location:write bound to this device; send as Authorization: Bearer.',
      }),
    }),
  });

  const RemoveDevicePayload = builder.objectRef<{ deviceId: string; deletedLocations: number }>('RemoveDevicePayload').implement({
    fields: (t) => ({
      deviceId: t.id({ resolve: (p) => encodeGlobalID('Device', p.deviceId) }),
      deletedLocations: t.exposeInt('deletedLocations', { description: 'Location points deleted together with the device.' }),
    }),
  });

  builder.mutationFields((t) => ({
    registerDevice: t.field({
      type: DeviceCredentials,
      args: { input: t.arg({ type: RegisterDeviceInput, required: true }) },
      resolve: (_r, { input }, ctx) => devices.registerDevice(ctx.app, accountIdOf(ctx), input, actorOf(ctx.viewer)),
    }),
    updateDevice: t.prismaField({
      type: 'Device',
      args: { input: t.arg({ type: UpdateDeviceInput, required: true }) },
      resolve: async (query, _r, { input }, ctx) => {
        const { id } = await devices.updateDevice(ctx.app, ruleCheckedDeviceId(input.deviceId), input);
        return ctx.app.prisma.device.findUniqueOrThrow({ ...query, where: { id } });
      },
    }),
    rotateDeviceToken: t.field({
      type: DeviceCredentials,
      args: { deviceId: t.arg.id({ required: true }) },
      resolve: (_r, args, ctx) => devices.rotateDeviceToken(ctx.app, ruleCheckedDeviceId(args.deviceId)),
    }),
    removeDevice: t.field({
      type: RemoveDevicePayload,
      description: 'Deletes the device and all its location points.',
      args: { deviceId: t.arg.id({ required: true }) },
      resolve: (_r, args, ctx) => devices.removeDevice(ctx.app, ruleCheckedDeviceId(args.deviceId), actorOf(ctx.viewer)),
    }),
  }));

  return { DeviceConnection };
}
