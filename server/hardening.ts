/**
 * Limits on what one operation may ask for (graphql-armor): depth, aliases,
 * estimated cost and tokens. They run in validation, so they hold for HTTP,
 * SSE and WebSocket operations alike. In production, field suggestions are
 * not returned in errors (they reveal the schema to probes).
 *
 * CSRF: the API authenticates with bearer tokens in headers, never cookies,
 * so a browser cannot be tricked into sending credentials cross-site.
 */
import type { Plugin } from 'graphql-yoga';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import type { Config } from '../api/config';

export const OPERATION_LIMITS = { depth: 10, aliases: 15, cost: 5000, tokens: 2000 };

export function hardeningPlugins(config: Config): Plugin[] {
  const plugins = [
    maxDepthPlugin({ n: OPERATION_LIMITS.depth, ignoreIntrospection: true, flattenFragments: true }),
    maxAliasesPlugin({ n: OPERATION_LIMITS.aliases }),
    costLimitPlugin({ maxCost: OPERATION_LIMITS.cost, ignoreIntrospection: true }),
    maxTokensPlugin({ n: OPERATION_LIMITS.tokens }),
  ] as Plugin[];
  if (config.env === 'production') plugins.push(blockFieldSuggestionsPlugin() as Plugin);
  return plugins;
}
