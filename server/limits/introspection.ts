/**
 * Introspection (`__schema`, `__type`) is a map of the whole API for a probe.
 * It is off by default in production (INTROSPECTION=on allows it, e.g. for an
 * internal deployment); the printed schema is public in the repository anyway,
 * but an anonymous production endpoint need not hand it out. GraphiQL, which
 * needs introspection, is off whenever introspection is.
 */
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export function disableIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}
