/**
 * Scope rules for API keys, applied on top of the rule map (shield), so the
 * existing rules still decide what the key's account may do and the scope
 * only narrows it further.
 *
 * - Every root field (Query, Mutation, Subscription) an API key may call is
 *   listed here (core) or in a plugin's `apiScopes`, with the scope it needs
 *   ('ANY' = any key). Root fields not listed are refused to API keys:
 *   sign-in, account deletion, consents, staff operations, key management.
 * - Listed non-root fields (e.g. 'LocationPoint.*') need the scope wherever
 *   they appear (a device list's lastLocation needs LOCATIONS_READ too).
 * Viewers without an API key pass every scope rule.
 */
import type { GraphQLSchema } from 'graphql';
import { isObjectType } from 'graphql';
import { chain, defineRule, type FieldRules, type Rule, type RuleMap } from './kit';
import { isRedaction } from './redaction';
import { scopeAllows, type ApiScope } from '../../api/auth/api-scopes';
import { forbidden } from '../../api/errors';

export type ApiScopeMap = Record<string, ApiScope | 'ANY'>;

export const coreApiScopes: ApiScopeMap = {
  'Query.me': 'ANY',
  'Query.node': 'ANY',
  'Query.currentPolicy': 'ANY',
  'Query.policyDocuments': 'ANY',
  'Query.processingPurposes': 'ANY',
  'Query.devices': 'DEVICES_READ',
  'Query.device': 'DEVICES_READ',
  'Query.sharedDevices': 'DEVICES_READ',
  'Query.sharedLocation': 'ANY',
  'Query.receivedSharingGrants': 'SHARING_MANAGE',
  'Mutation.recordLocations': 'LOCATIONS_WRITE',
  'Mutation.grantSharing': 'SHARING_MANAGE',
  'Mutation.revokeSharing': 'SHARING_MANAGE',
  'Mutation.createShareLink': 'SHARING_MANAGE',
  'Mutation.revokeShareLink': 'SHARING_MANAGE',
  'Subscription.locationUpdated': 'LOCATIONS_READ',
  'Subscription.sharingGrantChanged': 'SHARING_MANAGE',
  'Subscription.sharedLocationUpdated': 'ANY',
  'LocationPoint.*': 'LOCATIONS_READ',
  'Device.track': 'LOCATIONS_READ',
};

const ROOT_TYPES = ['Query', 'Mutation', 'Subscription'];
const scopeRules = new Map<string, Rule>();

function scopeRule(scope: ApiScope | 'ANY' | null): Rule {
  const key = scope ?? 'NONE';
  let r = scopeRules.get(key);
  if (!r) {
    r = defineRule(
      `apiScope:${key}`,
      (_p, _a, ctx) => {
        const apiKey = ctx.viewer.kind === 'account' ? ctx.viewer.apiKey : undefined;
        if (!apiKey || scope === 'ANY') return true;
        if (scope === null) return forbidden('API keys may not call this operation.');
        return scopeAllows(ctx.viewer, scope) || forbidden(`This API key lacks the ${scope} scope.`);
      },
      'contextual',
    );
    scopeRules.set(key, r);
  }
  return r;
}

function isFieldRules(x: unknown): x is FieldRules {
  return typeof x === 'object' && x !== null && typeof (x as { resolve?: unknown }).resolve !== 'function';
}

/** The rule map with scope gates put in front of the listed fields and of every root field. */
export function withApiScopes(rules: RuleMap, schema: GraphQLSchema, scopes: ApiScopeMap): RuleMap {
  const out: RuleMap = { ...rules };
  const gate = (type: string, field: string, scope: ApiScope | 'ANY' | null) => {
    const current = out[type];
    const fields: FieldRules = isFieldRules(current) ? { ...current } : current ? { '*': current } : {};
    const existing = fields[field] ?? fields['*'];
    // No rule: denied anyway. Redactions must stay the field's whole rule (redaction.ts).
    if (!existing || isRedaction(existing)) return;
    fields[field] = chain(scopeRule(scope), existing);
    out[type] = fields;
  };
  for (const typeName of Object.keys(schema.getTypeMap())) {
    const type = schema.getType(typeName);
    if (!isObjectType(type) || typeName.startsWith('__')) continue;
    const root = ROOT_TYPES.includes(typeName);
    const all = scopes[`${typeName}.*`];
    const fields = Object.keys(type.getFields());
    const current = out[typeName];
    if (all && !root && current && !isFieldRules(current) && !fields.some((f) => scopes[`${typeName}.${f}`])) {
      // One rule for the whole type stays one (object-decisions.ts decides it once per object).
      out[typeName] = chain(scopeRule(all), current);
      continue;
    }
    for (const field of fields) {
      const scope = scopes[`${typeName}.${field}`] ?? all;
      if (scope) gate(typeName, field, scope);
      else if (root) gate(typeName, field, null);
    }
  }
  return out;
}
