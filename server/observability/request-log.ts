/**
 * Access log and request ids. Every HTTP request gets an id (the caller's
 * `X-Request-Id` when it is a sane token, else a new UUID), returned as the
 * `x-request-id` response header, and one log line when it ends: method,
 * path, status, duration, GraphQL operation name and the viewer's id (ids
 * only: never tokens or personal data). Unexpected resolver errors are
 * logged with their stack under the same request id before Yoga masks them.
 */
import { randomUUID } from 'node:crypto';
import { getOperationAST, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../../api/logger';
import type { Context, Viewer } from '../../api/context';
import { isAppError } from '../../api/errors';
import { describeError } from '../error-log';

export interface RequestInfo {
  id: string;
  log: Logger;
  operations: string[];
  viewer?: string;
}

const infos = new WeakMap<Request, RequestInfo>();

/** What the access log knows about this request (set while it runs). */
export function requestInfo(request: Request): RequestInfo | undefined {
  return infos.get(request);
}

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFrom(request: Request): string {
  const given = request.headers.get('x-request-id');
  return given && SANE_ID.test(given) ? given : randomUUID();
}

export function viewerLabel(viewer: Viewer): string | undefined {
  if (viewer.kind === 'account') return `account:${viewer.accountId}`;
  if (viewer.kind === 'device') return `device:${viewer.deviceId}`;
  return undefined;
}

export interface AccessLogOptions {
  logger: Logger;
  /** Called once per finished request (metrics). */
  onDone?(info: RequestInfo, request: Request, status: number, seconds: number): void;
}

/** Wraps the request handler: assigns the id, logs the outcome, sets the response header. */
export function withAccessLog(options: AccessLogOptions, handle: (request: Request) => Promise<Response>) {
  return async (request: Request): Promise<Response> => {
    const started = process.hrtime.bigint();
    const id = requestIdFrom(request);
    const info: RequestInfo = { id, log: options.logger.child({ requestId: id }), operations: [] };
    infos.set(request, info);
    let response: Response | undefined;
    try {
      response = await handle(request);
      return response;
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = response?.status ?? 500;
      if (response && !response.headers.has('x-request-id')) {
        try {
          response.headers.set('x-request-id', id);
        } catch {
          // immutable headers (a fetched Response passed through): keep it as is
        }
      }
      const path = new URL(request.url).pathname;
      const quiet = path === '/health' || path === '/ready' || path === '/metrics';
      const fields = {
        method: request.method,
        path,
        status,
        durationMs: Math.round(seconds * 1000 * 10) / 10,
        ...(info.operations.length ? { operation: info.operations.join(',') } : {}),
        ...(info.viewer ? { viewer: info.viewer } : {}),
      };
      if (quiet) info.log.debug('request', fields);
      else info.log.info('request', fields);
      options.onDone?.(info, request, status, seconds);
    }
  };
}

function isExpected(error: unknown): boolean {
  if (isAppError(error)) return true;
  if (error instanceof GraphQLError) {
    if (error.originalError) return isExpected(error.originalError);
    return true;
  }
  return false;
}

/**
 * Yoga plugin: notes the operation name and viewer on the request's entry,
 * and logs unexpected execution errors with their stack.
 */
export function useAccessLogFields(): Plugin {
  return {
    onExecute({ args }) {
      const ctx = args.contextValue as unknown as Context;
      const info = ctx.request ? infos.get(ctx.request) : undefined;
      if (info) {
        info.operations.push(getOperationAST(args.document, args.operationName)?.name?.value ?? 'anonymous');
        info.viewer ??= viewerLabel(ctx.viewer);
      }
      return {
        onExecuteDone({ result }) {
          if (!result || Symbol.asyncIterator in result) return;
          for (const error of result.errors ?? []) {
            if (isExpected(error)) continue;
            const original = error.originalError ?? error;
            // describeError scrubs quoted values from messages (a database error may quote the query's literals).
            (info?.log ?? ctx.app.logger).error('unexpected error', { path: error.path?.join('.'), error: describeError(original) });
          }
        },
      };
    },
  };
}
