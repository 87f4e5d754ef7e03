/**
 * Deciding once per object where a type's fields all share one rule (e.g.
 * LocationPoint: canSeePoint), or most of them a field map's '*' rule (e.g.
 * Device: canSeeDevice), instead of once per field: graphql-shield wraps
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
import { allow, type Rule, type RuleMap } from './kit';
import { truthOf, type Truth } from './rule-truth';

interface ResolvableRule {
  resolve(parent: unknown, args: Record<string, unknown>, ctx: unknown, info: unknown, options: unknown): Promise<unknown>;
}

const DECISIONS = 'objectDecisions';

/**
 * Objects of this request whose rule of the type said `true`, under `key` (one per type: one row may be returned
 * as two types with different rules) in the context's memo, so cleared with it.
 */
function decided(ctx: unknown, key: string): WeakSet<object> {
  const memo = (ctx as { memo?: Map<string, unknown> }).memo;
  if (!memo) return new WeakSet();
  let set = memo.get(key) as WeakSet<object> | undefined;
  if (!set) {
    set = new WeakSet();
    memo.set(key, set);
  }
  return set;
}

const decisionsKey = (typeName: string) => `${DECISIONS}:${typeName}`;

const IMPLIED = Symbol('impliedByTypeRule');

/**
 * Marks a field rule that allows at least whatever its type's '*' rule allows (e.g. Device.name: anyone who may
 * see the device, and also a grant's parties after it ended). An object the '*' rule allowed then resolves that
 * field directly too; anyone else still goes through the field's own rule.
 */
export function impliedByTypeRule<R extends Rule>(rule: R): R {
  (rule as unknown as Record<symbol, boolean>)[IMPLIED] = true;
  return rule;
}

interface TypeDecision {
  rule: ResolvableRule;
  /** Fields an allowed object resolves directly: all of them, or those the '*' rule covers or implies. */
  covers(field: string): boolean;
}

/**
 * The rule every field of the type has, or a field map's '*' rule with the fields it covers: those without a
 * rule of their own, and those whose own rule is impliedByTypeRule. A field with any other rule of its own (a
 * redaction, an API-key scope gate, a narrower rule) keeps going through shield.
 */
function typeDecision(rules: RuleMap, typeName: string): TypeDecision | null {
  const r = rules[typeName] as unknown;
  if (!r || typeof r !== 'object') return null;
  if (typeof (r as { resolve?: unknown }).resolve === 'function') return { rule: r as ResolvableRule, covers: () => true };
  const fields = r as Record<string, Rule>;
  const wide = fields['*'] as unknown as ResolvableRule | undefined;
  if (!wide || typeof wide.resolve !== 'function') return null;
  return {
    rule: wide,
    covers: (field) => {
      const own = fields[field] as unknown as Record<symbol, boolean> | undefined;
      return own === undefined || own[IMPLIED] === true;
    },
  };
}

/**
 * Adds the shortcut to `guarded` (the schema shield returned) in place. `declared` is the schema before shield,
 * whose resolvers the shortcut calls; `shieldOptions` are passed to rules as shield passes them.
 */
export function decideOncePerObject(guarded: GraphQLSchema, declared: GraphQLSchema, rules: RuleMap, shieldOptions: object): void {
  const decisions = new Map<string, TypeDecision>();
  for (const type of Object.values(guarded.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    // A type whose one rule is `allow` (connections, edges, payloads) has nothing to decide: its fields resolve
    // without shield's middleware at all (with a scope gate chained in front it is no longer `allow`).
    if (rules[type.name] === allow) {
      openType(type, declared.getType(type.name));
      continue;
    }
    const decision = typeDecision(rules, type.name);
    if (!decision) continue;
    decisions.set(type.name, decision);
  }
  if (decisions.size === 0) return;

  // Fields of those types: resolved without shield's middleware when their object is decided.
  for (const [typeName, decision] of decisions) {
    const type = guarded.getType(typeName) as GraphQLObjectType;
    const plain = declared.getType(typeName) as GraphQLObjectType | undefined;
    if (!plain) continue;
    const key = decisionsKey(typeName);
    for (const [fieldName, field] of Object.entries(type.getFields())) {
      if (field.args.length > 0 || !decision.covers(fieldName)) continue;
      const shielded = field.resolve ?? defaultFieldResolver;
      const original: GraphQLFieldResolver<unknown, unknown> = plain.getFields()[fieldName]?.resolve ?? defaultFieldResolver;
      field.resolve = (parent, args, ctx, info) =>
        parent !== null && typeof parent === 'object' && decided(ctx, key).has(parent)
          ? original(parent, args, ctx, info)
          : shielded(parent, args, ctx, info);
    }
  }

  // Fields returning those types (directly or as a list): decide for each returned object once.
  for (const type of Object.values(guarded.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const typeName = getNamedType(field.type).name;
      const rule = decisions.get(typeName)?.rule;
      if (!rule || !isObjectType(getNamedType(field.type))) continue;
      const key = decisionsKey(typeName);
      const truth = truthOf(rule) ?? shieldTruth(rule, shieldOptions);
      const inner = field.resolve ?? defaultFieldResolver;
      field.resolve = async (parent, args, ctx, info) => {
        const value = await inner(parent, args, ctx, info);
        const deciding = decide(value, key, truth, ctx, info);
        if (deciding) await deciding;
        return value;
      };
    }
  }
}

function openType(guarded: GraphQLObjectType, plain: unknown): void {
  if (!isObjectType(plain)) return;
  const declaredFields = plain.getFields();
  for (const [name, field] of Object.entries(guarded.getFields())) field.resolve = declaredFields[name]?.resolve ?? defaultFieldResolver;
}

/** The rule's truth through shield's own resolve (rules rule-truth.ts does not understand). */
function shieldTruth(rule: ResolvableRule, options: object): Truth {
  return async (parent, ctx, info) => {
    const shieldCtx = ctx as { _shield?: { cache: Record<string, unknown> } };
    shieldCtx._shield ??= { cache: {} };
    try {
      return (await rule.resolve(parent, {}, ctx, info, options)) === true;
    } catch {
      return false; // Undecided: the fields go through shield, which reports it.
    }
  };
}

/** Decides each object; a promise only when some rule had to wait (the objects known at once are decided already). */
function decide(value: unknown, key: string, truth: Truth, ctx: unknown, info: unknown): Promise<unknown> | undefined {
  if (value === null || typeof value !== 'object' || value instanceof Error) return undefined;
  if (Array.isArray(value)) {
    let waiting: Promise<unknown>[] | undefined;
    for (const v of value) {
      const deciding = decide(v, key, truth, ctx, info);
      if (deciding) (waiting ??= []).push(deciding);
    }
    return waiting && Promise.all(waiting);
  }
  const t = truth(value, ctx, info);
  if (t === true) decided(ctx, key).add(value);
  else if (t !== false) return t.then((ok) => ok && decided(ctx, key).add(value));
  return undefined;
}
