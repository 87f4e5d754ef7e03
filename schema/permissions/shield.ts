/**
 * Applies the merged rule map with graphql-shield: deny by default (a field
 * without a rule is FORBIDDEN), our coded errors pass through unchanged.
 * Where a type's fields all share one rule it is decided once per object
 * (object-decisions.ts).
 */
import type { GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { shield, deny } from 'graphql-shield';
import { AppError } from '../../api/errors';
import type { IRules, RuleMap } from './kit';
import { NOT_REDACTED, redactedValue } from './redaction';
import { decideOncePerObject } from './object-decisions';

export function applyPermissions(schema: GraphQLSchema, rules: RuleMap): GraphQLSchema {
  // Rules for types this build does not have (e.g. a connection no enabled
  // plugin uses) are dropped; every type that does exist keeps deny-by-default.
  const present = Object.fromEntries(Object.entries(rules).filter(([type]) => schema.getType(type)));
  const options = {
    fallbackRule: deny,
    allowExternalErrors: true,
    debug: false,
    // A denied redaction rule (redaction.ts) resolves to its empty value instead of an error.
    fallbackError: ((thrown: unknown, _parent: unknown, _args: unknown, _ctx: unknown, info: GraphQLResolveInfo) => {
      const redacted = thrown ? NOT_REDACTED : redactedValue(present as RuleMap, info);
      return redacted === NOT_REDACTED ? new AppError('FORBIDDEN', 'You may not do this.') : redacted;
    }) as unknown as () => Error,
  };
  const guarded = applyMiddleware(schema, shield(present as IRules, options));
  // Types whose fields share one rule: decided once per object, not per field (object-decisions.ts).
  decideOncePerObject(guarded, schema, present as RuleMap, options);
  return guarded;
}
