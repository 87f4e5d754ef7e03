/**
 * Core's own scheduled work, run by the job engine beside the plugins' jobs
 * (queue names `core.<job>`), declared in the same shape as a plugin's.
 */
import type { PluginDefinition } from '../schema/plugin-api';
import { maintainLocationPartitions } from '../api/locations/partitions';

export const coreJobs: PluginDefinition = {
  name: 'core',
  description: 'Core maintenance jobs.',
  jobs: [
    {
      // LocationPoint's daily partitions for today and the next days (api/locations/partitions.ts); also run at start.
      name: 'location-partitions',
      everySeconds: 6 * 3600,
      run: (app) => maintainLocationPartitions(app.prisma),
    },
  ],
};
