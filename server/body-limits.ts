/**
 * Request body limits for /graphql, by kind of request: ordinary GraphQL
 * requests keep Yoga's 25 MB default, while file uploads (multipart/form-data,
 * the GraphQL multipart request spec, used by importLocations) may be up to
 * UPLOAD_MAX_BODY_BYTES (200 MB file plus the form's own few bytes). Yoga's
 * single maxRequestBodySize cannot tell the two apart, so it is turned off
 * and this plugin enforces both: an announced Content-Length over the limit is
 * refused before reading (413), and a body without one is counted as it streams.
 * Uploads are parsed as a stream onto disk (server/uploads/), never buffered.
 */
import { createGraphQLError } from '@graphql-tools/utils';
import type { Plugin } from 'graphql-yoga';
import { MAX_IMPORT_BYTES } from '../api/locations/import/import-locations';

export const GRAPHQL_MAX_BODY_BYTES = 25_000_000;
export const UPLOAD_MAX_BODY_BYTES = MAX_IMPORT_BYTES + 64 * 1024;

/**
 * The parts of one upload request (server/uploads/multipart.ts): one file (the schema's only Upload
 * argument is importLocations.file; raise it with an operation that takes several) of at most
 * MAX_IMPORT_BYTES, and `operations`/`map` fields no larger than an ordinary /graphql body.
 */
export const uploadLimits = (maxBodyBytes: number) => ({ files: 1, fileBytes: MAX_IMPORT_BYTES, fieldBytes: maxBodyBytes });

/** 413 with the contract's code, as for other /graphql bodies (server/limits/body-size.ts): BAD_USER_INPUT and `limit`. */
export const tooLarge = (limit: number, what = 'The request body') =>
  createGraphQLError(`${what} is larger than ${limit} bytes.`, {
    extensions: { http: { status: 413 }, code: 'BAD_USER_INPUT', limit },
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
      // With a Content-Length within the limit, Node's HTTP parser delivers no more than announced: only a body
      // without one (chunked) needs counting as it streams (a web-stream copy of every body cost ~0.3 ms a request).
      if (announced != null || !requestParser || !request.body) return;
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
