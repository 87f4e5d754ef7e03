/**
 * What each retention rule deletes. A category finds the next batch of
 * expired rows that no legal hold protects, deletes a batch inside the
 * transaction it is given, and counts what it would delete and what holds keep.
 */
import {
  type AppServices,
  auditService,
  detachedPartitions,
  detachPartitions,
  expiredPartitions,
  listPartitions,
  MAX_PARTITIONS_PER_DROP,
  partitionsToPurge,
  type PurgeScope,
  eraseAccountInTx,
  purgeRows,
  reclaimDetached,
  STAFF_ROLES,
  type Tx,
} from '../../schema/plugin-api';

/** now minus the rule's period, and the accounts under an active legal hold (the same shape plugins' purgers get). */
export type { PurgeScope };

export interface Category {
  /** Rows to delete (excluding held ones) and rows kept only because of a hold. */
  count(s: PurgeScope): Promise<{ eligible: number; held: number }>;
  /** Only the held rows (a run that deletes needs no eligible count; where that count is costly, say so here). */
  countHeld?(s: PurgeScope): Promise<number>;
  /**
   * Work before the batches, in a transaction of its own, that takes rows out of reach at once and leaves counting and
   * deleting them to the batches (location points: expired days detached). Returns true while there is more of it.
   */
  prepare?(s: PurgeScope, tx: Tx): Promise<boolean>;
  /** Deletes one bounded batch inside tx; returns how many rows went (0 = done). */
  deleteBatch(s: PurgeScope, tx: Tx, limit: number): Promise<number>;
  /** Batches of this category run one account per transaction (erasure cascades). */
  maxBatchSize?: number;
  /** The deletion guards (app.extensions.deletionGuards) hold this category too, not only legal holds. */
  guarded?: boolean;
}

const pointRows = purgeRows({
  table: (db) => db.locationPoint,
  expired: (cutoff) => ({ recordedAt: { lt: cutoff } }),
  ownedBy: (accounts) => ({ device: { ownerId: accounts } }),
});

/**
 * Location points. LocationPoint is partitioned by day (api/locations/partitions.ts).
 * The partitions whose whole day is past the cutoff go in two steps. prepare
 * detaches them in one short transaction (a day with held accounts' rows is
 * replaced by a partition of those rows alone, their devices keeping their
 * last location; other devices' last location in them set null): the table
 * is locked for everyone only at its end, and the rows have left it. The first batches then count and drop
 * the detached tables (a crash in between leaves them for the next run's
 * batches). So no row-by-row delete, no dead tuples, and the unlinking of
 * their files keeps no reader or writer waiting. The rest (the boundary day,
 * then DEFAULT) goes in batches of ids as before. A dry run counts through the
 * table, so it does not see detached days that a crash left behind.
 */
const locationPoints: Category = {
  count: pointRows.count,
  async countHeld(s) {
    if (!s.held.length) return 0;
    // Through the held accounts' devices: an index range per device and partition, not a scan of every expired row.
    return s.app.prisma.locationPoint.count({
      where: { recordedAt: { lt: s.cutoff }, deviceId: { in: await devicesOf(s.app.prisma, s.held) } },
    });
  },
  async prepare(s, tx) {
    // A plain table (no partitions) has none to detach; a day of held rows only stays.
    const heldDevices = await devicesOf(tx, s.held);
    const going = await partitionsToPurge(tx, await expiredPartitions(tx, s.cutoff), heldDevices);
    await detachPartitions(tx, going.slice(0, MAX_PARTITIONS_PER_DROP), heldDevices);
    return going.length > MAX_PARTITIONS_PER_DROP;
  },
  async deleteBatch(s, tx, limit) {
    const heldDevices = await devicesOf(tx, s.held);
    // Detached days first; ones of held rows only deleted nothing: go on in the same transaction.
    const detached = await detachedPartitions(tx);
    for (let i = 0; i < detached.length; i += MAX_PARTITIONS_PER_DROP) {
      const n = await reclaimDetached(tx, detached.slice(i, i + MAX_PARTITIONS_PER_DROP), heldDevices);
      if (n > 0) return n;
    }
    // Then the boundary day's expired rows, in its partition alone, and last whatever else expired (DEFAULT).
    const boundary = (await listPartitions(tx)).find((p) => p.from < s.cutoff && p.to > s.cutoff);
    if (boundary) {
      const n = await deleteExpiredPoints(tx, s.cutoff, heldDevices, limit, boundary.from);
      if (n > 0) return n;
    }
    return deleteExpiredPoints(tx, s.cutoff, heldDevices, limit, null);
  },
};

