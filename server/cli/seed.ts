/** `npm run db:seed`: migrates, then loads the demo data (idempotent). */
import { loadConfig } from '../../api/config';
import { createApp } from '../app';
import { seedDemoData, DEMO_PASSWORD } from '../../seeds';
import { runCli } from './run';

await runCli(async () => {
  const app = await createApp(loadConfig());
  try {
    const { accounts } = await seedDemoData(app);
    console.log(`demo data ready: ${Object.keys(accounts).length} accounts (password "${DEMO_PASSWORD}")`);
  } finally {
    await app.close();
  }
});
