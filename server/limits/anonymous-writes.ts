/**
 * Mutations without a signed-in viewer (register, cookie choices, rights
 * requests by e-mail, ...) cost nothing to send and create rows or work:
 * each root field counts against the client's hourly allowance
 * (RATE_LIMIT_ANONYMOUS_WRITES). Sign-in has its own limits in the sign-in
 * service; refreshing and ending a session need a valid refresh token anyway.
 */
import { Kind } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../../api/context';
import { take } from '../../api/rate-limits';
import { findOperation } from './operation-walk';

const OWN_LIMITS = new Set(['login', 'refreshSession', 'logout', '__typename']);

export function limitAnonymousWrites(): Plugin {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as unknown as Context;
      if (ctx.viewer?.kind !== 'anonymous') return;
      const operation = findOperation(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      const writes = operation.selectionSet.selections.filter((s) => s.kind !== Kind.FIELD || !OWN_LIMITS.has(s.name.value)).length;
      if (!writes) return;
      const message = 'Too many requests from this client; try again later.';
      const error = await take(ctx.app.limiters.anonymousWrites, ctx.clientAddress, message, writes);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
