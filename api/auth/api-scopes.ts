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
import type { Viewer } from '../context';
import { forbidden } from '../errors';

export const API_SCOPES = ['DEVICES_READ', 'LOCATIONS_READ', 'LOCATIONS_WRITE', 'SHARING_MANAGE', 'WEBHOOKS_MANAGE', 'ARBITRARY_OPERATIONS'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** Secrets of API keys start with this, so the viewer can route them without a lookup. */
export const API_KEY_PREFIX = 'lp_';

export interface ApiKeyService {
  /** The viewer for a presented key secret; throws UNAUTHENTICATED when it is unknown, revoked or expired. */
  authenticate(secret: string, now: Date): Promise<Viewer>;
  /** Whether the key still works (not revoked, not expired, account still there): checked on every live event. */
  isActive(keyId: string, now: Date): Promise<boolean>;
}

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
