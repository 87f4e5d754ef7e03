/**
 * Whether a graphql-shield rule says exactly `true` for an object, without
 * shield's machinery around it: object-decisions.ts asks this for each object
 * of a list (100 points of a history page), where a chain (an API-key scope
 * gate in front of a type's rule) costs shield an array, a closure and
 * several promises per object per rule (about a tenth of a history page's CPU,
 * issue 18).
 *
 * Only `true` matters there: anything else leaves the object to shield, which
 * then finds and reports its own answer. So this understands the rules whose
 * truth is plain (a rule with `no_cache` or `contextual` caching, and/chain of
 * such, allow, deny) and says `null` for anything else (or, not, race, strict
 * caching), which keeps shield's own resolve. Contextual results share
 * shield's per-request cache, so each is still evaluated once per request.
 */
import { allow, and, chain, deny, rule } from 'graphql-shield';

/** `(parent, ctx, info)` → exactly true? (a thrown error or any other answer is false). */
export type Truth = (parent: unknown, ctx: unknown, info: unknown) => boolean | Promise<boolean>;

type ShieldCtx = { _shield?: { cache: Record<string, unknown> } };
type RuleFunc = (parent: unknown, args: Record<string, unknown>, ctx: unknown, info: unknown) => unknown;

// The classes graphql-shield does not export, from the values its constructors return.
const RuleClass = rule('rule-truth.probe')(() => true).constructor;
const AndClass = and(allow, allow).constructor;
const ChainClass = chain(allow, allow).constructor;
const NO_ARGS = Object.freeze({}) as Record<string, unknown>;

const isTrue = (value: unknown): boolean | Promise<boolean> =>
  value !== null && typeof (value as Promise<unknown>)?.then === 'function'
    ? (value as Promise<unknown>).then(
        (v) => v === true,
        () => false,
      )
    : value === true;

/** The truth of `r` as a plain function, or null when only shield's own resolve knows it. */
export function truthOf(r: unknown): Truth | null {
  if (r === allow) return () => true;
  if (r === deny) return () => false;
  if (r instanceof RuleClass) {
    const { name, func, cache } = r as unknown as { name: string; func: RuleFunc; cache: unknown };
    const safely = (parent: unknown, ctx: unknown, info: unknown) => {
      try {
        return func(parent, NO_ARGS, ctx, info);
      } catch {
        return false;
      }
    };
    if (cache === 'no_cache') return (parent, ctx, info) => isTrue(safely(parent, ctx, info));
    if (cache === 'contextual') {
      return (parent, ctx, info) => {
        const shieldCache = ((ctx as ShieldCtx)._shield ??= { cache: {} }).cache;
        // As shield's writeToCache: a falsy cached answer is asked again.
        if (!shieldCache[name]) shieldCache[name] = safely(parent, ctx, info);
        return isTrue(shieldCache[name]);
      };
    }
    return null;
  }
  if (r instanceof AndClass || r instanceof ChainClass) {
    const parts = (r as unknown as { getRules(): unknown[] }).getRules().map(truthOf);
    if (parts.some((p) => p === null)) return null;
    const truths = parts as Truth[];
    // All must be true; stop at the first that is not (which answer shield reports does not matter here).
    const from = (i: number, parent: unknown, ctx: unknown, info: unknown): boolean | Promise<boolean> => {
      for (; i < truths.length; i++) {
        const t = truths[i](parent, ctx, info);
        if (t === false) return false;
        if (t !== true) return t.then((ok) => ok && from(i + 1, parent, ctx, info));
      }
      return true;
    };
    return (parent, ctx, info) => from(0, parent, ctx, info);
  }
  return null;
}