/**
 * One batch of expired points by (id, recordedAt), no ORDER BY: Prisma's findMany with take orders by the primary
 * key, which on the partitioned table merges every partition's key index and walks all rows; a delete by id alone
 * would probe every partition. The recordedAt bounds prune both to the partitions that can hold expired rows.
 */
async function deleteExpiredPoints(tx: Tx, cutoff: Date, heldDevices: string[], limit: number, from: Date | null): Promise<number> {
  const range = `"recordedAt" < $1::timestamp(3)${from ? ' AND "recordedAt" >= $3::timestamp(3)' : ''}`;
  return tx.$executeRawUnsafe(
    `DELETE FROM "LocationPoint" WHERE ${range} AND ("id", "recordedAt") IN (
       SELECT "id", "recordedAt" FROM "LocationPoint" WHERE ${range} AND NOT ("deviceId" = ANY($2::text[])) LIMIT ${Math.floor(limit)})`,
    cutoff.toISOString(),
    heldDevices,
    ...(from ? [from.toISOString()] : []),
  );
}

async function devicesOf(db: Tx | AppServices['prisma'], accounts: string[]): Promise<string[]> {
  if (!accounts.length) return [];
  return (await db.device.findMany({ where: { ownerId: { in: accounts } }, select: { id: true } })).map((d) => d.id);
}

