/**
 * What the log says about a failed operation, without secrets. Query text is
 * never logged: inline literals may be a password, an IBAN or a personal code
 * (and graphql-js prints the source lines with every GraphQLError). Logged:
 * the operation name, a hash of the query (to find it in a client's own
 * operations), the variables through the logger's redaction, and the error's
 * class, code, path and stack, with quoted values cut out of messages
 * (database errors quote the values they refused).
 */
import { createHash } from 'node:crypto';
import { GraphQLError, print, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../api/logger';
import { isAppError } from '../api/errors';
import { findOperation } from './limits/operation-walk';

/** Quoted values and long digit runs out of a message. */
export function scrubMessage(message: string): string {
  return message
    .replace(/"(?:[^"\\\n]|\\.)*"/g, '"…"')
    .replace(/'(?:[^'\\\n]|\\.)*'/g, "'…'")
    .replace(/`(?:[^`\\\n]|\\.)*`/g, (m) => (m.length > 60 ? '`…`' : m))
    .replace(/\d{6,}/g, '…')
    .slice(0, 500);
}

/** A loggable description of anything thrown: never the source text of a query. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof GraphQLError) {
    return {
      name: 'GraphQLError',
      message: scrubMessage(error.message),
      code: error.extensions?.code,
      path: error.path,
      ...(error.originalError && error.originalError !== error ? { cause: describeError(error.originalError) } : {}),
    };
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: scrubMessage(error.message),
      ...(code !== undefined ? { code } : {}),
      // The first stack line repeats the message; frames only.
      stack: error.stack
        ?.split('\n')
        .filter((l) => /^\s+at /.test(l))
        .slice(0, 12)
        .join('\n'),
    };
  }
  return { message: scrubMessage(String(error)) };
}

export function queryHash(document: DocumentNode | string): string {
  return createHash('sha256')
    .update(typeof document === 'string' ? document : print(document))
    .digest('hex')
    .slice(0, 16);
}

/** Logs operations whose result holds an unexpected (non-coded) error, with their redacted context. */
export function logFailedOperations(logger: () => Logger): Plugin {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in (result as object)) return;
          const errors = (result as ExecutionResult).errors ?? [];
          const internal = errors.filter((e) => e.originalError && !isAppError(e.originalError));
          if (!internal.length) return;
          logger().error('operation failed', {
            operationName: args.operationName ?? findOperation(args.document, null)?.name?.value ?? null,
            queryHash: queryHash(args.document),
            variables: args.variableValues ?? {},
            errors: internal.map(describeError),
          });
        },
      };
    },
  };
}
