/**
 * `npm run retention [-- --dry-run]`: one retention run now, then exit.
 * Starts the app as the server does (migrating first), so it works on an
 * empty data directory.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../api/config';
import { createApp } from '../../server/app';
import { runCli } from '../../server/cli/run';
import { runRetention, type RetentionResult } from './run';

await runCli(async () => {
  const { values } = parseArgs({ options: { 'dry-run': { type: 'boolean', default: false } } });
  const app = await createApp(loadConfig());
  try {
    if (!app.services.plugins.includes('retention')) throw new Error('the retention plugin is not on (see PLUGINS)');
    const run = await runRetention(app.services, { dryRun: !!values['dry-run'] });
    console.log(`retention run ${run.id}${run.dryRun ? ' (dry run: nothing deleted)' : ''}`);
    for (const r of run.results as unknown as RetentionResult[]) {
      console.log(`  ${r.dataCategory.padEnd(18)} ${run.dryRun ? 'would delete' : 'deleted'} ${r.deleted}, held ${r.held}`);
    }
  } finally {
    await app.close();
  }
});
