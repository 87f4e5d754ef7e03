/**
 * No silent breaking changes: generated/schema.graphql against the last
 * released schema (schema/released/v1.graphql), with CHANGELOG.md as the list
 * of announced breaks (server/tools/schema-compat.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSchemaCompatibility } from '../server/tools/schema-compat';

const root = join(import.meta.dirname, '..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');

const released = /* GraphQL */ `
  type Query {
    me: Account
    legacy: String @deprecated(reason: "use me")
  }
  type Account {
    id: ID!
    name: String
  }
`;
const removed = /* GraphQL */ `
  type Query {
    me: Account
  }
  type Account {
    id: ID!
    name: String
  }
`;

describe('schema compatibility', () => {
  it('the current schema has no unannounced breaking change against the released one', async () => {
    const result = await checkSchemaCompatibility(
      read('schema/released/v1.graphql'),
      read('generated/schema.graphql'),
      read('CHANGELOG.md'),
    );
    expect(result.unlisted.map((u) => `${u.change.path}: ${u.change.message} (${u.reason})`)).toEqual([]);
  });

  it('fails a removed field that CHANGELOG.md does not list', async () => {
    const result = await checkSchemaCompatibility(released, removed, '# Changelog\n');
    expect(result.breaking.map((c) => c.path)).toEqual(['Query.legacy']);
    expect(result.unlisted).toHaveLength(1);
  });

  it('passes it when listed with a deprecation period of at least 90 days', async () => {
    const ok = '- BREAKING `Query.legacy`: removed, use `me` (deprecated 2026-01-01, removed 2026-06-01)\n';
    expect((await checkSchemaCompatibility(released, removed, ok)).unlisted).toEqual([]);
    const short = '- BREAKING `Query.legacy`: removed (deprecated 2026-01-01, removed 2026-01-15)\n';
    expect((await checkSchemaCompatibility(released, removed, short)).unlisted[0]?.reason).toMatch(/shorter than 90 days/);
    const undated = '- BREAKING `Query.legacy`: removed\n';
    expect((await checkSchemaCompatibility(released, removed, undated)).unlisted[0]?.reason).toMatch(/deprecated <date>/);
  });

  it('a type change of an argument is breaking too; an added optional field is not', async () => {
    const before = 'type Query { a(x: Int): String }';
    expect((await checkSchemaCompatibility(before, 'type Query { a(x: Int!): String }', '')).unlisted).toHaveLength(1);
    expect((await checkSchemaCompatibility(before, 'type Query { a(x: Int): String, b: Int }', '')).breaking).toEqual([]);
  });
});
