/**
 * Access decisions that depend on data, shared by the rule map and by the
 * places graphql-shield does not reach (subscriptions). Plugins widen them
 * through registered access policies (e.g. staff with an open access case),
 * never by editing core.
 */
import type { AccessScope, AccountAccessPolicy, AppServices, Context } from '../context';

export type { AccessScope, AccountAccessPolicy } from '../context';

/** Plugins call this in setup() to let more viewers read an account's data. */
export function registerAccountAccessPolicy(app: Pick<AppServices, 'extensions'>, policy: AccountAccessPolicy) {
  app.extensions.accountAccessPolicies.push(policy);
}

const admittedKey = (accountId: string) => `accountReadable:admitted:${accountId}`;
const readableKey = (scope: AccessScope, accountId: string) => `accountReadable:${scope}:${accountId}`;

/**
 * For the rest of this request the viewer may read the account's profile as
 * its owner would: used where a single-use token mailed to the account proves
 * who is asking (verifyEmail answers with the account, also when the link is
 * opened without signing in).
 */
export function admitForThisRequest(ctx: Context, accountId: string) {
  ctx.memo.set(admittedKey(accountId), true);
}

/** Tells accountReadable the answer for this request (a live delivery reuses its stream's last check). */
export function primeAccountReadable(ctx: Context, accountId: string, scope: AccessScope, readable: boolean) {
  ctx.memo.set(readableKey(scope, accountId), Promise.resolve(readable));
}

/**
 * The owner always; others only through a registered policy, for the given
 * scope (PROFILE: profile and devices; LOCATIONS: location history;
 * UNMASKED: personal code and IBAN in clear). Cached per request, account and scope.
 */
export async function accountReadable(ctx: Context, accountId: string, scope: AccessScope = 'PROFILE'): Promise<boolean> {
  if (ctx.viewer.kind === 'account' && ctx.viewer.accountId === accountId) return true;
  if (scope === 'PROFILE' && ctx.memo.get(admittedKey(accountId)) === true) return true;
  if (ctx.viewer.kind !== 'account') return false;
  const key = readableKey(scope, accountId);
  if (!ctx.memo.has(key)) {
    const policies = ctx.app.extensions.accountAccessPolicies;
    ctx.memo.set(
      key,
      (async () => {
        for (const p of policies) if (await p(ctx, accountId, scope)) return true;
        return false;
      })(),
    );
  }
  return (await ctx.memo.get(key)) as boolean;
}
