/**
 * The hash chain. Each event's hash is SHA-256 over the previous event's hash
 * and the event's canonical JSON (keys sorted), so editing or deleting any
 * event breaks every link after it. Appends lock the single chain-head row
 * (SELECT ... FOR UPDATE) inside the caller's transaction: concurrent writers
 * queue up instead of forking the chain, and a rolled-back change takes its
 * audit event with it.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../generated/prisma/client';
import type { AuditEntry, Tx } from '../../schema/plugin-api';

interface HeadRow {
  seq: bigint;
  hash: string | null;
  prunedToSeq: bigint;
  prunedToHash: string | null;
}

/** JSON with object keys sorted at every level: one text per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface StoredEvent {
  id: string;
  seq: bigint;
  at: Date;
  actorKind: string;
  actorId: string | null;
  action: string;
  subjectAccountId: string | null;
  accessCaseId: string | null;
  details: unknown;
  hash: string;
  previousHash: string | null;
}

export function eventHash(previousHash: string | null, e: Omit<StoredEvent, 'hash' | 'previousHash'>): string {
  const body = canonicalJson({
    id: e.id,
    seq: e.seq.toString(),
    at: e.at.toISOString(),
    actorKind: e.actorKind,
    actorId: e.actorId,
    action: e.action,
    subjectAccountId: e.subjectAccountId,
    accessCaseId: e.accessCaseId,
    details: e.details ?? null,
  });
  return createHash('sha256')
    .update(previousHash ?? '')
    .update(body)
    .digest('hex');
}

async function lockHead(tx: Tx): Promise<HeadRow> {
  const rows = await tx.$queryRaw<HeadRow[]>`
    SELECT "seq", "hash", "prunedToSeq", "prunedToHash" FROM "AuditChainHead" WHERE "id" = 1 FOR UPDATE`;
  if (!rows.length) throw new Error('audit chain head is missing (migration not applied?)');
  const r = rows[0];
  return { seq: BigInt(r.seq), hash: r.hash, prunedToSeq: BigInt(r.prunedToSeq), prunedToHash: r.prunedToHash };
}

export async function appendEvent(tx: Tx, entry: AuditEntry, at = new Date()): Promise<StoredEvent> {
  const head = await lockHead(tx);
  // Dates and other non-JSON values become their JSON form now, so the hash matches what is read back.
  const details = entry.details === undefined ? null : (JSON.parse(JSON.stringify(entry.details)) as unknown);
  const base = {
    id: randomUUID(),
    seq: head.seq + 1n,
    at,
    actorKind: entry.actor.kind,
    actorId: entry.actor.accountId ?? null,
    action: entry.action,
    subjectAccountId: entry.subjectAccountId ?? null,
    accessCaseId: entry.accessCaseId ?? null,
    details,
  };
  const hash = eventHash(head.hash, base);
  await tx.auditEvent.create({
    data: { ...base, details: details === null ? undefined : (details as object), hash, previousHash: head.hash },
  });
  await tx.auditChainHead.update({ where: { id: 1 }, data: { seq: base.seq, hash } });
  return { ...base, hash, previousHash: head.hash };
}

export interface ChainCheck {
  valid: boolean;
  checkedEvents: number;
  firstBrokenEventId: string | null;
}

/**
 * Walks the chain from the retention anchor to the head. A changed event
 * fails its own hash; a deleted one leaves a gap in seq and a previousHash
 * that no longer matches; a deleted newest event no longer matches the head.
 */
export async function verifyChain(prisma: PrismaClient, pageSize = 1000): Promise<ChainCheck> {
  const head = await prisma.auditChainHead.findUniqueOrThrow({ where: { id: 1 } });
  let expectedSeq = head.prunedToSeq + 1n;
  let previous: string | null = head.prunedToHash;
  let checked = 0;
  let lastId: string | null = null;
  let afterSeq = head.prunedToSeq;
  for (;;) {
    const page = await prisma.auditEvent.findMany({ where: { seq: { gt: afterSeq } }, orderBy: { seq: 'asc' }, take: pageSize });
    if (!page.length) break;
    for (const e of page) {
      checked++;
      const ok = e.seq === expectedSeq && e.previousHash === previous && eventHash(previous, e) === e.hash;
      if (!ok) return { valid: false, checkedEvents: checked, firstBrokenEventId: e.id };
      previous = e.hash;
      expectedSeq = e.seq + 1n;
      lastId = e.id;
    }
    afterSeq = page[page.length - 1].seq;
  }
  if (expectedSeq - 1n !== head.seq || previous !== head.hash) return { valid: false, checkedEvents: checked, firstBrokenEventId: lastId };
  return { valid: true, checkedEvents: checked, firstBrokenEventId: null };
}

/**
 * Retention of the log itself: deletes the oldest events (a prefix of the
 * chain) older than `before`, and moves the anchor to the last deleted event
 * so the rest still verifies. The append-only trigger allows DELETE only with
 * the transaction-local setting audit.purge = on.
 */
export async function purgeOldest(tx: Tx, before: Date, limit: number): Promise<number> {
  const head = await lockHead(tx);
  const oldest = await tx.auditEvent.findMany({
    where: { seq: { gt: head.prunedToSeq } },
    orderBy: { seq: 'asc' },
    take: limit,
    select: { seq: true, at: true, hash: true },
  });
  const prefix: typeof oldest = [];
  for (const e of oldest) {
    if (e.at >= before) break;
    prefix.push(e);
  }
  if (!prefix.length) return 0;
  const last = prefix[prefix.length - 1];
  await tx.$queryRaw`SELECT set_config('audit.purge', 'on', true)`;
  const { count } = await tx.auditEvent.deleteMany({ where: { seq: { lte: last.seq } } });
  await tx.$queryRaw`SELECT set_config('audit.purge', 'off', true)`;
  await tx.auditChainHead.update({ where: { id: 1 }, data: { prunedToSeq: last.seq, prunedToHash: last.hash } });
  return count;
}
