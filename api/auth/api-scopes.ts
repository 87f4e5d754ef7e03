/**
 * API keys as seen by core: the scopes a key may carry, how a key's viewer is
 * recognised, and the one check every scope decision uses. Keys themselves
 * (storage, creation, revocation) belong to the api-keys plugin, which
 * publishes `app.extensions.apiKeys`; core only asks it to authenticate an
 * `lp_…` bearer token and whether a key is still active (live streams).
 *
 * A key acts as its account limited to its scopes and never with a staff role
 * (viewer.ts strips them), so a key can never do more than its account.
 */
import type { ApiScope, Viewer } from '../context';
import { forbidden } from '../errors';

export { API_KEY_PREFIX, API_SCOPES, type ApiKeyService, type ApiScope } from '../context';

/** The key's scopes, or null when the viewer is not an API key (no scope limits). */
export function viewerScopes(viewer: Viewer): readonly ApiScope[] | null {
  return viewer.kind === 'account' && viewer.apiKey ? viewer.apiKey.scopes : null;
}

export function scopeAllows(viewer: Viewer, scope: ApiScope): boolean {
  const scopes = viewerScopes(viewer);
  return scopes === null || scopes.includes(scope);
}

/** FORBIDDEN unless the viewer is not an API key or its key has the scope (for subscribe paths, where shield does not run). */
export function requireScope(viewer: Viewer, scope: ApiScope): void {
  if (!scopeAllows(viewer, scope)) throw forbidden(`This API key lacks the ${scope} scope.`);
}
