/**
 * What a bench load run sends (shared by the runner and the load worker):
 * a fixed GraphQL/JSON body, or a batch of fresh location points per request
 * (unique client ids, so ingestion never turns into duplicate detection).
 */
export type BodySpec =
  | { kind: 'static'; text: string; method?: 'POST' }
  | {
      kind: 'points';
      /** 'graphql': a recordLocations mutation; 'json': `{ points }` for the raw endpoint. */
      format: 'graphql' | 'json';
      batch: number;
      /** Distinguishes runs so client ids never repeat across runs. */
      run: string;
      method?: 'POST';
    };

export interface LoadSpec {
  url: string;
  /** Headers per client (client i uses headers[i % length]). */
  headers: Record<string, string>[];
  body: BodySpec;
  concurrency: number;
  durationMs: number;
}

export interface LoadResult {
  requests: number;
  elapsedMs: number;
  latencies: number[];
}

export const RECORD_MUTATION = `mutation($i: RecordLocationsInput!) { recordLocations(input: $i) { accepted duplicates } }`;

const base = Date.now() - 24 * 3600 * 1000;

/** `nonce` is unique per load run (client ids must not repeat across runs). */
export function makeBody(spec: BodySpec, client: number, seq: number, nonce: string): string {
  if (spec.kind === 'static') return spec.text;
  const points = Array.from({ length: spec.batch }, (_, i) => ({
    clientId: `${spec.run}-${nonce}-${client}-${seq}-${i}`,
    recordedAt: new Date(base + seq * spec.batch + i).toISOString(),
    latitude: 56.9 + (i % 100) / 1000,
    longitude: 24.0 + (seq % 100) / 1000,
    accuracy: 5,
    speed: 1.2,
    battery: 80,
  }));
  return spec.format === 'graphql' ? JSON.stringify({ query: RECORD_MUTATION, variables: { i: { points } } }) : JSON.stringify({ points });
}
