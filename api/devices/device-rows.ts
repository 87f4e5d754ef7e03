/**
 * Device rows read past Prisma's query engine (Database.queryRows), for the
 * access decision every device, location and sharing request starts with
 * (api/permissions/device-access.ts). The SELECT list is the model's columns
 * and deviceFromRow makes the object Prisma would return (the row is handed
 * on as `device(id)`'s result); test/device-access.test.ts compares the two.
 */
import type { Device } from '../../generated/prisma/client';
import type { DeviceKind } from '../../generated/prisma/enums';
import type { Database } from '../db/adapters';

/** Device columns of alias `d`, in deviceFromRow's order (DEVICE_COLUMN_COUNT of them). */
export const DEVICE_COLUMNS =
  'd."id", d."ownerId", d."name", d."kind"::text, d."identifier", d."tokenVersion", d."createdAt", d."lastSeenAt", d."lastLocationId", d."lastLocationRecordedAt"';
export const DEVICE_COLUMN_COUNT = 10;

/** A timestamp as the adapters give it (adapter-pg: an ISO text with offset; PGlite: text or Date). */
export function timeOrNull(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(value as string);
}

/** The first DEVICE_COLUMN_COUNT values of a row as the Device object Prisma returns. */
export function deviceFromRow(r: unknown[]): Device {
  return {
    id: r[0] as string,
    ownerId: r[1] as string,
    name: r[2] as string,
    kind: r[3] as DeviceKind,
    identifier: r[4] as string | null,
    tokenVersion: Number(r[5]),
    createdAt: timeOrNull(r[6])!,
    lastSeenAt: timeOrNull(r[7]),
    lastLocationId: r[8] as string | null,
    lastLocationRecordedAt: timeOrNull(r[9]),
  };
}

/** How Device.owner's selection asks for the owner (schema/devices/types.ts): the one include the fast page serves. */
export const OWNER_SUMMARY_SELECT = { id: true, givenName: true, familyName: true } as const;

export interface OwnerSummary {
  id: string;
  givenName: string | null;
  familyName: string | null;
}

/**
 * The first page of an account's own devices in id order, with or without each device's owner summary: what
 * `devices(first: n)` of every dashboard asks, read past Prisma's engine. Later pages (a cursor) and any other
 * relation stay with Prisma (schema/devices/operations.ts decides).
 */
export async function ownDevicesFirstPage(
  db: Pick<Database, 'queryRows'>,
  ownerId: string,
  take: number,
  withOwner: boolean,
): Promise<(Device & { owner?: OwnerSummary })[]> {
  const { rows } = await db.queryRows({
    sql: `SELECT ${DEVICE_COLUMNS}, a."id", a."givenName", a."familyName" FROM "Device" d JOIN "Account" a ON a."id" = d."ownerId"
      WHERE d."ownerId" = $1 ORDER BY d."id" ASC LIMIT $2`,
    args: [ownerId, take],
    argTypes: [
      { scalarType: 'string', arity: 'scalar' },
      { scalarType: 'int', arity: 'scalar' },
    ],
  });
  const n = DEVICE_COLUMN_COUNT;
  return rows.map((r) => {
    const device = deviceFromRow(r);
    if (!withOwner) return device;
    return { ...device, owner: { id: r[n] as string, givenName: r[n + 1] as string | null, familyName: r[n + 2] as string | null } };
  });
}
