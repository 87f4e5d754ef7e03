/**
 * Runs load measurements in one worker thread (test/bench/load-worker.ts),
 * one at a time, and sums each up: requests per second and latency
 * quantiles. closeLoad() ends the worker.
 */
import { Worker } from 'node:worker_threads';
import type { LoadResult, LoadSpec } from './load-spec';
import { quantile } from './stats';

export interface LoadSummary {
  requests: number;
  rps: number;
  p50ms: number;
  p99ms: number;
}

let worker: Worker | null = null;

export function runLoad(spec: LoadSpec): Promise<LoadSummary> {
  worker ??= new Worker(new URL('./load-worker.ts', import.meta.url));
  const w = worker;
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => {
      w.off('message', onMessage);
      reject(e);
    };
    const onMessage = (m: { ok?: LoadResult; error?: string }) => {
      w.off('error', onError);
      if (!m.ok) return reject(new Error(m.error));
      const { requests, elapsedMs, latencies } = m.ok;
      resolve({ requests, rps: requests / (elapsedMs / 1000), p50ms: quantile(latencies, 0.5), p99ms: quantile(latencies, 0.99) });
    };
    w.once('message', onMessage);
    w.once('error', onError);
    w.postMessage(spec);
  });
}

export async function closeLoad() {
  await worker?.terminate();
  worker = null;
}
