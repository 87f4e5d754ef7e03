/**
 * The bench's output: a Markdown table (the README's performance section is
 * copied from it) with throughput ratios ours/raw and ours/PostGraphile, and
 * the JSON artifact test-artifacts/bench.json with every number.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Comparison, ContestantResult } from './compare';
import type { FanoutResult } from './scenarios/fanout';
import { round } from './stats';

export interface Row {
  measure: string;
  comparison: Comparison;
  /** Points per request (ingestion reports points/s instead of req/s). */
  pointsPerRequest?: number;
}

const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : String(round(n, 1)));

function cell(r: ContestantResult | undefined, row: Row): string {
  if (!r) return '';
  const rate = row.pointsPerRequest ? `${fmt(r.rps * row.pointsPerRequest)} points/s` : `${fmt(r.rps)} req/s`;
  return `${rate}, p50 ${fmt(r.p50ms)} ms`;
}

const ratio = (a: ContestantResult | undefined, b: ContestantResult | undefined) => (a && b ? round(a.rps / b.rps, 2).toFixed(2) : '');
const sql = (r: ContestantResult | undefined) => (r && !Number.isNaN(r.sqlStatementsPerRequest) ? String(r.sqlStatementsPerRequest) : '-');

export function table(rows: Row[], fanouts: { measure: string; result: FanoutResult | null; error?: string }[]): string {
  const lines = [
    '| measure | ours | raw SQL | PostGraphile | ours / raw | ours / PostGraphile | SQL statements per request (ours / raw / PostGraphile) |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const { ours, raw, postgraphile } = row.comparison.results;
    lines.push(
      `| ${row.measure} | ${cell(ours, row)} | ${cell(raw, row)} | ${cell(postgraphile, row)} | ${ratio(ours, raw)} | ${ratio(ours, postgraphile)} | ${sql(ours)} / ${sql(raw)} / ${sql(postgraphile)} |`,
    );
  }
  for (const f of fanouts) {
    const r = f.result;
    const missed = r?.missedDeliveries ? ` (${r.missedDeliveries} deliveries missing after 30 s)` : '';
    lines.push(
      r
        ? `| ${f.measure} | p50 ${fmt(r.p50ms)} ms, p99 ${fmt(r.p99ms)} ms${missed} | | | | | ${round(r.sqlStatementsPerDelivery, 2)} per delivery |`
        : `| ${f.measure} | failed: ${(f.error ?? '').replaceAll('|', '/').slice(0, 200)} | | | | | |`,
    );
  }
  return lines.join('\n');
}

export function writeArtifact(results: unknown) {
  mkdirSync('test-artifacts', { recursive: true });
  writeFileSync('test-artifacts/bench.json', JSON.stringify(results, null, 2));
}

/** Adds or replaces these keys in an existing artifact (a run of one scenario keeps the rest's numbers). */
export function mergeArtifact(results: Record<string, unknown>) {
  const file = 'test-artifacts/bench.json';
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  writeArtifact({ ...existing, ...results });
}
