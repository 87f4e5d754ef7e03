/**
 * Keeps every error a client sees on the contract's codes. Requests that do
 * not parse or validate (including variables of the wrong type) become
 * BAD_USER_INPUT; a bad variable also names its input path in
 * extensions.field, like our own input errors ("input.points.3.latitude").
 */
import { GraphQLError, type ExecutionResult } from 'graphql';
import { maskError as yogaMaskError, type Plugin } from 'graphql-yoga';
import { Prisma } from '../generated/prisma/client';

const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'BAD_USER_INPUT']);

/** 'Variable "$input" got invalid value 1 at "input.points[3].latitude"; ...' -> "input.points.3.latitude" */
export function fieldOfVariableError(message: string): string | undefined {
  const m = /^Variable "\$(\w+)" got invalid value .*? at "([^"]+)"/.exec(message) ?? /^Variable "\$(\w+)"/.exec(message);
  if (!m) return undefined;
  const path = m[2] ?? m[1];
  return path.replace(/\[(\d+)\]/g, '.$1');
}

function normalize(error: GraphQLError): GraphQLError {
  const code = error.extensions?.code as string | undefined;
  // Errors without a code are graphql-js request errors (e.g. variable coercion);
  // everything from execution already carries a code (ours, or the masked one).
  if (code !== undefined && !REQUEST_ERROR_CODES.has(code)) return error;
  if (code === 'BAD_USER_INPUT' && error.extensions.field) return error;
  const field = fieldOfVariableError(error.message);
  const { http, ...rest } = error.extensions as Record<string, unknown>;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...rest, ...(http ? { http } : {}), code: 'BAD_USER_INPUT', ...(field ? { field } : {}) },
  });
}

/**
 * The same codes over WebSocket, where Yoga's result processing does not run:
 * request errors become BAD_USER_INPUT, Yoga's internal `http` extension is
 * dropped, and unexpected errors are masked (details only in the log).
 */
export function forWebSocket(errors: readonly GraphQLError[]): GraphQLError[] {
  return errors.map((e) => {
    const g = normalize(maskForClient(e));
    if (!g.extensions?.http) return g;
    const { http: _http, ...extensions } = g.extensions;
    return new GraphQLError(g.message, { nodes: g.nodes, source: g.source, positions: g.positions, path: g.path, extensions });
  });
}

function maskForClient(e: GraphQLError): GraphQLError {
  const original = e.originalError;
  if (!original || original instanceof GraphQLError) return e;
  const masked = maskError(e, 'Unexpected error.', false);
  return masked instanceof GraphQLError ? masked : new GraphQLError('Unexpected error.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

function normalizeResult(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  return { ...result, errors: result.errors.map((e) => (e instanceof GraphQLError ? normalize(e) : e)) };
}

export function useContractErrorCodes(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result)) setResult(result.map((r) => normalizeResult(r as ExecutionResult)) as never);
      else if (result && typeof result === 'object' && !(Symbol.asyncIterator in result))
        setResult(normalizeResult(result as ExecutionResult));
    },
  };
}

/**
 * Masks unexpected errors (Yoga's default, in every environment), except that a Prisma "record not
 * found" (P2025, e.g. node(id) of a deleted object) is NOT_FOUND: existence is
 * neither confirmed nor turned into a server error.
 */
export function maskError(error: unknown, message: string, _isDev?: boolean): Error {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof Prisma.PrismaClientKnownRequestError && original.code === 'P2025') {
    const g = error instanceof GraphQLError ? error : undefined;
    return new GraphQLError('Object not found.', { nodes: g?.nodes, path: g?.path, extensions: { code: 'NOT_FOUND' } });
  }
  // Never the development variant (message, stack, Prisma details to the client), whatever NODE_ENV says:
  // details go to the log only (server/error-log.ts).
  return yogaMaskError(error, message, false);
}
