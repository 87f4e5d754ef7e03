/**
 * The subscribers of the bench's live fan-out, in a worker thread: `count`
 * graphql-ws connections subscribed to one device's locationUpdated. Reports
 * 'ready' once every subscriber has received a fix (so all are registered),
 * then on { expect: latitude } the wall-clock arrival time of that fix at
 * each subscriber (performance.timeOrigin + now, comparable across threads).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

interface Setup {
  wsUrl: string;
  token: string;
  deviceId: string;
  count: number;
}

const { wsUrl, token, deviceId, count } = workerData as Setup;
const QUERY = `subscription($ids: [ID!]) { locationUpdated(deviceIds: $ids) { id latitude longitude recordedAt } }`;
const now = () => performance.timeOrigin + performance.now();

const clients: Client[] = [];
const received = new Array<number>(count).fill(0);
let expected: number | null = null;
let arrivals: number[] = [];
let failure: string | null = null;

function onEvent(i: number, latitude: number) {
  received[i]++;
  if (latitude === expected) {
    arrivals.push(now());
    if (arrivals.length === count) {
      parentPort!.postMessage({ arrivals });
      expected = null;
    }
  } else if (received.every((n) => n > 0) && !readySent) {
    readySent = true;
    parentPort!.postMessage({ ready: true });
  }
}
let readySent = false;

for (let i = 0; i < count; i++) {
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  clients.push(client);
  client.subscribe<{ locationUpdated: { latitude: number } }>(
    { query: QUERY, variables: { ids: [deviceId] } },
    {
      next: (r) => (r.data ? onEvent(i, r.data.locationUpdated.latitude) : (failure ??= JSON.stringify(r.errors))),
      error: (e) => (failure ??= String(e instanceof Error ? e.message : JSON.stringify(e))),
      complete: () => {},
    },
  );
  // Connect in small waves so the server sees a steady trickle, not a thousand handshakes at once.
  if (i % 50 === 49) await new Promise((r) => setTimeout(r, 20));
}
parentPort!.postMessage({ subscribed: true });

parentPort!.on('message', (m: { expect?: number; close?: boolean }) => {
  if (failure) parentPort!.postMessage({ error: failure });
  if (m.expect !== undefined) {
    expected = m.expect;
    arrivals = [];
  }
  if (m.close) void Promise.all(clients.map((c) => c.dispose())).then(() => parentPort!.postMessage({ closed: true }));
});
