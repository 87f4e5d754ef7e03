/**
 * Trusted documents (TRUSTED_DOCUMENTS=on, recommended in production): customers
 * and anonymous callers may only run the SDK's operations, by hash, from the
 * manifest that codegen writes (generated/sdk/operations/persisted-documents.json).
 * Staff, and API keys with the ARBITRARY_OPERATIONS scope, may still send any
 * document. Over HTTP this is @graphql-yoga/plugin-persisted-operations; over
 * graphql-ws (where Yoga's onParams does not run) `resolveTrustedDocument`
 * applies the same decision in onSubscribe.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { AppServices } from '../api/context';
import { isStaff } from '../api/context';
import { bearerToken, viewerFromToken } from '../api/auth/viewer';
import { forbidden, badInput } from '../api/errors';
import { projectRoot } from '../api/db/prisma-files';
import type { Viewer } from '../api/context';

export const MANIFEST_PATH = join(projectRoot, 'generated', 'sdk', 'operations', 'persisted-documents.json');

export function trustedDocumentsEnabled(app: AppServices): boolean {
  return app.config.raw.TRUSTED_DOCUMENTS === 'on';
}

/** hash -> document; keys with and without the "sha256:" prefix. */
export function loadManifest(path = MANIFEST_PATH): Map<string, string> {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
  const out = new Map<string, string>();
  for (const [key, doc] of Object.entries(raw)) {
    out.set(key, doc);
    out.set(key.replace(/^sha256:/, ''), doc);
  }
  return out;
}

/** Who may send documents that are not in the manifest. */
export function mayRunArbitrary(viewer: Viewer): boolean {
  if (viewer.kind !== 'account') return false;
  if (viewer.apiKey) return viewer.apiKey.scopes.includes('ARBITRARY_OPERATIONS');
  return isStaff(viewer);
}

async function viewerOf(app: AppServices, authorization: string | null): Promise<Viewer> {
  try {
    return await viewerFromToken(app, bearerToken(authorization));
  } catch {
    return { kind: 'anonymous' };
  }
}

const ONLY_TRUSTED = 'Only the trusted documents of the SDK may be sent (send extensions.persistedQuery.sha256Hash).';

export function trustedDocumentsPlugins(app: AppServices) {
  if (!trustedDocumentsEnabled(app)) return [];
  const manifest = loadManifest();
  return [
    usePersistedOperations({
      getPersistedOperation: (hash: string) => manifest.get(hash) ?? null,
      allowArbitraryOperations: async (request: Request) => mayRunArbitrary(await viewerOf(app, request.headers.get('authorization'))),
      customErrors: {
        persistedQueryOnly: { message: ONLY_TRUSTED, extensions: { code: 'FORBIDDEN' } },
        notFound: { message: 'Unknown trusted document hash.', extensions: { code: 'BAD_USER_INPUT', field: 'extensions.persistedQuery' } },
        keyNotFound: { message: ONLY_TRUSTED, extensions: { code: 'BAD_USER_INPUT', field: 'extensions.persistedQuery' } },
      },
    }),
  ];
}

/**
 * graphql-ws: the query to run for a subscribe message under trusted documents
 * (the manifest's document for a hash; the sent one only for viewers allowed
 * arbitrary documents), or a coded error.
 */
export function resolveTrustedDocument(
  manifest: Map<string, string>,
  viewer: Viewer,
  params: { query?: string | null; extensions?: Record<string, unknown> | null },
): string {
  const pq = params.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
  if (typeof pq?.sha256Hash === 'string') {
    const doc = manifest.get(pq.sha256Hash);
    if (!doc) throw badInput('extensions.persistedQuery', 'Unknown trusted document hash.');
    return doc;
  }
  if (params.query && mayRunArbitrary(viewer)) return params.query;
  throw forbidden(ONLY_TRUSTED);
}
