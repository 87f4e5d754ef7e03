/**
 * Unexpected resolver errors reach the log with their stack and the request
 * id, while the client sees only the masked message; coded (expected) errors
 * are not logged as failures (issue 12, item 6).
 */
import { describe, expect, it } from 'vitest';
import { createSchema, createYoga } from 'graphql-yoga';
import { GraphQLError } from 'graphql';
import { createLogger } from '../../api/logger';
import { useAccessLogFields, withAccessLog } from '../../server/observability/request-log';

describe('error log', () => {
  it('logs an unexpected resolver error with its stack under the request id, and not a coded one', async () => {
    const lines: Record<string, any>[] = [];
    const logger = createLogger('info', (l) => lines.push(JSON.parse(l)));
    const yoga = createYoga({
      schema: createSchema({
        typeDefs: 'type Query { broken: String, refused: String }',
        resolvers: {
          Query: {
            broken: () => {
              throw new TypeError('cannot read things of undefined');
            },
            refused: () => {
              throw new GraphQLError('No.', { extensions: { code: 'FORBIDDEN' } });
            },
          },
        },
      }),
      context: ({ request }) => ({ request, viewer: { kind: 'anonymous' }, app: { logger } }),
      plugins: [useAccessLogFields()],
      logging: false,
    });
    const handle = withAccessLog({ logger }, (request) => Promise.resolve(yoga.fetch(request)));
    const res = await handle(
      new Request('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-broken' },
        body: JSON.stringify({ query: 'query Both { broken refused }' }),
      }),
    );
    const body = (await res.json()) as { errors: { message: string }[] };
    expect(res.headers.get('x-request-id')).toBe('req-broken');
    expect(body.errors.map((e) => e.message).sort()).toEqual(['No.', 'Unexpected error.']);
    const errors = lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ requestId: 'req-broken', msg: 'unexpected error', path: 'broken' });
    // The message is logged apart from the stack frames (scrubbed of quoted values, see server/error-log.ts).
    expect(errors[0].error).toMatchObject({ name: 'TypeError', message: 'cannot read things of undefined' });
    expect(errors[0].error.stack).toContain('error-log.test.ts');
    expect(lines.find((l) => l.msg === 'request')).toMatchObject({ requestId: 'req-broken', operation: 'Both', status: 200 });
  });
});
