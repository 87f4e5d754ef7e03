/**
 * GET /policies/{kind}/{version}/{locale}: the text of a published policy
 * document as Markdown. A version's text never changes, so responses are
 * cacheable: the ETag is the content hash and If-None-Match answers 304.
 */
import type { AppServices } from '../api/context';
import { findPolicyDocument, parsePolicyPath } from '../api/consent/policy-documents';

const notFound = () => new Response('Not found\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });

export async function servePolicyDocument(request: Request, app: AppServices, pathname: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response('Method not allowed\n', {
      status: 405,
      headers: { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  const key = parsePolicyPath(pathname);
  if (!key) return notFound();
  const doc = await findPolicyDocument(app.prisma, key);
  if (!doc || doc.text == null) return notFound();
  const headers = {
    etag: `"${doc.contentHash}"`,
    'cache-control': 'public, max-age=3600',
    'content-language': doc.locale.toLowerCase(),
    'last-modified': doc.createdAt.toUTCString(),
  };
  const match = request.headers.get('if-none-match');
  if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === headers.etag))
    return new Response(null, { status: 304, headers });
  const body = request.method === 'HEAD' ? null : doc.text;
  return new Response(body, { status: 200, headers: { ...headers, 'content-type': 'text/markdown; charset=utf-8' } });
}
