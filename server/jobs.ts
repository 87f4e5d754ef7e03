/** Runs the plugins' scheduled jobs on their intervals; one run of a job at a time. */
import type { App } from './app';

export function startJobs(app: App): () => void {
  const timers: NodeJS.Timeout[] = [];
  if (app.services.config.raw.JOBS === 'off' || app.services.config.env === 'test') return () => {};
  for (const plugin of app.plugins) {
    for (const job of plugin.jobs ?? []) {
      const every = typeof job.everySeconds === 'function' ? job.everySeconds(app.services) : job.everySeconds;
      if (!every || every <= 0) continue;
      let running = false;
      const timer = setInterval(async () => {
        if (running) return;
        running = true;
        try {
          await job.run(app.services);
        } catch (e) {
          app.services.logger.error('job failed', { plugin: plugin.name, job: job.name, error: e });
        } finally {
          running = false;
        }
      }, every * 1000);
      timer.unref();
      timers.push(timer);
    }
  }
  return () => timers.forEach(clearInterval);
}
