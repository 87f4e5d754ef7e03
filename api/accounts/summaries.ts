/**
 * What one account may see of another (id and names, no contact data), by
 * account id, batched per request into one statement. An account that no
 * longer exists (records outlive erasure) has no names. Used by Device.owner
 * and by plugins (audit, rights, retention) through schema/plugin-api.ts.
 */
import type { Context } from '../context';

export interface AccountSummary {
  id: string;
  givenName: string | null;
  familyName: string | null;
}

export function accountSummary(ctx: Context, id: string): Promise<AccountSummary> {
  return ctx
    .loader<string, AccountSummary>('account.summary', async (ids) => {
      const rows = await ctx.app.prisma.account.findMany({
        where: { id: { in: [...ids] } },
        select: { id: true, givenName: true, familyName: true },
      });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((i) => byId.get(i) ?? { id: i, givenName: null, familyName: null });
    })
    .load(id);
}

/** `value` when it is an account row with the summary's fields loaded (e.g. joined with a device), else null. */
export function loadedSummary(value: unknown): AccountSummary | null {
  return value !== null && typeof value === 'object' && 'id' in value && 'givenName' in value && 'familyName' in value
    ? (value as AccountSummary)
    : null;
}
