/**
 * Generated files are committed, so they must never be stale: the printed
 * schema must equal what the builder prints now, and the SDK must equal what
 * `npm run codegen` makes from that schema and schema/operations/.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '@graphql-codegen/cli';
import codegenConfig from '../codegen';
import { printedSchema } from '../server/cli/print-schema';

const root = join(import.meta.dirname, '..');

describe('generated files are up to date', () => {
  it('generated/schema.graphql is the printed schema (run `npm run schema:print`)', async () => {
    const committed = readFileSync(join(root, 'generated/schema.graphql'), 'utf8');
    expect(committed, 'generated/schema.graphql is stale: run `npm run schema:print`').toBe(await printedSchema());
  });

  it('generated/sdk/ is what `npm run codegen` makes (run `npm run codegen`)', async () => {
    const outputs = await generate({ ...codegenConfig, cwd: root, silent: true }, false);
    expect(outputs.length).toBeGreaterThanOrEqual(3);
    for (const output of outputs) {
      const path = relative(root, join(root, output.filename));
      const committed = readFileSync(join(root, path), 'utf8');
      expect(committed, `${path} is stale: run \`npm run codegen\``).toBe(output.content);
    }
  });
});
