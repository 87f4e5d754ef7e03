/**
 * The Yoga plugin for file uploads on /graphql (importLocations): a
 * multipart/form-data POST is parsed by server/uploads/multipart.ts onto disk
 * instead of Yoga's request.formData(), which buffers the whole body in memory.
 * The request's folder is removed when its response is ready (the resolver has
 * read the file by then), or at once when parsing fails or the client goes
 * away mid-upload. Placed before useBodyLimits in the plugin list, so that
 * plugin wraps this parser and counts the bytes it reads.
 */
import type { Plugin } from 'graphql-yoga';
import { parseMultipart, type MultipartLimits } from './multipart';
import { newRequestDir, removeRequestDir } from './upload-dir';

const isMultipartPost = (request: Request) =>
  request.method === 'POST' &&
  (request.headers.get('content-type') ?? '').split(',')[0].trim().toLowerCase().startsWith('multipart/form-data');

export function useStreamingUploads(root: string, limits: MultipartLimits): Plugin {
  const folders = new WeakMap<Request, string>();
  return {
    onRequestParse({ request, setRequestParser }) {
      if (!isMultipartPost(request)) return;
      setRequestParser(async (body) => {
        const dir = await newRequestDir(root);
        folders.set(request, dir);
        try {
          return await parseMultipart(body, dir, limits);
        } catch (e) {
          folders.delete(request);
          await removeRequestDir(dir);
          throw e;
        }
      });
    },
    async onResponse({ request }) {
      const dir = folders.get(request);
      if (dir === undefined) return;
      folders.delete(request);
      await removeRequestDir(dir);
    },
  };
}
