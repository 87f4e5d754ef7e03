/**
 * Builds the GraphQL schema from core types and the given plugins, and the
 * rule map that guards it. The same function serves the server, the schema
 * printer and the tests (with no plugins, each alone, or all).
 */
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import type { PluginDefinition } from './plugin-api';
import { mergeRuleMaps, type RuleMap } from './permissions/kit';
import { coreRules } from './permissions/core-rules';
import { applyPermissions } from './permissions/shield';
import { coreApiScopes, withApiScopes } from './permissions/api-scopes';
import { createBuilder } from './builder';
import { createCoreRefs, type CoreRefs } from './core-refs';
import { checkPurposes, type ProcessingPurposeDefinition } from '../api/consent/purposes';
import { corePurposes } from '../api/consent/core-purposes';
import { addCoreTypes } from './core-types';

export interface BuiltSchema {
  /** The executable schema with permissions applied. */
  schema: GraphQLSchema;
  /** The schema as declared (for printing and codegen). */
  declared: GraphQLSchema;
  rules: RuleMap;
  purposes: ProcessingPurposeDefinition[];
  refs: CoreRefs;
}

export function buildSchema(plugins: PluginDefinition[]): BuiltSchema {
  const builder = createBuilder();
  const refs = createCoreRefs(builder);
  const purposes = [...corePurposes, ...plugins.flatMap((p) => p.purposes ?? [])];
  checkPurposes(purposes);
  addCoreTypes(builder, refs, purposes);
  for (const plugin of plugins) plugin.schema?.(builder, refs);
  const declared = builder.toSchema({ sortSchema: true });
  const merged = mergeRuleMaps(coreRules(), ...plugins.map((p) => (typeof p.rules === 'function' ? p.rules(refs) : (p.rules ?? {}))));
  // API keys: scope gates in front of the rules (root fields not listed are refused to keys).
  const rules = withApiScopes(merged, declared, Object.assign({}, coreApiScopes, ...plugins.map((p) => p.apiScopes ?? {})));
  return { schema: applyPermissions(declared, rules), declared, rules, purposes, refs };
}

export function printBuiltSchema(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}
