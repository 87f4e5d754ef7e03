/**
 * Request body limits for /graphql, by kind of request: ordinary GraphQL
 * requests keep Yoga's 25 MB default, while file uploads (multipart/form-data,
 * the GraphQL multipart request spec, used by importLocations) may be up to
 * UPLOAD_MAX_BODY_BYTES (200 MB file plus the form's own few bytes). Yoga's
 * single maxRequestBodySize cannot tell the two apart, so it is turned off
 * and this plugin enforces both: an announced Content-Length over the limit is
 * refused before reading (413), and a body without one is counted as it streams.
 */
import { createGraphQLError } from '@graphql-tools/utils';
import type { Plugin } from 'graphql-yoga';
import { MAX_IMPORT_BYTES } from '../api/locations/import/import-locations';

export const GRAPHQL_MAX_BODY_BYTES = 25_000_000;
export const UPLOAD_MAX_BODY_BYTES = MAX_IMPORT_BYTES + 64 * 1024;

const tooLarge = (limit: number) =>
  createGraphQLError(`Request body too large (limit ${limit} bytes)`, {
    extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' },
  });

export function limitFor(request: Request, limits = { graphql: GRAPHQL_MAX_BODY_BYTES, upload: UPLOAD_MAX_BODY_BYTES }): number {
  return (request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data') ? limits.upload : limits.graphql;
}

export function useBodyLimits(): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      const limit = limitFor(request);
      const announced = request.headers.get('content-length');
      if (announced != null && (!/^\d+$/.test(announced) || Number(announced) > limit)) throw tooLarge(limit);
      if (!requestParser || !request.body) return;
      const original = requestParser;
      setRequestParser((req) => {
        let read = 0;
        const body = req.body!.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              read += chunk.byteLength;
              if (read > limit) controller.error(tooLarge(limit));
              else controller.enqueue(chunk);
            },
          }),
        );
        // @ts-expect-error duplex is required by Node for streamed bodies
        return original(new Request(req.url, { method: req.method, headers: req.headers, signal: req.signal, body, duplex: 'half' }));
      });
    },
  };
}
