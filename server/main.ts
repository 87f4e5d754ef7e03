/**
 * `npm start` / `npm run serve`: validates configuration, migrates the
 * database, seeds demo data (unless DEMO_DATA=false; off by default in
 * production) and serves the API. SIGTERM/SIGINT stop it gracefully (see
 * server/shutdown.ts) and exit 0.
 */
import { ConfigError, loadConfig } from '../api/config';
import { createApp } from './app';
import { startServer } from './http-server';
import { describeTarget } from '../api/db/adapters';
import { seedDemoData } from '../seeds';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(78);
    }
    throw e;
  }
  const app = await createApp(config);
  if (config.demoData) await seedDemoData(app);
  const running = await startServer(app);
  app.services.logger.info('listening', {
    url: `${running.url}/graphql`,
    database: describeTarget(app.services.db.target),
    plugins: app.services.plugins,
    region: config.dataRegion,
  });
  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    app.services.logger.info('shutting down', { signal });
    // Orchestrators kill after 10 s: leave before that even if something hangs.
    setTimeout(() => {
      app.services.logger.error('shutdown took too long; exiting', { signal });
      process.exit(1);
    }, 9_000).unref();
    await running.stop();
    await app.close();
    app.services.logger.info('stopped', { signal });
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
