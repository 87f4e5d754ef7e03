/**
 * The subscribers of the bench's live fan-out, in a worker thread: `count`
 * graphql-ws connections subscribed to one device's locationUpdated. Reports
 * 'ready' once every subscriber has received a fix (so all are registered),
 * then on { expect: latitude, timeoutMs } the wall-clock arrival time of that
 * fix at each subscriber (performance.timeOrigin + now, comparable across
 * threads), or at the timeout the arrivals so far and how many are missing.
 * A failed subscription is reported at once.
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
let failures = 0;
let timer: NodeJS.Timeout | undefined;

function fail(message: string) {
  if (failures++ === 0) parentPort!.postMessage({ error: message });
}

function onEvent(i: number, latitude: number) {
  received[i]++;
  if (latitude === expected) {
    arrivals.push(now());
    if (arrivals.length === count) {
      clearTimeout(timer);
      parentPort!.postMessage({ arrivals, missing: 0 });
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
      next: (r) => (r.data ? onEvent(i, r.data.locationUpdated.latitude) : fail(JSON.stringify(r.errors))),
      error: (e) => fail(`subscriber ${i}: ${e instanceof Error ? e.message : JSON.stringify(e)}`),
      complete: () => fail(`subscriber ${i}: the server completed the subscription`),
    },
  );
  // Connect in small waves so the server sees a steady trickle, not a thousand handshakes at once.
  if (i % 50 === 49) await new Promise((r) => setTimeout(r, 20));
}
parentPort!.postMessage({ subscribed: true });

parentPort!.on('message', (m: { expect?: number; timeoutMs?: number; close?: boolean }) => {
  if (m.expect !== undefined) {
    expected = m.expect;
    arrivals = [];
    timer = setTimeout(() => {
      parentPort!.postMessage({ arrivals, missing: count - arrivals.length });
      expected = null;
    }, m.timeoutMs ?? 30_000);
  }
  if (m.close) void Promise.all(clients.map((c) => c.dispose())).then(() => parentPort!.postMessage({ closed: true }));
});
