/**
 * A retention run. Every batch is its own short transaction that deletes at
 * most `batchSize` rows, adds its count to the run's results and writes a
 * 'retention.purged' audit event, so a crash or an interruption (maxBatches)
 * leaves a consistent state with true counts. The next run picks up the
 * unfinished one and carries on; rows already deleted are simply not found
 * again. A category may first take its rows out of reach in short transactions
 * of their own (prepare: location points' expired days are detached), which its
 * batches then count and delete. A dry run counts what would go, and what holds
 * keep, and deletes nothing.
 */
import type { PurgeScope } from './categories';
import { retentionSettings } from './rules-config';
import { rulesInForce } from './all-rules';
import { type Actor, type AppServices, conflict, recordAudit, subtractDuration } from '../../schema/plugin-api';

export interface RetentionResult {
  dataCategory: string;
  deleted: number;
  held: number;
  /** Rows held per reason (LEGAL_HOLD, or a deletion guard's reason such as OPEN_REQUEST); a row held for two reasons counts under both. */
  heldReasons?: { reason: string; count: number }[];
}

export interface RunOptions {
  dryRun: boolean;
  actor?: Actor;
  batchSize?: number;
  /** Stop after this many batches (the run stays unfinished and is resumed next time). */
  maxBatches?: number;
  now?: Date;
}

const running = new WeakMap<AppServices, Promise<unknown>>();

/** Accounts under a legal hold, or under a hold another plugin declares (retentionGuards, e.g. an open debt case). */
export async function activeHolds(app: AppServices, now: Date): Promise<string[]> {
  const holds = await app.prisma.legalHold.findMany({
    where: { releasedAt: null, OR: [{ until: null }, { until: { gt: now } }] },
    select: { accountId: true },
  });
  const fromGuards = await Promise.all(app.extensions.retentionGuards.map((g) => g.heldAccounts?.(app.prisma, now) ?? []));
  return [...new Set([...holds.map((h) => h.accountId), ...fromGuards.flat()])];
}

export async function runRetention(app: AppServices, options: RunOptions) {
  if (running.has(app)) throw conflict('A retention run is already in progress.');
  const work = execute(app, options);
  running.set(app, work);
  try {
    return await work;
  } finally {
    running.delete(app);
  }
}

async function execute(app: AppServices, options: RunOptions) {
  const config = retentionSettings.of(app);
  const actor = options.actor ?? { kind: 'SYSTEM', accountId: null };
  const batchSize = options.batchSize ?? config.batchSize;
  const now = options.now ?? new Date();
  const legalHolds = await activeHolds(app, now);
  // Deletion guards published by other plugins (e.g. rights: OPEN_REQUEST), consulted for guarded categories.
  const guards = await Promise.all(
    app.extensions.deletionGuards.map(async (g) => ({ reason: g.reason, ids: await g.heldAccountIds(app, now) })),
  );
  const guardedHeld = [...new Set([...legalHolds, ...guards.flatMap((g) => g.ids)])];
  const rules = rulesInForce(app);
  const fresh = rules.map((r) => ({ dataCategory: r.dataCategory, deleted: 0, held: 0 }));

  const unfinished = options.dryRun
    ? null
    : await app.prisma.retentionRun.findFirst({ where: { dryRun: false, finishedAt: null }, orderBy: { startedAt: 'desc' } });
  const run =
    unfinished ??
    (await app.prisma.retentionRun.create({
      data: { dryRun: options.dryRun, results: fresh as object[], startedById: actor.accountId },
    }));
  const results: RetentionResult[] = fresh.map((f) => ({
    ...f,
    ...((run.results as unknown as RetentionResult[]).find((r) => r.dataCategory === f.dataCategory) ?? {}),
  }));

  let batches = 0;
  let interrupted = false;
  for (const rule of rules) {
    const category = rule.category;
    const guarded = 'guarded' in category && !!category.guarded;
    const held = guarded ? guardedHeld : legalHolds;
    const scope: PurgeScope = { app, now, cutoff: subtractDuration(now, rule.period), held };
    const result = results.find((r) => r.dataCategory === rule.dataCategory)!;
    // A run that deletes reports what went, not what was eligible: a category that can count its held rows alone does only that.
    const heldOnly = !options.dryRun && category.countHeld ? category.countHeld.bind(category) : null;
    const countHeld = async (s: PurgeScope) => (heldOnly ? heldOnly(s) : (await category.count(s)).held);
    const counts = heldOnly ? { eligible: 0, held: await heldOnly(scope) } : await category.count(scope);
    result.held = counts.held;
    const reasons = [{ reason: 'LEGAL_HOLD', ids: legalHolds }, ...(guarded ? guards : [])].filter((r) => r.ids.length);
    result.heldReasons = [];
    for (const r of reasons) {
      const n = await countHeld({ ...scope, held: r.ids });
      if (n) result.heldReasons.push({ reason: r.reason, count: n });
    }
    if (options.dryRun) {
      result.deleted = counts.eligible;
      continue;
    }
    const limit = Math.min(batchSize, category.maxBatchSize ?? batchSize);
    if (category.prepare) {
      const prepare = category.prepare.bind(category);
      while (await app.prisma.$transaction((tx) => prepare(scope, tx), { timeout: 60_000 }));
    }
    for (;;) {
      if (options.maxBatches !== undefined && batches >= options.maxBatches) {
        interrupted = true;
        break;
      }
      const committed: (() => Promise<void>)[] = [];
      const deleted = await app.prisma.$transaction(
        async (tx) => {
          const n = await category.deleteBatch({ ...scope, afterCommit: (fn) => committed.push(fn) }, tx, limit);
          if (n > 0) {
            result.deleted += n;
            await tx.retentionRun.update({ where: { id: run.id }, data: { results: results as unknown as object[] } });
            await recordAudit(app, tx, {
              action: 'retention.purged',
              actor,
              details: { runId: run.id, dataCategory: rule.dataCategory, deleted: n },
            });
          }
          return n;
        },
        { timeout: 60_000 },
      );
      for (const fn of committed) await fn();
      if (deleted === 0) break;
      batches++;
    }
    if (interrupted) break;
  }

  return app.prisma.$transaction(async (tx) => {
    const finished = await tx.retentionRun.update({
      where: { id: run.id },
      data: { results: results as unknown as object[], finishedAt: interrupted ? null : new Date() },
    });
    if (!interrupted) {
      await recordAudit(app, tx, {
        action: options.dryRun ? 'retention.dryRun' : 'retention.finished',
        actor,
        details: { runId: run.id, results },
      });
    }
    return finished;
  });
}
