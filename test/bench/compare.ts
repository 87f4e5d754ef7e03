/**
 * Interleaved comparison: for each repeat, every contestant runs the same
 * load in turn (A B C, A B C, ...), so machine noise spreads over all of
 * them; the result per contestant is the median over the repeats. SQL
 * statements per request are counted apart, over a few sequential requests.
 */
import { runLoad, type LoadSummary } from './load';
import type { BodySpec } from './load-spec';
import { makeBody } from './load-spec';
import { median } from './stats';

export type ContestantName = 'ours' | 'raw' | 'postgraphile';

export interface Contestant {
  name: ContestantName;
  url: string;
  headers: Record<string, string>[];
  body: BodySpec;
  statements(): number;
}

export interface ContestantResult {
  rps: number;
  p50ms: number;
  p99ms: number;
  requests: number;
  sqlStatementsPerRequest: number;
}

export interface Comparison {
  concurrency: number;
  durationMs: number;
  repeats: number;
  results: Partial<Record<ContestantName, ContestantResult>>;
}

async function statementsPerRequest(c: Contestant, samples: number): Promise<number> {
  const before = c.statements();
  for (let i = 0; i < samples; i++) {
    const res = await fetch(c.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...c.headers[0] },
      body: makeBody(c.body, 0, i, `count${Date.now().toString(36)}`),
    });
    if (res.status !== 200) throw new Error(`${c.name}: ${res.status} ${await res.text()}`);
    await res.text();
  }
  return Math.round(((c.statements() - before) / samples) * 10) / 10;
}

export async function compare(
  contestants: Contestant[],
  options: { concurrency: number; durationMs: number; repeats: number; warmupMs: number; countStatements: boolean },
): Promise<Comparison> {
  const runs = new Map<ContestantName, LoadSummary[]>();
  const load = (c: Contestant, durationMs: number) =>
    runLoad({ url: c.url, headers: c.headers, body: c.body, concurrency: options.concurrency, durationMs });
  for (const c of contestants) await load(c, options.warmupMs);
  for (let rep = 0; rep < options.repeats; rep++) {
    for (const c of contestants) {
      const r = await load(c, options.durationMs);
      runs.set(c.name, [...(runs.get(c.name) ?? []), r]);
    }
  }
  const results: Comparison['results'] = {};
  for (const c of contestants) {
    const rs = runs.get(c.name)!;
    results[c.name] = {
      rps: median(rs.map((r) => r.rps)),
      p50ms: median(rs.map((r) => r.p50ms)),
      p99ms: median(rs.map((r) => r.p99ms)),
      requests: rs.reduce((a, r) => a + r.requests, 0),
      sqlStatementsPerRequest: options.countStatements ? await statementsPerRequest(c, 5) : NaN,
    };
  }
  return { concurrency: options.concurrency, durationMs: options.durationMs, repeats: options.repeats, results };
}
