/**
 * The HTTP load client of `npm run bench`, run in a worker thread so that
 * the client's own work (building bodies, parsing answers) does not share an
 * event loop with the server under test. The same loop drives our API, the
 * raw node-postgres endpoints and PostGraphile: `concurrency` requests in
 * flight until `durationMs` is over; every answer must be 200 without
 * GraphQL errors or the run fails (a fast error is not a fast answer).
 * Runs one spec per message, one at a time.
 */
import { randomUUID } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { makeBody, type LoadSpec, type LoadResult } from './load-spec';

async function run(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  let seq = 0;
  const nonce = randomUUID().slice(0, 8);
  let failure: string | null = null;
  const end = performance.now() + spec.durationMs;
  const client = async (index: number) => {
    const headers = { 'content-type': 'application/json', ...(spec.headers[index % spec.headers.length] ?? {}) };
    while (performance.now() < end && !failure) {
      const body = makeBody(spec.body, index, seq++, nonce);
      const t0 = performance.now();
      const res = await fetch(spec.url, { method: spec.body.method ?? 'POST', headers, body });
      const text = await res.text();
      const t = performance.now() - t0;
      if (res.status !== 200 || text.startsWith('{"errors"') || text.includes('"errors":[')) {
        failure = `${res.status} ${text.slice(0, 300)}`;
        break;
      }
      latencies.push(t);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: spec.concurrency }, (_, i) => client(i)));
  const elapsed = performance.now() - t0;
  if (failure) throw new Error(`load on ${spec.url} failed: ${failure}`);
  return { requests: latencies.length, elapsedMs: elapsed, latencies };
}

// One worker serves every run of the bench (starting a worker per run costs more than a short run).
parentPort!.on('message', (spec: LoadSpec) => {
  run(spec).then(
    (r) => parentPort!.postMessage({ ok: r }),
    (e: unknown) => parentPort!.postMessage({ error: String(e instanceof Error ? e.message : e) }),
  );
});
