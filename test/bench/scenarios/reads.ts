/**
 * The two read scenarios, each as the same request to the three contestants:
 * the history page (100 newest points of the 1M-point device) and the device
 * list (devices(first: 100) with lastLocation and owner of a 100-device
 * account). PostGraphile gets the owner or device as a `condition` (it has
 * no access control); the raw endpoint gets it as a header.
 */
import type { Contestant } from '../compare';
import type { BenchData } from '../seed';
import type { Targets } from '../targets';

const graphql = (query: string, variables: Record<string, unknown> = {}) => ({
  kind: 'static' as const,
  text: JSON.stringify({ query, variables }),
});

export const OURS_HISTORY = `query($id: ID!) { device(id: $id) { locations(first: 100) {
  edges { node { id recordedAt latitude longitude accuracy speed } } pageInfo { hasNextPage endCursor } } } }`;

const PEER_HISTORY = `query($d: String!) { allLocationPoints(first: 100, condition: { deviceId: $d }, orderBy: [RECORDED_AT_DESC, ROW_ID_DESC]) {
  edges { node { id recordedAt latitude longitude accuracy speed } } pageInfo { hasNextPage endCursor } } }`;

export const OURS_DEVICES = `{ devices(first: 100) { totalCount edges { node {
  id name lastLocation { latitude longitude } owner { displayName } } } } }`;

const PEER_DEVICES = `query($o: String!) { allDevices(first: 100, condition: { ownerId: $o }, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]) {
  totalCount edges { node { id name locationPointByLastLocationIdAndLastLocationRecordedAt { latitude longitude } accountByOwnerId { givenName familyName } } } } }`;

export function historyContestants(t: Targets, data: BenchData): Contestant[] {
  return [
    {
      name: 'raw',
      url: `${t.raw.url}/history`,
      headers: [{ 'x-account': data.owner.rawId }],
      body: { kind: 'static', text: JSON.stringify({ deviceId: data.history.rawId }) },
      statements: t.rawStatements,
    },
    {
      name: 'postgraphile',
      url: t.peer.url,
      headers: [{}],
      body: graphql(PEER_HISTORY, { d: data.history.rawId }),
      statements: t.peerStatements,
    },
    {
      name: 'ours',
      url: t.ours.graphqlUrl,
      headers: [{ authorization: `Bearer ${data.owner.accessToken}` }],
      body: graphql(OURS_HISTORY, { id: data.history.id }),
      statements: t.ours.statements,
    },
  ];
}

export function devicesContestants(t: Targets, data: BenchData): Contestant[] {
  return [
    {
      name: 'raw',
      url: `${t.raw.url}/devices`,
      headers: [{ 'x-account': data.fleetOwner.rawId }],
      body: { kind: 'static', text: '{}' },
      statements: t.rawStatements,
    },
    {
      name: 'postgraphile',
      url: t.peer.url,
      headers: [{}],
      body: graphql(PEER_DEVICES, { o: data.fleetOwner.rawId }),
      statements: t.peerStatements,
    },
    {
      name: 'ours',
      url: t.ours.graphqlUrl,
      headers: [{ authorization: `Bearer ${data.fleetOwner.accessToken}` }],
      body: graphql(OURS_DEVICES),
      statements: t.ours.statements,
    },
  ];
}

/** One request per contestant, checked for the expected number of rows (a fast wrong answer is not a result). */
export async function checkReads(contestants: Contestant[], expectedRows: number, rowsOf: (name: string, json: unknown) => number) {
  for (const c of contestants) {
    if (c.body.kind !== 'static') continue;
    const res = await fetch(c.url, { method: 'POST', headers: { 'content-type': 'application/json', ...c.headers[0] }, body: c.body.text });
    const json: unknown = await res.json();
    let rows: number;
    try {
      rows = rowsOf(c.name, json);
    } catch {
      rows = NaN;
    }
    if (rows !== expectedRows)
      throw new Error(`${c.name} answered ${rows} rows, expected ${expectedRows}: ${JSON.stringify(json).slice(0, 400)}`);
  }
}
