/**
 * Redaction: fields that every viewer of an object may ask for, but whose
 * value is empty (null or []) unless a condition holds, e.g. Device.identifier
 * ("owner and staff only, null for others") or Device.sharingGrants ("owner
 * only, empty for others").
 *
 * The decision stays in the rule map: a redaction is a graphql-shield rule
 * placed on the field, and its empty value is produced by shield's fallback
 * (see shield.ts) instead of a FORBIDDEN error. Resolvers stay unaware.
 *
 * HOW TO USE (in a rule map, core or plugin):
 *
 *   import { redactUnless } from '../redaction';
 *   const ownerOnly = (device, args, ctx) => ...;   // true = show the value
 *   export const rules: RuleMap = {
 *     Device: {
 *       '*': canSeeDevice,
 *       identifier: redactUnless('Device.identifier', isOwnerOrStaff, null),
 *       sharingGrants: redactUnless('Device.sharingGrants', isOwner, []),
 *     },
 *   };
 *
 * - The name must be unique (graphql-shield rejects two rules of one name).
 * - Use the redaction as the field's whole rule (not inside and()/or()).
 *   The field rule replaces the type's '*' rule for that field, so fold any
 *   visibility condition of the parent into the predicate if it matters; for
 *   Device the parent is only ever resolved for viewers canSeeDevice admits.
 * - The predicate returns true to show the value. Anything else (false, an
 *   error, a throw) yields the empty value: redaction fails closed.
 * - Keep the predicate batched/cached (e.g. deviceAccess): it runs per object.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { defineRule, type Predicate, type Rule, type RuleMap } from './kit';

/** The value a redacted field resolves to: null, or an empty list (fresh each time). */
export type EmptyValue = null | [];

const redactions = new WeakMap<object, EmptyValue>();

/** A rule that shows the field when `show` holds and otherwise resolves it to `empty`. */
export function redactUnless<P = unknown, A = Record<string, unknown>>(name: string, show: Predicate<P, A>, empty: EmptyValue): Rule {
  const r = defineRule<P, A>(`redact:${name}`, async (parent, args, ctx, info) => (await show(parent, args, ctx, info)) === true);
  redactions.set(r as object, empty);
  return r;
}

/** Whether a rule is a redaction (it must stay a field's whole rule; see api-scopes.ts). */
export function isRedaction(r: unknown): boolean {
  return typeof r === 'object' && r !== null && redactions.has(r);
}

const NOT_REDACTED = Symbol('not redacted');

/**
 * What a denied field resolves to when its rule is a redaction (called from
 * shield's fallback), or NOT_REDACTED when it is an ordinary denial.
 */
export function redactedValue(rules: RuleMap, info: GraphQLResolveInfo): EmptyValue | typeof NOT_REDACTED {
  const typeRules = rules[info.parentType.name];
  if (!typeRules) return NOT_REDACTED;
  const fieldRule = redactions.has(typeRules as object)
    ? typeRules
    : ((typeRules as Record<string, unknown>)[info.fieldName] ?? (typeRules as Record<string, unknown>)['*']);
  if (!fieldRule || !redactions.has(fieldRule as object)) return NOT_REDACTED;
  const empty = redactions.get(fieldRule as object)!;
  return empty === null ? null : [];
}

export { NOT_REDACTED };
