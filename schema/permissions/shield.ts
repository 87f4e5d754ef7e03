/**
 * Applies the merged rule map with graphql-shield: deny by default (a field
 * without a rule is FORBIDDEN), our coded errors pass through unchanged.
 */
import type { GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { shield, deny } from 'graphql-shield';
import { AppError } from '../../api/errors';
import type { IRules, RuleMap } from './kit';
import { NOT_REDACTED, redactedValue } from './redaction';

export function applyPermissions(schema: GraphQLSchema, rules: RuleMap): GraphQLSchema {
  // Rules for types this build does not have (e.g. a connection no enabled
  // plugin uses) are dropped; every type that does exist keeps deny-by-default.
  const present = Object.fromEntries(Object.entries(rules).filter(([type]) => schema.getType(type)));
  const permissions = shield(present as IRules, {
    fallbackRule: deny,
    allowExternalErrors: true,
    debug: false,
    // A denied redaction rule (redaction.ts) resolves to its empty value instead of an error.
    fallbackError: ((thrown: unknown, _parent: unknown, _args: unknown, _ctx: unknown, info: GraphQLResolveInfo) => {
      const redacted = thrown ? NOT_REDACTED : redactedValue(present as RuleMap, info);
      return redacted === NOT_REDACTED ? new AppError('FORBIDDEN', 'You may not do this.') : redacted;
    }) as unknown as () => Error,
  });
  return applyMiddleware(schema, permissions);
}
