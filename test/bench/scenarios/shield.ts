/**
 * The price of the permission layer: the device-list operation executed in
 * this process (no HTTP) through our full schema and through the same schema
 * without graphql-shield, interleaved, median of the repeats' p50.
 */
import { createYoga } from 'graphql-yoga';
import type { TestServer } from '../../helpers/server';
import { createContext } from '../../../api/context';
import { viewerFromToken } from '../../../api/auth/viewer';
import { OURS_DEVICES } from './reads';
import { median, quantile } from '../stats';

export async function shieldPrice(server: TestServer, token: string, runs: number, repeats: number) {
  const make = (schema: typeof server.app.built.schema) =>
    createYoga({
      schema,
      context: async ({ request }) => createContext(server.app.services, await viewerFromToken(server.app.services, token), request),
      logging: false,
    });
  const guarded = make(server.app.built.schema);
  const bare = make(server.app.built.declared);
  const time = async (yoga: ReturnType<typeof make>) => {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const res = await yoga.fetch('http://bench/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: OURS_DEVICES }),
      });
      const body = (await res.json()) as { errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      times.push(performance.now() - t0);
    }
    return quantile(times.slice(Math.floor(runs / 5)), 0.5);
  };
  const withShield: number[] = [];
  const withoutShield: number[] = [];
  for (let rep = 0; rep < repeats; rep++) {
    withShield.push(await time(guarded));
    withoutShield.push(await time(bare));
  }
  return { withShieldP50ms: median(withShield), withoutShieldP50ms: median(withoutShield) };
}
