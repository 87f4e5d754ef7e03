/**
 * Device rows read past Prisma's query engine (Database.queryRows), for the
 * access decision every device, location and sharing request starts with
 * (api/permissions/device-access.ts). The SELECT list is the model's columns
 * and deviceFromRow makes the object Prisma would return (the row is handed
 * on as `device(id)`'s result); test/device-access.test.ts compares the two.
 */
import type { Device } from '../../generated/prisma/client';
import type { DeviceKind } from '../../generated/prisma/enums';
import { PREPARED, type Database } from '../db/adapters';
import type { AccountSummary } from '../accounts/summaries';
import { INT, TEXT } from '../db/arg-types';

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

/**
 * The first page of an account's own devices in id order, each with its owner's summary joined (Device.owner
 * reads it instead of loading it): what `devices(first: n)` of every dashboard asks, read past Prisma's engine.
 * Later pages (a cursor) and any relation stay with Prisma (schema/devices/operations.ts decides).
 */
export async function ownDevicesFirstPage(
  db: Pick<Database, 'queryRows'>,
  ownerId: string,
  take: number,
): Promise<(Device & { owner: AccountSummary })[]> {
  const { rows } = await db.queryRows({
    sql: `${PREPARED}SELECT ${DEVICE_COLUMNS}, a."id", a."givenName", a."familyName" FROM "Device" d JOIN "Account" a ON a."id" = d."ownerId"
      WHERE d."ownerId" = $1 ORDER BY d."id" ASC LIMIT $2`,
    args: [ownerId, take],
    argTypes: [TEXT, INT],
  });
  const n = DEVICE_COLUMN_COUNT;
  return rows.map((r) => ({
    ...deviceFromRow(r),
    owner: { id: r[n] as string, givenName: r[n + 1] as string | null, familyName: r[n + 2] as string | null },
  }));
}

/** How many devices the account owns (the device list's totalCount), past Prisma's engine like its first page. */
export async function countOwnDevices(db: Pick<Database, 'queryRows'>, ownerId: string): Promise<number> {
  const { rows } = await db.queryRows({
    sql: `${PREPARED}SELECT count(*)::int FROM "Device" WHERE "ownerId" = $1`,
    args: [ownerId],
    argTypes: [TEXT],
  });
  return Number(rows[0][0]);
}
