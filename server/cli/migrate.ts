/** `npm run db:migrate`: applies pending migrations to the configured database. */
import { loadConfig } from '../../api/config';
import { databaseTarget } from '../app';
import { describeTarget, openDatabase } from '../../api/db/adapters';
import { applyMigrations } from '../../api/db/migrations';
import { migrationsDir } from '../../api/db/prisma-files';
import { runCli } from './run';

await runCli(async () => {
  const config = loadConfig();
  const db = await openDatabase(databaseTarget(config));
  try {
    const applied = await applyMigrations(db, migrationsDir);
    console.log(
      applied.length ? `applied ${applied.join(', ')} to ${describeTarget(db.target)}` : `${describeTarget(db.target)} is up to date`,
    );
  } finally {
    await db.close();
  }
});
