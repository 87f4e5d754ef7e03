/**
 * The usual shape of a retention purge: in one table, rows expired by the
 * cutoff, owned by accounts no hold protects, deleted in bounded batches by
 * id (so a batch is one short transaction), and counted as eligible or held.
 * Core's categories and plugins' purgers (through the plugin API) describe
 * only their table, what "expired" means and how a row names its account.
 */
import type { Db, PurgeScope } from '../context';
import type { Tx } from '../events';

/** How a row is tied to the account a hold protects: a filter on the row for the given account ids. */
export type OwnedBy = (accounts: { in: string[] } | { notIn: string[] }) => object;

export interface PurgeRowsSpec {
  /** The table, e.g. `(db) => db.locationPoint` (any Prisma delegate with string ids). */
  table(db: Db): unknown;
  /** Rows past retention at `cutoff`, e.g. `{ recordedAt: { lt: cutoff } }`. */
  expired(cutoff: Date, scope: PurgeScope): object;
  /** Omitted: no row is under a hold (nothing in it is evidence). */
  ownedBy?: OwnedBy;
}

interface Table {
  count(args: { where: object }): Promise<number>;
  findMany(args: { where: object; select: { id: true }; take: number }): Promise<{ id: string }[]>;
  deleteMany(args: { where: object }): Promise<{ count: number }>;
}

export function purgeRows(spec: PurgeRowsSpec) {
  const table = (db: Db) => spec.table(db) as Table;
  const free = (scope: PurgeScope) =>
    spec.ownedBy ? { AND: [spec.expired(scope.cutoff, scope), spec.ownedBy({ notIn: scope.held })] } : spec.expired(scope.cutoff, scope);
  return {
    async count(scope: PurgeScope): Promise<{ eligible: number; held: number }> {
      const rows = table(scope.app.prisma);
      const [eligible, held] = await Promise.all([
        rows.count({ where: free(scope) }),
        spec.ownedBy && scope.held.length
          ? rows.count({ where: { AND: [spec.expired(scope.cutoff, scope), spec.ownedBy({ in: scope.held })] } })
          : 0,
      ]);
      return { eligible, held };
    },
    async deleteBatch(scope: PurgeScope, tx: Tx, limit: number): Promise<number> {
      const rows = table(tx);
      const batch = await rows.findMany({ where: free(scope), select: { id: true }, take: limit });
      if (!batch.length) return 0;
      // The expiry filter again: on a partitioned table (LocationPoint, by recordedAt) it prunes the delete to the
      // partitions that can hold expired rows; ids alone would be looked up in every partition's index.
      return (await rows.deleteMany({ where: { AND: [{ id: { in: batch.map((r) => r.id) } }, spec.expired(scope.cutoff, scope)] } })).count;
    },
  };
}
