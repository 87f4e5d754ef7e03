/**
 * Device.track over the track device's points (100,000 in the full run):
 * ours (full resolution, tolerance 0) against the raw endpoint that reads
 * the same points in order and sums the same haversine distance.
 */
import type { Contestant } from '../compare';
import type { BenchData } from '../seed';
import type { Targets } from '../targets';

const OURS_TRACK = `query($id: ID!, $from: DateTime!, $to: DateTime!) {
  device(id: $id) { track(from: $from, to: $to, toleranceMeters: 0) { pointCount distanceMeters } } }`;

export function trackContestants(t: Targets, data: BenchData): Contestant[] {
  const from = new Date(Date.now() - 3 * 24 * 3600 * 1000).toISOString();
  const to = new Date(Date.now() + 3600 * 1000).toISOString();
  return [
    {
      name: 'raw',
      url: `${t.raw.url}/track`,
      headers: [{}],
      body: { kind: 'static', text: JSON.stringify({ deviceId: data.track.rawId, from, to }) },
      statements: t.rawStatements,
    },
    {
      name: 'ours',
      url: t.ours.graphqlUrl,
      headers: [{ authorization: `Bearer ${data.owner.accessToken}` }],
      body: { kind: 'static', text: JSON.stringify({ query: OURS_TRACK, variables: { id: data.track.id, from, to } }) },
      statements: t.ours.statements,
    },
  ];
}
