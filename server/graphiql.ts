/**
 * GraphiQL with every asset inlined from @graphql-yoga/render-graphiql (JS,
 * CSS, editor workers, favicon), so the page works offline and loads nothing
 * from a CDN (Yoga's default page pulls them from unpkg). The page is large
 * (~9 MB), so it is rendered once per set of options and cached.
 */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';

const cache = new Map<string, string>();

export function offlineGraphiQL(options?: GraphiQLOptions): string {
  const key = JSON.stringify(options ?? {});
  let html = cache.get(key);
  if (!html) {
    html = renderGraphiQL(options);
    cache.set(key, html);
  }
  return html;
}
