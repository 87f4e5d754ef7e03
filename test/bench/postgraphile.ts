/**
 * The peer: PostGraphile 5 (amber preset, no smart tags) serving our Prisma
 * tables in this process through Grafserv's node:http adapter, on its own
 * counting pool of the same size as ours. It has no access control, so the
 * bench queries filter by owner/device with `condition` arguments.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postgraphile } from 'postgraphile';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makePgService } from 'postgraphile/adaptors/pg';
import { jsonPgSmartTags } from 'postgraphile/utils';
import { grafserv } from 'postgraphile/grafserv/node';
import type pg from 'pg';

export interface PeerServer {
  url: string;
  stop(): Promise<void>;
}

export async function startPostGraphile(pool: pg.Pool): Promise<PeerServer> {
  const pgl = postgraphile({
    extends: [PostGraphileAmberPreset],
    // The one smart tag needed: the billing plugin's "Subscription" table would take the root Subscription type's name.
    plugins: [jsonPgSmartTags({ version: 1, config: { class: { Subscription: { tags: { name: 'service_subscription' } } } } })],
    pgServices: [makePgService({ pool, schemas: ['public'] })],
    grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false },
    grafast: { explain: false },
  });
  const serv = pgl.createServ(grafserv);
  const server = createServer();
  server.keepAliveTimeout = 60_000;
  serv.addTo(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pgl.release();
    },
  };
}
