/**
 * Live fan-out: `count` graphql-ws subscribers (test/bench/fanout-worker.ts)
 * on one device, one fix recorded over HTTP; delivery latency from just
 * before the recordLocations request to each subscriber's arrival, p50 and
 * p99, and the SQL statements the deliveries cost (the statements of the
 * whole fix minus those of recording it without subscribers).
 */
import { Worker } from 'node:worker_threads';
import { gql } from '../../helpers/server';
import { RECORD_MUTATION } from '../load-spec';
import type { BenchDevice } from '../seed';
import { median, quantile } from '../stats';

export interface FanoutTarget {
  /** Where the fix is recorded. */
  graphqlUrl: string;
  /** Where the subscribers connect. */
  wsUrl: string;
  /** SQL statements sent so far by every instance involved. */
  statements(): number;
}

export interface FanoutResult {
  subscribers: number;
  repeats: number;
  p50ms: number;
  p99ms: number;
  maxMs: number;
  sqlStatementsPerDelivery: number;
  sqlStatementsToRecordTheFix: number;
  /** Subscribers that had not received the fix after ARRIVAL_TIMEOUT_MS, summed over the repeats (latencies are of those that had). */
  missedDeliveries: number;
}

const ARRIVAL_TIMEOUT_MS = 30_000;

let lat = 56;
const now = () => performance.timeOrigin + performance.now();

async function record(target: FanoutTarget, device: BenchDevice): Promise<number> {
  const latitude = (lat = Math.round((lat + 0.001) * 1000) / 1000);
  const r = await gql(
    target.graphqlUrl,
    RECORD_MUTATION,
    { i: { points: [{ clientId: `fan-${latitude}`, recordedAt: new Date().toISOString(), latitude, longitude: 24.1 }] } },
    { token: device.token },
  );
  if (r.errors) throw new Error(`recordLocations failed: ${JSON.stringify(r.errors)}`);
  return latitude;
}

export async function fanout(
  target: FanoutTarget,
  device: BenchDevice,
  ownerToken: string,
  count: number,
  repeats: number,
): Promise<FanoutResult> {
  // The statements of recording a fix nobody listens to.
  let before = target.statements();
  await record(target, device);
  const recordStatements = target.statements() - before;

  const worker = new Worker(new URL('../fanout-worker.ts', import.meta.url), {
    workerData: { wsUrl: target.wsUrl, token: ownerToken, deviceId: device.id, count },
  });
  const messages: Record<string, unknown>[] = [];
  let wake: (() => void) | null = null;
  worker.on('message', (m: Record<string, unknown>) => {
    messages.push(m);
    wake?.();
  });
  worker.on('error', (e) => messages.push({ error: String(e) }));
  /** Waits for the worker's message `key`; `poke` (if any) runs now and then every `pokeEveryMs` until it comes. */
  const next = async (key: string, timeoutMs: number, poke?: () => Promise<unknown>, pokeEveryMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    let nextPoke = Date.now();
    for (;;) {
      const i = messages.findIndex((m) => key in m || 'error' in m);
      if (i >= 0) {
        const [m] = messages.splice(i, 1);
        if ('error' in m) throw new Error(`fan-out subscriber failed: ${String(m.error)}`);
        return m;
      }
      if (Date.now() > deadline) throw new Error(`fan-out: no '${key}' within ${timeoutMs} ms`);
      if (poke && Date.now() >= nextPoke) {
        await poke();
        nextPoke = Date.now() + pokeEveryMs;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 100);
      });
    }
  };
  try {
    await next('subscribed', 120_000);
    // Let the last subscriptions register, then one fix (another every 10 s while some subscriber still has none):
    // when every subscriber got one, all are registered and warm, and no backlog of warm-up fixes delays the measured one.
    await new Promise((r) => setTimeout(r, 2000));
    await next('ready', 120_000, () => record(target, device));
    await new Promise((r) => setTimeout(r, 1000));
    const p50s: number[] = [];
    const p99s: number[] = [];
    const maxes: number[] = [];
    const perDelivery: number[] = [];
    let missed = 0;
    for (let rep = 0; rep < repeats; rep++) {
      const expected = Math.round((lat + 0.001) * 1000) / 1000;
      worker.postMessage({ expect: expected, timeoutMs: ARRIVAL_TIMEOUT_MS });
      await new Promise((r) => setTimeout(r, 50));
      before = target.statements();
      const t0 = now();
      await record(target, device);
      const { arrivals, missing } = (await next('arrivals', ARRIVAL_TIMEOUT_MS + 10_000)) as { arrivals: number[]; missing: number };
      missed += missing;
      // Deliveries may still be finishing their SQL after the last arrival: give them a moment before counting.
      await new Promise((r) => setTimeout(r, 200));
      perDelivery.push((target.statements() - before - recordStatements) / Math.max(1, arrivals.length));
      const latencies = arrivals.map((a) => a - t0);
      p50s.push(quantile(latencies, 0.5));
      p99s.push(quantile(latencies, 0.99));
      maxes.push(Math.max(...latencies));
      await new Promise((r) => setTimeout(r, 300));
    }
    return {
      subscribers: count,
      repeats,
      p50ms: median(p50s),
      p99ms: median(p99s),
      maxMs: median(maxes),
      sqlStatementsPerDelivery: median(perDelivery),
      sqlStatementsToRecordTheFix: recordStatements,
      missedDeliveries: missed,
    };
  } finally {
    worker.postMessage({ close: true });
    await next('closed', 30_000).catch(() => {});
    await worker.terminate();
  }
}
