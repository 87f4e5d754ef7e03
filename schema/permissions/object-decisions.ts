/**
 * Deciding once per object where a type's fields all share one rule (e.g.
 * LocationPoint: canSeePoint), instead of once per field: graphql-shield wraps
 * every field with an async middleware, which on a page of 100 points is 1,100
 * rule calls and several promises each (issue 18).
 *
 * Shield stays the guard of every field. This only adds a shortcut: where a
 * field returns objects of such a type, their rule is evaluated right after the
 * field resolved them, and an object whose decision was `true` then has its
 * argument-free fields resolved directly. Anything else (a denial, an error, a
 * field with arguments, an object reached through an interface or union the
 * shortcut does not see) goes through shield exactly as before, which finds the
 * same decision in the rule's per-request memo.
 */
import {
  defaultFieldResolver,
  getNamedType,
  isObjectType,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { Rule, RuleMap } from './kit';

interface ResolvableRule {
  resolve(parent: unknown, args: Record<string, unknown>, ctx: unknown, info: unknown, options: unknown): Promise<unknown>;
}

const DECISIONS = 'objectDecisions';

/** Objects of this request whose type rule said `true` (a WeakMap in the context's memo: cleared with it). */
function decided(ctx: unknown): WeakSet<object> {
  const memo = (ctx as { memo?: Map<string, unknown> }).memo;
  if (!memo) return new WeakSet();
  let set = memo.get(DECISIONS) as WeakSet<object> | undefined;
  if (!set) {
    set = new WeakSet();
    memo.set(DECISIONS, set);
  }
  return set;
}

/** The one rule every field of the type has, or null (field maps with more than '*' keep per-field rules). */
function typeWideRule(rules: RuleMap, typeName: string): ResolvableRule | null {
  const r = rules[typeName] as unknown;
  if (!r || typeof r !== 'object') return null;
  if (typeof (r as { resolve?: unknown }).resolve === 'function') return r as ResolvableRule;
  const keys = Object.keys(r);
  if (keys.length === 1 && keys[0] === '*') return (r as Record<string, Rule>)['*'] as unknown as ResolvableRule;
  return null;
}

/**
 * Adds the shortcut to `guarded` (the schema shield returned) in place. `declared` is the schema before shield,
 * whose resolvers the shortcut calls; `shieldOptions` are passed to rules as shield passes them.
 */
export function decideOncePerObject(guarded: GraphQLSchema, declared: GraphQLSchema, rules: RuleMap, shieldOptions: object): void {
  const typeRules = new Map<string, ResolvableRule>();
  for (const type of Object.values(guarded.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const rule = typeWideRule(rules, type.name);
    if (rule) typeRules.set(type.name, rule);
  }
  if (typeRules.size === 0) return;

  // Fields of those types: resolved without shield's middleware when their object is decided.
  for (const [typeName, _rule] of typeRules) {
    const type = guarded.getType(typeName) as GraphQLObjectType;
    const plain = declared.getType(typeName) as GraphQLObjectType | undefined;
    if (!plain) continue;
    for (const [fieldName, field] of Object.entries(type.getFields())) {
      if (field.args.length > 0) continue;
      const shielded = field.resolve ?? defaultFieldResolver;
      const original: GraphQLFieldResolver<unknown, unknown> = plain.getFields()[fieldName]?.resolve ?? defaultFieldResolver;
      field.resolve = (parent, args, ctx, info) =>
        parent !== null && typeof parent === 'object' && decided(ctx).has(parent)
          ? original(parent, args, ctx, info)
          : shielded(parent, args, ctx, info);
    }
  }

  // Fields returning those types (directly or as a list): decide for each returned object once.
  for (const type of Object.values(guarded.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const rule = typeRules.get(getNamedType(field.type).name);
      if (!rule || !isObjectType(getNamedType(field.type))) continue;
      const inner = field.resolve ?? defaultFieldResolver;
      field.resolve = async (parent, args, ctx, info) => {
        const value = await inner(parent, args, ctx, info);
        await decide(value, rule, ctx, info, shieldOptions);
        return value;
      };
    }
  }
}

async function decide(value: unknown, rule: ResolvableRule, ctx: unknown, info: unknown, options: object): Promise<void> {
  if (value === null || typeof value !== 'object' || value instanceof Error) return;
  if (Array.isArray(value)) {
    await Promise.all(value.map((v) => decide(v, rule, ctx, info, options)));
    return;
  }
  const shieldCtx = ctx as { _shield?: { cache: Record<string, unknown> } };
  shieldCtx._shield ??= { cache: {} };
  try {
    if ((await rule.resolve(value, {}, ctx, info, options)) === true) decided(ctx).add(value);
  } catch {
    // Undecided: the fields go through shield, which reports it.
  }
}
