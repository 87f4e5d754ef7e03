/**
 * Limits on the shape of one operation (graphql-armor): depth, aliases and
 * tokens. They run in parsing and validation, so they hold for HTTP, SSE and
 * WebSocket operations alike. Cost is estimated from variable values and real
 * page sizes in server/limits/cost.ts (armor's estimate ignored variables). In production, field suggestions are
 * not returned in errors (they reveal the schema to probes).
 *
 * CSRF: the API authenticates with bearer tokens in headers, never cookies,
 * so a browser cannot be tricked into sending credentials cross-site.
 */
import type { Plugin } from 'graphql-yoga';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import type { Config } from '../api/config';

export const OPERATION_LIMITS = { depth: 10, aliases: 15, tokens: 2000 };

export function hardeningPlugins(config: Config): Plugin[] {
  const plugins = [
    maxDepthPlugin({ n: OPERATION_LIMITS.depth, ignoreIntrospection: true, flattenFragments: true }),
    maxAliasesPlugin({ n: OPERATION_LIMITS.aliases }),
    maxTokensPlugin({ n: OPERATION_LIMITS.tokens }),
  ] as Plugin[];
  if (config.env === 'production') plugins.push(blockFieldSuggestionsPlugin() as Plugin);
  return plugins;
}
