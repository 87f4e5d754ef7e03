/**
 * Ingestion: recordLocations with `batch` fresh points per call, from 4
 * clients (one device each), against the raw multi-row INSERT (a single
 * INSERT for 1-point calls) through node-postgres. PostGraphile is left out:
 * its generated mutations create one row per call.
 */
import type { Contestant } from '../compare';
import type { BenchData } from '../seed';
import type { Targets } from '../targets';

export function ingestContestants(t: Targets, data: BenchData, batch: number): Contestant[] {
  const ours = data.ingest.slice(0, 4);
  const raw = data.ingest.slice(4, 8);
  return [
    {
      name: 'raw',
      url: `${t.raw.url}/record`,
      headers: raw.map((d) => ({ 'x-device': d.rawId })),
      body: { kind: 'points', format: 'json', batch, run: `r${batch}` },
      statements: t.rawStatements,
    },
    {
      name: 'ours',
      url: t.ours.graphqlUrl,
      headers: ours.map((d) => ({ authorization: `Bearer ${d.token}` })),
      body: { kind: 'points', format: 'graphql', batch, run: `o${batch}` },
      statements: t.ours.statements,
    },
  ];
}

/** After the runs: every stored point of the ingestion devices, per contestant (a run that stored nothing failed silently). */
export async function storedPoints(t: Targets, data: BenchData): Promise<{ ours: number; raw: number }> {
  const { prisma } = t.ours.app.services;
  const count = (ids: string[]) => prisma.locationPoint.count({ where: { deviceId: { in: ids } } });
  return {
    ours: await count(data.ingest.slice(0, 4).map((d) => d.rawId)),
    raw: await count(data.ingest.slice(4, 8).map((d) => d.rawId)),
  };
}
