/**
 * The audit service as other modules see it. The audit plugin publishes it in
 * app.registry under AUDIT_SERVICE; everyone else looks it up here, so no
 * plugin imports another. When the audit plugin is off, recording is a no-op.
 */
import type { AppServices } from './context';
import type { Actor, Tx } from './events';

export const AUDIT_SERVICE = 'audit';

export interface AuditEntry {
  /** e.g. account.read, data.exported, account.erased, retention.purged */
  action: string;
  actor: Actor;
  /** Plain account id (no foreign key): the log outlives erased accounts. */
  subjectAccountId?: string | null;
  accessCaseId?: string | null;
  /** JSON-safe details; never passwords, tokens, personal codes, IBANs or coordinates. */
  details?: Record<string, unknown>;
}

export interface AuditService {
  /** Appends an event inside the caller's transaction, so it commits or rolls back with the change it records. */
  record(tx: Tx, entry: AuditEntry): Promise<void>;
  /** Deletes up to `limit` of the oldest events older than `before` (retention); returns how many. */
  purgeBefore(tx: Tx, before: Date, limit: number): Promise<number>;
  /** Counts the events a purge before `before` would delete. */
  countBefore(before: Date): Promise<number>;
}

export function auditService(app: AppServices): AuditService | null {
  return (app.registry.get(AUDIT_SERVICE) as AuditService | undefined) ?? null;
}

/** Records when the audit plugin is on; does nothing otherwise. */
export async function recordAudit(app: AppServices, tx: Tx, entry: AuditEntry): Promise<void> {
  await auditService(app)?.record(tx, entry);
}
