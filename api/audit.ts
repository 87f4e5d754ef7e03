/**
 * The audit service as other modules see it. The audit plugin publishes it as
 * app.extensions.audit; everyone else looks it up here, so no
 * plugin imports another. When the audit plugin is off, recording is a no-op.
 */
import type { AppServices, AuditEntry, AuditService } from './context';
import type { Tx } from './events';

export type { AuditEntry, AuditService } from './context';

export function auditService(app: AppServices): AuditService | null {
  return app.extensions.audit ?? null;
}

/** Records when the audit plugin is on; does nothing otherwise. */
export async function recordAudit(app: AppServices, tx: Tx, entry: AuditEntry): Promise<void> {
  await auditService(app)?.record(tx, entry);
}
