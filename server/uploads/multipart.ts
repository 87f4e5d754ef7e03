/**
 * Reads a GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec)
 * as a stream with busboy: the `operations` field, the `map` field, then the
 * file parts, in that order. Each mapped file is written to its own file in
 * the request's folder while it arrives and is handed to the resolver as a
 * File whose bytes are read back from disk when the resolver streams it
 * (fs.openAsBlob), so memory stays bounded whatever the upload's size; Yoga's
 * own parser (request.formData()) holds the whole body in memory.
 *
 * Anything off the spec is a 400 BAD_USER_INPUT naming the part (`field`),
 * a file over the limit a 413 with `limit`; the caller removes the folder.
 */
import { createWriteStream, openAsBlob, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import busboy from 'busboy';
import { GraphQLError } from 'graphql';
import type { GraphQLParams } from 'graphql-yoga';
import { tooLarge } from '../body-limits';

export interface MultipartLimits {
  /** File parts per request. */
  files: number;
  /** Bytes per file. */
  fileBytes: number;
  /** Bytes of the `operations` and `map` fields. */
  fieldBytes: number;
}

export const badMultipart = (message: string, field?: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}), http: { status: 400 } } });

interface Stored {
  path: string;
  filename: string;
  type: string;
}

/** The GraphQL parameters of the request, each mapped path set to its File. Rejects on the first problem. */
export function parseMultipart(request: Request, dir: string, limits: MultipartLimits): Promise<GraphQLParams | GraphQLParams[]> {
  if (!request.body) return Promise.reject(badMultipart('The multipart request has no body.'));
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': request.headers.get('content-type') ?? '' },
      limits: { fields: 2, fieldSize: limits.fieldBytes, files: limits.files, fileSize: limits.fileBytes },
      defParamCharset: 'utf8',
    });
  } catch (e) {
    return Promise.reject(badMultipart(`Invalid multipart request: ${(e as Error).message}.`));
  }
  // Readable.from, not Readable.fromWeb: the body may be the server adapter's own ReadableStream (whatwg-node's
  // ponyfill, when nothing rewrapped the request), which fromWeb refuses; both are async iterables, pulled on demand.
  const source = Readable.from(request.body as unknown as AsyncIterable<Uint8Array>, { objectMode: false });

  return new Promise((resolve, reject) => {
    let operations: Record<string, unknown> | unknown[] | null = null;
    let map: Map<string, string[]> | null = null;
    const writes = new Map<string, Promise<Stored>>();
    const open = new Set<{ part: Readable; out: WriteStream }>();
    let settled = false;

    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      for (const { part, out } of open) {
        part.destroy();
        out.destroy();
      }
      source.unpipe(parser);
      source.destroy();
      parser.removeAllListeners();
      parser.on('error', () => undefined);
      parser.destroy();
      // Writes still open settle now (their streams are destroyed); the caller removes the folder after.
      void Promise.allSettled(writes.values()).then(() => reject(error));
    };

    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) return fail(tooLarge(limits.fieldBytes, `The multipart field "${name}"`));
      if (name === 'operations') {
        if (operations) return fail(badMultipart('The multipart field "operations" is sent twice.', 'operations'));
        const parsed = parseJson(value);
        if (!parsed || typeof parsed !== 'object')
          return fail(badMultipart('The multipart field "operations" must be a JSON object (or array).', 'operations'));
        operations = parsed as Record<string, unknown>;
      } else if (name === 'map') {
        if (!operations) return fail(badMultipart('The multipart field "map" must follow "operations".', 'map'));
        if (map) return fail(badMultipart('The multipart field "map" is sent twice.', 'map'));
        const parsed = readMap(parseJson(value), limits.files);
        if (typeof parsed === 'string') return fail(badMultipart(parsed, 'map'));
        map = parsed;
      } else return fail(badMultipart(`Unexpected multipart field "${name.slice(0, 100)}": only "operations", "map" and files.`));
    });

    parser.on('file', (name, stream, info) => {
      if (!map) {
        stream.resume();
        return fail(badMultipart('File parts must follow the multipart fields "operations" and "map".', name.slice(0, 100)));
      }
      if (!map.has(name)) return void stream.resume(); // not referenced: read past it, store nothing
      if (writes.has(name)) {
        stream.resume();
        return fail(badMultipart(`The file "${name}" is sent twice.`, name));
      }
      const path = join(dir, String(writes.size));
      const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
      const entry = { part: stream, out };
      open.add(entry);
      stream.on('limit', () => fail(tooLarge(limits.fileBytes, `The file "${name}"`)));
      stream.pipe(out);
      const write = finished(out).then(() => {
        open.delete(entry);
        return { path, filename: info.filename ?? name, type: info.mimeType };
      });
      write.catch(fail);
      writes.set(name, write);
    });

    parser.on('filesLimit', () => fail(badMultipart(`Too many files: at most ${limits.files} per request.`)));
    parser.on('fieldsLimit', () => fail(badMultipart('Too many multipart fields: only "operations" and "map".')));
    parser.on('error', (e: Error) => fail(badMultipart(`Invalid multipart request: ${e.message}.`)));
    // An error of the body itself: over the body limit (already a coded 413, passed on), or the client went away
    // (an AbortError, which Yoga does not log as a server failure).
    source.on('error', (e) =>
      fail(e instanceof GraphQLError ? e : new DOMException('The client went away during the upload.', 'AbortError')),
    );

    parser.on('close', () => {
      if (settled) return;
      if (!operations) return fail(badMultipart('The multipart field "operations" is missing.', 'operations'));
      const files = map ?? new Map<string, string[]>();
      const missing = [...files.keys()].find((k) => !writes.has(k));
      if (missing !== undefined) return fail(badMultipart(`The map names the file "${missing}", which the request does not carry.`, 'map'));
      Promise.all(
        [...writes].map(async ([name, write]) => {
          const stored = await write;
          const blob = await openAsBlob(stored.path, { type: stored.type });
          return [name, new File([blob], stored.filename, { type: stored.type })] as const;
        }),
      ).then((opened) => {
        if (settled) return;
        for (const [name, file] of opened) {
          for (const key of files.get(name)!) {
            if (!setPath(operations!, key, file)) return fail(badMultipart(`The map path "${key.slice(0, 200)}" is not valid.`, 'map'));
          }
        }
        settled = true;
        resolve(operations as GraphQLParams | GraphQLParams[]);
      }, fail);
    });

    source.pipe(parser);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `{ "0": ["variables.file"] }` as a Map, or what is wrong with it. */
function readMap(value: unknown, maxFiles: number): Map<string, string[]> | string {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return 'The multipart field "map" must be a JSON object of file names to arrays of paths.';
  const entries = Object.entries(value);
  if (entries.length > maxFiles) return `Too many files: at most ${maxFiles} per request.`;
  for (const [, paths] of entries) {
    if (!Array.isArray(paths) || !paths.length || !paths.every((p) => typeof p === 'string'))
      return 'The multipart field "map" must be a JSON object of file names to arrays of paths.';
  }
  return new Map(entries as [string, string[]][]);
}

/** Sets `value` at a dotted path ("variables.file", "0.variables.files.1"); false for a path that cannot be one. */
function setPath(target: Record<string, unknown> | unknown[], path: string, value: unknown): boolean {
  const keys = path.split('.');
  if (keys.some((k) => !k || k === '__proto__' || k === 'constructor' || k === 'prototype')) return false;
  let current = target as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) {
    const next = current[key];
    if (!next || typeof next !== 'object') {
      if (next !== undefined && next !== null) return false;
      current[key] = {};
    }
    current = current[key] as Record<string, unknown>;
  }
  current[keys[keys.length - 1]] = value;
  return true;
}
