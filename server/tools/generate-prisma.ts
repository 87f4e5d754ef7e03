/**
 * `npm run generate`: merges the Prisma schema files and runs `prisma generate`
 * offline. The Prisma CLI wants a native schema-engine binary it would download;
 * generation itself does not use it, so any existing file satisfies the check.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mergedSchema, mergedSchemaPath, projectRoot } from '../../api/db/prisma-files';

const text = mergedSchema();
mkdirSync(dirname(mergedSchemaPath), { recursive: true });
const unchanged = existsSync(mergedSchemaPath) && readFileSync(mergedSchemaPath, 'utf8') === text;
writeFileSync(mergedSchemaPath, text);

const clientPresent = existsSync(join(projectRoot, 'generated', 'prisma', 'client.ts'));
if (unchanged && clientPresent && !process.argv.includes('--force')) {
  console.log('prisma: schema unchanged, client up to date');
} else {
  execFileSync(process.execPath, [join(projectRoot, 'node_modules', 'prisma', 'build', 'index.js'), 'generate'], {
    cwd: projectRoot,
    stdio: 'inherit',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  });
}
