/**
 * Location points read past Prisma's query engine (Database.queryRows): the
 * history page and the last locations of a device list are the reads of many
 * points on every dashboard request, and the engine's compiling and mapping
 * cost four times the read itself (issue 18). The SELECT list is the model's
 * columns and pointFromRow makes the object Prisma would return, so resolvers
 * and rules cannot tell the difference (test/location-history.test.ts
 * compares the two).
 */
import type { LocationPoint } from '../../generated/prisma/client';
import type { LocationSource } from '../../generated/prisma/enums';

/** Times as epoch milliseconds (exact for timestamp(3)): a Date from a number, not from parsing text, 200 times a page. */
export const POINT_COLUMNS =
  '"id", "deviceId", "clientId", (extract(epoch FROM "recordedAt") * 1000)::float8, (extract(epoch FROM "receivedAt") * 1000)::float8, "latitude", "longitude", "accuracy", "altitude", "speed", "heading", "battery", "source"::text';

/** A time selected as epoch milliseconds (a float8, which both adapters give as a number). */
const time = (value: unknown): Date => new Date(Number(value));

const float = (value: unknown): number | null => (value === null ? null : Number(value));

/** One row of a `SELECT ${POINT_COLUMNS}` as the LocationPoint object Prisma returns. */
export function pointFromRow(r: unknown[]): LocationPoint {
  return {
    id: r[0] as string,
    deviceId: r[1] as string,
    clientId: r[2] as string,
    recordedAt: time(r[3]),
    receivedAt: time(r[4]),
    latitude: Number(r[5]),
    longitude: Number(r[6]),
    accuracy: float(r[7]),
    altitude: float(r[8]),
    speed: float(r[9]),
    heading: float(r[10]),
    battery: float(r[11]),
    source: r[12] as LocationSource,
  };
}
