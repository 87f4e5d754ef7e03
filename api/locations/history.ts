/**
 * Location history as a Relay connection with keyset pagination over
 * (recordedAt, id): every page is one indexed range scan
 * (LocationPoint_deviceId_recordedAt_id_idx) with LIMIT, never OFFSET, so
 * page 1000 costs what page 1 does and inserts between requests do not shift
 * pages. A cursor is opaque: base64url of "<recordedAt ms>:<id>".
 *
 * `order` is the connection's forward direction (DESC = newest first).
 * first/after pages forward, last/before backward; mixing both directions in
 * one call is BAD_USER_INPUT, and so is a page size above MAX_PAGE_SIZE
 * (we refuse rather than clamp, so a client never mistakes a clamped page
 * for the end of the data).
 */
import type { ArgType } from '@prisma/driver-adapter-utils';
import type { LocationPoint } from '../../generated/prisma/client';
import { POINT_COLUMNS, pointFromRow } from './point-rows';
import { INT, TEXT, TIME } from '../db/arg-types';
import { badInput } from '../errors';
import { GENERIC_PLAN, type Database } from '../db/adapters';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export interface HistoryArgs {
  from?: Date | null;
  to?: Date | null;
  order?: 'ASC' | 'DESC' | null;
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

interface Key {
  recordedAt: Date;
  id: string;
}

export function encodeLocationCursor(p: Key): string {
  return Buffer.from(`${p.recordedAt.getTime()}:${p.id}`, 'utf8').toString('base64url');
}

export function decodeLocationCursor(cursor: string, field: string): Key {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^(-?\d{1,15}):([0-9a-zA-Z-]{1,64})$/.exec(text);
  if (!m) throw badInput(field, 'Invalid cursor.');
  return { recordedAt: new Date(Number(m[1])), id: m[2] };
}

function pageSize(value: number | null | undefined, field: string): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || value < 0) throw badInput(field, 'Must be a non-negative integer.');
  if (value > MAX_PAGE_SIZE) throw badInput(field, `At most ${MAX_PAGE_SIZE} per page.`);
  return value;
}

export interface HistoryFilter {
  from?: Date | null;
  to?: Date | null;
  order?: 'ASC' | 'DESC' | null;
}

/** Checks page sizes and directions; throws BAD_USER_INPUT (we refuse rather than clamp). */
export function checkHistoryPageArgs(args: HistoryArgs): void {
  const first = pageSize(args.first, 'first');
  const last = pageSize(args.last, 'last');
  if ((first !== null || args.after) && (last !== null || args.before)) {
    throw badInput(args.last !== null && args.last !== undefined ? 'last' : 'before', 'Use first/after or last/before, not both.');
  }
}

/**
 * The rows of one page of a device's history, in (recordedAt, id) keyset order:
 * `limit` rows next to the cursor, read in the opposite order when `inverted`
 * (a backward page; the connection helper reverses them). `visibleFrom` is the
 * earliest point the viewer may see (a HISTORY grant's historyFrom), decided by
 * the permissions layer. Read past Prisma's engine (point-rows.ts): one page is
 * 100s of rows on every dashboard request.
 */
export async function historyRows(
  db: Pick<Database, 'queryRows'>,
  deviceId: string,
  filter: HistoryFilter,
  visibleFrom: Date | null,
  page: { before?: string; after?: string; limit: number; inverted: boolean },
): Promise<LocationPoint[]> {
  const order = filter.order ?? 'DESC';
  const from = visibleFrom && (!filter.from || filter.from < visibleFrom) ? visibleFrom : filter.from;
  // "Forward" means the requested order; a backward page is read in the opposite order.
  const ascending = (order === 'ASC') !== page.inverted;
  const cursor = page.inverted ? page.before : page.after;
  const key = cursor ? decodeLocationCursor(cursor, page.inverted ? 'before' : 'after') : null;
  if (page.limit <= 1) return [];
  const dir = ascending ? 'ASC' : 'DESC';
  const read = async (window: { op: '<' | '>='; edge: Date } | null, limit: number): Promise<LocationPoint[]> => {
    const where = ['"deviceId" = $1'];
    const args: unknown[] = [deviceId];
    const argTypes = [TEXT];
    const bind = (value: unknown, type: ArgType) => {
      args.push(value);
      argTypes.push(type);
      return `$${args.length}`;
    };
    if (from) where.push(`"recordedAt" >= ${bind(from, TIME)}`);
    if (filter.to) where.push(`"recordedAt" <= ${bind(filter.to, TIME)}`);
    // Strictly beyond the cursor in (recordedAt, id) order: a row comparison the (deviceId, recordedAt, id) index serves.
    if (key) where.push(`("recordedAt", "id") ${ascending ? '>' : '<'} (${bind(key.recordedAt, TIME)}, ${bind(key.id, TEXT)})`);
    if (window) where.push(`"recordedAt" ${window.op} ${bind(window.edge, TIME)}`);
    const sql = `${GENERIC_PLAN}SELECT ${POINT_COLUMNS} FROM "LocationPoint" WHERE ${where.join(' AND ')} ORDER BY "recordedAt" ${dir}, "id" ${dir} LIMIT ${bind(limit, INT)}`;
    return (await db.queryRows({ sql, args, argTypes })).rows.map(pointFromRow);
  };

  // The page starts next to the cursor (or `to`, or now when reading newest first): read a window of days from
  // there first, which PostgreSQL plans over a few daily partitions instead of all of them; the rest of the range
  // only when the window held less than a page. The two ranges are disjoint and in order, so keyset paging holds.
  const start = ascending ? (key?.recordedAt ?? from ?? null) : (key?.recordedAt ?? filter.to ?? new Date());
  if (start) {
    const edge = new Date(start.getTime() + (ascending ? WINDOW_MS : -WINDOW_MS));
    const windowCoversRange = ascending ? filter.to && filter.to < edge : from && from >= edge;
    if (!windowCoversRange) {
      const near = await read({ op: ascending ? '<' : '>=', edge }, page.limit);
      if (near.length >= page.limit) return near;
      return [...near, ...(await read({ op: ascending ? '>=' : '<', edge }, page.limit - near.length))];
    }
  }
  return read(null, page.limit);
}

/** How far from where a page starts its first read reaches (history of a device reporting every minute: 4,320 points). */
const WINDOW_MS = 3 * 86_400_000;
