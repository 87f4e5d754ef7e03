/**
 * Access decisions that depend on data, shared by the rule map and by the
 * places graphql-shield does not reach (subscriptions). Plugins widen them
 * through registered access policies (e.g. staff with an open access case),
 * never by editing core.
 */
import type { AccountAccessPolicy, AppServices, Context } from '../context';

export type { AccountAccessPolicy } from '../context';

/** Plugins call this in setup() to let more viewers read an account's data. */
export function registerAccountAccessPolicy(app: Pick<AppServices, 'extensions'>, policy: AccountAccessPolicy) {
  app.extensions.accountAccessPolicies.push(policy);
}

/** The owner always; others only through a registered policy. Cached per request and account. */
export async function accountReadable(ctx: Context, accountId: string): Promise<boolean> {
  if (ctx.viewer.kind === 'account' && ctx.viewer.accountId === accountId) return true;
  if (ctx.viewer.kind !== 'account') return false;
  const key = `accountReadable:${accountId}`;
  if (!ctx.memo.has(key)) {
    const policies = ctx.app.extensions.accountAccessPolicies;
    ctx.memo.set(
      key,
      (async () => {
        for (const p of policies) if (await p(ctx, accountId)) return true;
        return false;
      })(),
    );
  }
  return (await ctx.memo.get(key)) as boolean;
}
