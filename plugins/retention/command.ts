/**
 * `npm run admin -- retention [--dry-run]` (also `npm run retention`): one
 * retention run now. The admin CLI starts the app first (migrating an empty
 * database), so it works on a fresh install.
 */
import { parseArgs } from 'node:util';
import type { PluginCommand } from '../../schema/plugin-api';
import { runRetention, type RetentionResult } from './run';

export const retentionCommand: PluginCommand = {
  name: 'retention',
  usage: 'retention [--dry-run]',
  async run(app, args) {
    const { values } = parseArgs({ args, options: { 'dry-run': { type: 'boolean', default: false } } });
    const run = await runRetention(app, { dryRun: !!values['dry-run'] });
    console.log(`retention run ${run.id}${run.dryRun ? ' (dry run: nothing deleted)' : ''}`);
    for (const r of run.results as unknown as RetentionResult[]) {
      console.log(`  ${r.dataCategory.padEnd(18)} ${run.dryRun ? 'would delete' : 'deleted'} ${r.deleted}, held ${r.held}`);
    }
  },
};
