/**
 * `npm run db:migration -- <name>`: writes the next migration from the
 * difference between the committed migrations and the merged schema
 * (run `npm run generate` first; the script does it for you).
 */
import { mergedSchema, migrationsDir } from '../../api/db/prisma-files';
import { pendingSchemaChange, writeMigration } from '../../api/db/migrations';

const name = process.argv[2];
if (!name) {
  console.error('usage: npm run db:migration -- <name>');
  process.exit(2);
}
const sql = await pendingSchemaChange(mergedSchema(), migrationsDir);
if (!sql) {
  console.log('schema and migrations are in sync: nothing to write');
} else {
  const folder = writeMigration(migrationsDir, name, sql);
  console.log(`wrote api/db/migrations/${folder}/migration.sql`);
}
