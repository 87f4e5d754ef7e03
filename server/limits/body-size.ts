/**
 * A size limit on /graphql request bodies (GRAPHQL_MAX_BODY_BYTES, default
 * 1 MiB: a 1000-point recordLocations batch is about 250 kB). With a
 * Content-Length the check costs nothing (Node's parser never delivers more
 * than announced); a chunked body is read up to the limit. Over it: 413 with
 * a JSON error, before Yoga parses anything.
 */
const tooLarge = (limit: number) =>
  new Response(
    JSON.stringify({
      errors: [{ message: `The request body is larger than ${limit} bytes.`, extensions: { code: 'BAD_USER_INPUT', limit } }],
    }),
    { status: 413, headers: { 'content-type': 'application/json' } },
  );

/** The request to continue with (the same one, or one with the buffered body), or the 413 answer. */
export async function limitBody(request: Request, limit: number): Promise<Request | Response> {
  if (request.method === 'GET' || request.method === 'HEAD' || !request.body) return request;
  const length = request.headers.get('content-length');
  if (length !== null) return Number(length) > limit ? tooLarge(limit) : request;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return tooLarge(limit);
    }
    chunks.push(value);
  }
  const body = Buffer.concat(chunks);
  return new Request(request.url, { method: request.method, headers: request.headers, body, signal: request.signal });
}
