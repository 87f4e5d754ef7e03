/**
 * The building blocks of authorization. Every field of the schema is covered
 * by a rule declared in a rule map (core's in core-rules.ts, a plugin's in its
 * entry); anything without a rule is denied (see shield.ts).
 *
 * Predicates are plain async functions, cached per request, so the same
 * decision can be reused where graphql-shield does not run (subscriptions).
 */
import { rule, allow, deny, and, or, not, chain, race } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
/** A rule or a logic rule (and/or/not/...), as graphql-shield accepts. */
type ShieldRule = Parameters<typeof and>[0];
import type { GraphQLResolveInfo } from 'graphql';
import type { Role } from '../../generated/prisma/enums';
import type { Context } from '../../api/context';
import { hasRole, isStaff } from '../../api/context';
import { forbidden, unauthenticated } from '../../api/errors';

export { allow, deny, and, or, not, chain, race };
export type Rule = ShieldRule;
type IRule = ShieldRule;
export type FieldRules = { [field: string]: IRule };
export type RuleMap = { [type: string]: IRule | FieldRules };
export type { IRules };

export type Predicate<P = unknown, A = Record<string, unknown>> = (
  parent: P,
  args: A,
  ctx: Context,
  info: GraphQLResolveInfo,
) => Promise<boolean | Error> | boolean | Error;

/**
 * A named rule. Caching, per request:
 * - 'object' (default): once per parent object (by its `id`) and arguments.
 *   We key on the id ourselves: graphql-shield's 'strict' mode hashes the whole
 *   parent object for every field, which `npm run bench` showed to cost more
 *   than the rules themselves on lists. Parents without an id are not cached.
 * - 'contextual': once per request (for rules that ignore parent and args).
 * - 'no_cache': every time.
 */
export function defineRule<P = unknown, A = Record<string, unknown>>(
  name: string,
  predicate: Predicate<P, A>,
  cache: 'object' | 'contextual' | 'no_cache' = 'object',
): IRule {
  const evaluate = (parent: unknown, args: Record<string, unknown>, ctx: Context, info: GraphQLResolveInfo) =>
    predicate(parent as P, args as A, ctx, info);
  if (cache !== 'object') return rule(name, { cache })((p, a, c, i) => evaluate(p, a, c as Context, i));
  return rule(name, { cache: 'no_cache' })((parent, args, context, info) => {
    const ctx = context as Context;
    const id = (parent as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') return evaluate(parent, args, ctx, info);
    const key = `rule:${name}:${id}:${Object.keys(args).length ? JSON.stringify(args) : ''}`;
    let result = ctx.memo.get(key) as ReturnType<typeof evaluate> | undefined;
    if (result === undefined) {
      // An answer known at once stays a plain value (no promise per object on a page of 100).
      result = evaluate(parent, args, ctx, info);
      ctx.memo.set(key, result);
    }
    return result;
  });
}

export const isAuthenticated = defineRule(
  'isAuthenticated',
  (_p, _a, ctx) => ctx.viewer.kind !== 'anonymous' || unauthenticated(),
  'contextual',
);

export const isAccount = defineRule('isAccount', (_p, _a, ctx) => ctx.viewer.kind === 'account' || unauthenticated(), 'contextual');

export const isDeviceToken = defineRule('isDeviceToken', (_p, _a, ctx) => ctx.viewer.kind === 'device', 'contextual');

export const isStaffMember = defineRule(
  'isStaff',
  (_p, _a, ctx) => (ctx.viewer.kind === 'anonymous' ? unauthenticated() : isStaff(ctx.viewer) || forbidden('Staff only.')),
  'contextual',
);

const roleRules = new Map<string, IRule>();
/** The viewer is an account holding one of the roles (FORBIDDEN otherwise, UNAUTHENTICATED when anonymous). */
export function hasAnyRole(...roles: Role[]): IRule {
  const key = roles.slice().sort().join('|');
  let r = roleRules.get(key);
  if (!r) {
    r = defineRule(
      `hasRole:${key}`,
      (_p, _a, ctx) =>
        ctx.viewer.kind === 'anonymous'
          ? unauthenticated()
          : hasRole(ctx.viewer, ...roles) || forbidden(`Requires role ${roles.join(' or ')}.`),
      'contextual',
    );
    roleRules.set(key, r);
  }
  return r;
}

/** Merges rule maps; a later map's field rules replace earlier ones for the same field. */
export function mergeRuleMaps(...maps: RuleMap[]): RuleMap {
  const out: Record<string, IRule | FieldRules> = {};
  for (const map of maps) {
    for (const [type, rules] of Object.entries(map)) {
      const prev = out[type];
      if (!prev || isRule(rules) || isRule(prev)) {
        if (prev && isRule(prev) && !isRule(rules)) out[type] = { '*': prev, ...(rules as FieldRules) };
        else out[type] = rules as IRule | FieldRules;
      } else {
        out[type] = { ...(prev as FieldRules), ...(rules as FieldRules) };
      }
    }
  }
  return out as RuleMap;
}

function isRule(x: unknown): x is IRule {
  return typeof x === 'object' && x !== null && typeof (x as { resolve?: unknown }).resolve === 'function';
}