/** Staff accounts are managed by administrators, not purged for inactivity. (Raw SQL: enum-array filters fail on PGlite.) */
async function staffAccountIds(db: Tx | AppServices['prisma']): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT "id" FROM "Account" WHERE "roles" && ARRAY[${STAFF_ROLES.map((r) => `'${r}'`).join(',')}]::"Role"[]`,
  );
  return rows.map((r) => r.id);
}

function inactiveWhere({ now, cutoff }: PurgeScope) {
  return { OR: [{ lastActiveAt: { lt: cutoff } }, { scheduledDeletionAt: { lte: now } }] };
}

/** Accounts other plugins keep from inactivity deletion (retentionGuards: e.g. a running contract, counted from its end). */
async function keptByGuards(s: PurgeScope, db: Tx | AppServices['prisma']): Promise<string[]> {
  const lists = await Promise.all(s.app.extensions.retentionGuards.map((g) => g.keepFromInactivity?.(db, s.cutoff, s.now) ?? []));
  return lists.flat();
}

const inactiveAccounts: Category = {
  maxBatchSize: 1,
  guarded: true,
  async count(s) {
    const staff = [...(await staffAccountIds(s.app.prisma)), ...(await keptByGuards(s, s.app.prisma))];
    const heldCustomers = s.held.filter((id) => !staff.includes(id));
    const [eligible, kept] = await Promise.all([
      s.app.prisma.account.count({ where: { ...inactiveWhere(s), id: { notIn: [...s.held, ...staff] } } }),
      heldCustomers.length ? s.app.prisma.account.count({ where: { ...inactiveWhere(s), id: { in: heldCustomers } } }) : 0,
    ]);
    return { eligible, held: kept };
  },
  async deleteBatch(s, tx) {
    // Inside the batch transaction use tx only: on a single-connection database another client would wait forever.
    const staff = [...(await staffAccountIds(tx)), ...(await keptByGuards(s, tx))];
    const next = await tx.account.findFirst({ where: { ...inactiveWhere(s), id: { notIn: [...s.held, ...staff] } }, select: { id: true } });
    if (!next) return 0;
    const actor = { kind: 'SYSTEM' as const, accountId: null };
    if (!(await eraseAccountInTx(s.app, tx, next.id, 'inactivity', actor))) return 0;
    // As every erasure does once it is committed: open live streams on the account and its devices end at once.
    s.afterCommit?.(() => s.app.events.emit('account.deleted', { accountId: next.id, reason: 'inactivity' }, { actor }));
    return 1;
  },
};

/** Devices are deleted with their points at removal (removeDevice); nothing of a removed device remains to purge. */
const removedDevices: Category = {
  count: async () => ({ eligible: 0, held: 0 }),
  deleteBatch: async () => 0,
};

function endedBefore(cutoff: Date) {
  return { OR: [{ expiresAt: { lt: cutoff } }, { revokedAt: { lt: cutoff } }] };
}

const expiredSharing: Category = {
  async count({ app, cutoff, held }) {
    const ended = endedBefore(cutoff);
    const heldGrant = { OR: [{ ownerId: { in: held } }, { granteeId: { in: held } }] };
    const [grants, links, heldGrants, heldLinks] = await Promise.all([
      app.prisma.sharingGrant.count({ where: { AND: [ended, { NOT: heldGrant }] } }),
      app.prisma.shareLink.count({ where: { AND: [ended, { ownerId: { notIn: held } }] } }),
      held.length ? app.prisma.sharingGrant.count({ where: { AND: [ended, heldGrant] } }) : 0,
      held.length ? app.prisma.shareLink.count({ where: { AND: [ended, { ownerId: { in: held } }] } }) : 0,
    ]);
    return { eligible: grants + links, held: heldGrants + heldLinks };
  },
  async deleteBatch({ cutoff, held }, tx, limit) {
    const ended = endedBefore(cutoff);
    const grants = await tx.sharingGrant.findMany({
      where: { AND: [ended, { NOT: { OR: [{ ownerId: { in: held } }, { granteeId: { in: held } }] } }] },
      select: { id: true },
      take: limit,
    });
    let deleted = grants.length ? (await tx.sharingGrant.deleteMany({ where: { id: { in: grants.map((g) => g.id) } } })).count : 0;
    if (deleted < limit) {
      const links = await tx.shareLink.findMany({
        where: { AND: [ended, { ownerId: { notIn: held } }] },
        select: { id: true },
        take: limit - deleted,
      });
      if (links.length) deleted += (await tx.shareLink.deleteMany({ where: { id: { in: links.map((l) => l.id) } } })).count;
    }
    return deleted;
  },
};

/** Cookie choices (table of the cookies plugin; always migrated). Anonymous visitors' choices have no account and no hold. */
const cookieConsents: Category = purgeRows({
  table: (db) => db.cookieConsent,
  expired: (cutoff) => ({ recordedAt: { lt: cutoff } }),
  ownedBy: (accounts) => ('notIn' in accounts ? { OR: [{ accountId: null }, { accountId: accounts }] } : { accountId: accounts }),
});

/** Stored exports hold a full copy of the person's data, location history included. */
const dataExports: Category = {
  guarded: true,
  ...purgeRows({
    table: (db) => db.dataExport,
    expired: (cutoff) => ({ createdAt: { lt: cutoff } }),
    ownedBy: (accounts) => ({ accountId: accounts }),
  }),
};

const expiredSessions: Category = purgeRows({
  table: (db) => db.session,
  expired: endedBefore,
  ownedBy: (accounts) => ({ accountId: accounts }),
});

/** Mailed single-use tokens (AccountToken): gone once used or expired for the period; nothing in them is evidence, so no holds. */
function spentBefore(cutoff: Date) {
  return { OR: [{ usedAt: { lt: cutoff } }, { expiresAt: { lt: cutoff } }] };
}

const accountTokens: Category = purgeRows({ table: (db) => db.accountToken, expired: spentBefore });

/** Records of disclosures to other controllers (audit plugin's table; always migrated), by the time of the disclosure. */
const disclosures: Category = purgeRows({
  table: (db) => db.disclosure,
  expired: (cutoff) => ({ disclosedAt: { lt: cutoff } }),
  ownedBy: (accounts) => ({ accountId: accounts }),
});

/** The audit log is purged oldest first through the audit plugin (which keeps the chain verifiable); not subject to holds. */
const auditLog: Category = {
  async count({ app, cutoff }) {
    const audit = auditService(app);
    return { eligible: audit ? await audit.countBefore(cutoff) : 0, held: 0 };
  },
  async deleteBatch({ app, cutoff }, tx, limit) {
    const audit = auditService(app);
    return audit ? audit.purgeBefore(tx, cutoff, limit) : 0;
  },
};

export const CATEGORIES: Record<string, Category> = {
  LOCATION_POINTS: locationPoints,
  INACTIVE_ACCOUNTS: inactiveAccounts,
  REMOVED_DEVICES: removedDevices,
  EXPIRED_SHARING: expiredSharing,
  COOKIE_CONSENTS: cookieConsents,
  DATA_EXPORTS: dataExports,
  EXPIRED_SESSIONS: expiredSessions,
  ACCOUNT_TOKENS: accountTokens,
  DISCLOSURES: disclosures,
  AUDIT_LOG: auditLog,
};
