/** `npm run schema:print`: writes generated/schema.graphql (every bundled plugin on). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlugins } from '../plugin-loader';
import { buildSchema, printBuiltSchema } from '../../schema';
import { projectRoot } from '../../api/db/prisma-files';

export async function printedSchema(): Promise<string> {
  const { declared } = buildSchema(await loadPlugins(null));
  return printBuiltSchema(declared);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = join(projectRoot, 'generated', 'schema.graphql');
  writeFileSync(out, await printedSchema());
  console.log('wrote generated/schema.graphql');
}
