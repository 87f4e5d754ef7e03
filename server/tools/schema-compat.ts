/**
 * `npm run schema:check`: compares generated/schema.graphql with the last
 * released schema (schema/released/v1.graphql) using @graphql-inspector/core.
 * A breaking change fails unless CHANGELOG.md lists it with its deprecation
 * period, as a line of the form
 *
 *   - BREAKING `Type.field`: what changed (deprecated 2026-12-01, removed 2027-03-01)
 *
 * where the period between the two dates is at least MIN_DEPRECATION_DAYS:
 * integrators get the deprecation first and the removal later, never a silent break.
 * test/schema-compat.test.ts runs it in every test run (and so in CI).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';

export const MIN_DEPRECATION_DAYS = 90;
const DAY_MS = 86_400_000;

export interface CompatResult {
  /** Every breaking change inspector found. */
  breaking: Change[];
  /** Breaking changes without a valid CHANGELOG entry: these fail CI. */
  unlisted: { change: Change; reason: string }[];
}

interface ChangelogEntry {
  path: string;
  deprecated: Date | null;
  removed: Date | null;
}

/** The `- BREAKING \`path\`` lines of CHANGELOG.md with their dates. */
export function parseChangelog(text: string): ChangelogEntry[] {
  const entries: ChangelogEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*[-*]\s+BREAKING\s+`([^`]+)`/.exec(line);
    if (!m) continue;
    const date = (word: string) => {
      const d = new RegExp(`${word}\\s+(\\d{4}-\\d{2}-\\d{2})`).exec(line)?.[1];
      return d ? new Date(`${d}T00:00:00Z`) : null;
    };
    entries.push({ path: m[1], deprecated: date('deprecated'), removed: date('removed') });
  }
  return entries;
}

export async function checkSchemaCompatibility(releasedSdl: string, currentSdl: string, changelog: string): Promise<CompatResult> {
  const changes = await diff(buildSchema(releasedSdl), buildSchema(currentSdl));
  const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
  const entries = parseChangelog(changelog);
  const unlisted: CompatResult['unlisted'] = [];
  for (const change of breaking) {
    const path = change.path ?? change.message;
    const entry = entries.find((e) => e.path === path);
    if (!entry) {
      unlisted.push({
        change,
        reason: `not listed in CHANGELOG.md (add "- BREAKING \`${path}\`: … (deprecated YYYY-MM-DD, removed YYYY-MM-DD)")`,
      });
    } else if (!entry.deprecated || !entry.removed) {
      unlisted.push({ change, reason: 'the CHANGELOG.md entry needs both "deprecated <date>" and "removed <date>"' });
    } else if (entry.removed.getTime() - entry.deprecated.getTime() < MIN_DEPRECATION_DAYS * DAY_MS) {
      unlisted.push({ change, reason: `deprecation period shorter than ${MIN_DEPRECATION_DAYS} days` });
    }
  }
  return { breaking, unlisted };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = join(import.meta.dirname, '..', '..');
  const read = (p: string) => readFileSync(join(root, p), 'utf8');
  const result = await checkSchemaCompatibility(read('schema/released/v1.graphql'), read('generated/schema.graphql'), read('CHANGELOG.md'));
  for (const { change, reason } of result.unlisted) console.error(`BREAKING ${change.path ?? ''}: ${change.message} — ${reason}`);
  console.log(`${result.breaking.length} breaking change(s) since schema/released/v1.graphql, ${result.unlisted.length} not announced`);
  process.exit(result.unlisted.length ? 1 : 0);
}
