/**
 * A retention run. Every batch is its own short transaction that deletes at
 * most `batchSize` rows, adds its count to the run's results and writes a
 * 'retention.purged' audit event, so a crash or an interruption (maxBatches)
 * leaves a consistent state with true counts. The next run picks up the
 * unfinished one and carries on; rows already deleted are simply not found
 * again. A dry run counts what would go, and what holds keep, and deletes nothing.
 */
import { CATEGORIES, type PurgeScope } from './categories';
import { RETENTION_RULES, retentionSettings } from './rules-config';
import { type Actor, type AppServices, conflict, recordAudit, subtractDuration } from '../../schema/plugin-api';

export interface RetentionResult {
  dataCategory: string;
  deleted: number;
  held: number;
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

export async function activeHolds(app: AppServices, now: Date): Promise<string[]> {
  const holds = await app.prisma.legalHold.findMany({
    where: { releasedAt: null, OR: [{ until: null }, { until: { gt: now } }] },
    select: { accountId: true },
  });
  return [...new Set(holds.map((h) => h.accountId))];
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
  const held = await activeHolds(app, now);
  const purgers = app.extensions.retentionPurgers;
  const fresh = [...RETENTION_RULES, ...purgers].map((r) => ({ dataCategory: r.dataCategory, deleted: 0, held: 0 }));

  const unfinished = options.dryRun
    ? null
    : await app.prisma.retentionRun.findFirst({ where: { dryRun: false, finishedAt: null }, orderBy: { startedAt: 'desc' } });
  const run =
    unfinished ??
    (await app.prisma.retentionRun.create({
      data: { dryRun: options.dryRun, results: fresh as object[], startedById: actor.accountId },
    }));
  const results: RetentionResult[] = fresh.map((f) => ({ ...f, ...((run.results as unknown as RetentionResult[]).find((r) => r.dataCategory === f.dataCategory) ?? {}) }));

  let batches = 0;
  let interrupted = false;
  for (const rule of RETENTION_RULES) {
    const category = CATEGORIES[rule.dataCategory];
    const scope: PurgeScope = { app, now, cutoff: subtractDuration(now, config.periods[rule.dataCategory]), held };
    const result = results.find((r) => r.dataCategory === rule.dataCategory)!;
    const counts = await category.count(scope);
    result.held = counts.held;
    if (options.dryRun) {
      result.deleted = counts.eligible;
      continue;
    }
    const limit = Math.min(batchSize, category.maxBatchSize ?? batchSize);
    for (;;) {
      if (options.maxBatches !== undefined && batches >= options.maxBatches) {
        interrupted = true;
        break;
      }
      const deleted = await app.prisma.$transaction(
        async (tx) => {
          const n = await category.deleteBatch(scope, tx, limit);
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
      if (deleted === 0) break;
      batches++;
    }
    if (interrupted) break;
  }

  // Categories held by other plugins (app.extensions.retentionPurgers): each purges in one call.
  for (const purger of interrupted ? [] : purgers) {
    const result = results.find((r) => r.dataCategory === purger.dataCategory)!;
    const outcome = await purger.purge(app, { now, dryRun: options.dryRun, heldAccountIds: held });
    result.held = outcome.held;
    if (options.dryRun) {
      result.deleted = outcome.deleted;
      continue;
    }
    result.deleted += outcome.deleted;
    if (outcome.deleted > 0) {
      await app.prisma.$transaction(async (tx) => {
        await tx.retentionRun.update({ where: { id: run.id }, data: { results: results as unknown as object[] } });
        await recordAudit(app, tx, {
          action: 'retention.purged',
          actor,
          details: { runId: run.id, dataCategory: purger.dataCategory, deleted: outcome.deleted },
        });
      });
    }
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
