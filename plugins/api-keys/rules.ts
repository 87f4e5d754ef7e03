/**
 * Who may manage API keys: a signed-in account, for its own keys (resolvers
 * scope every query to the viewer's account). API keys themselves cannot
 * manage keys: these fields are not in any apiScopes map, so the scope gate
 * (schema/permissions/api-scopes.ts) refuses them to keys.
 */
import { allow, isAccount, type RuleMap } from '../../schema/plugin-api';

export const apiKeyRules: RuleMap = {
  Query: { apiKeys: isAccount },
  Mutation: { createApiKey: isAccount, revokeApiKey: isAccount },
  ApiKey: allow,
  ApiKeyCreated: allow,
};
