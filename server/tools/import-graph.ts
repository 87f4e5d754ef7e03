/**
 * The import graph of the project's own TypeScript files, and the checks that
 * keep the layers honest (docs/architecture.md): no cycles between files, and
 * imports between top-level folders only in the allowed direction. Used by
 * test/architecture.test.ts; `npx tsx server/tools/import-graph.ts` prints it.
 * Type-only imports count too: a cycle of types is still a cycle for a reader.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

export const SOURCE_FOLDERS = ['server', 'schema', 'api', 'plugins', 'seeds'] as const;

/** Which top-level folder may import which (product code; tests may import anything). */
export const ALLOWED: Record<string, string[]> = {
  server: ['schema', 'api', 'seeds', 'generated'],
  schema: ['api', 'generated'],
  plugins: ['generated'], // + schema/plugin-api.ts, checked separately
  seeds: ['api', 'generated'],
  api: ['generated'],
};

export interface ImportGraph {
  files: string[];
  edges: Map<string, string[]>;
}

function walk(root: string, dir: string, out: string[]) {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(root, path, out);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

export function importGraph(root: string): ImportGraph {
  const files: string[] = [];
  for (const folder of SOURCE_FOLDERS) if (existsSync(join(root, folder))) walk(root, folder, files);
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const targets: string[] = [];
    for (const m of text.matchAll(IMPORT)) {
      const base = normalize(join(dirname(file), m[1] ?? m[2]));
      const hit = [base, `${base}.ts`, join(base, 'index.ts'), base.replace(/\.js$/, '.ts')].find(
        (c) => existsSync(join(root, c)) && statSync(join(root, c)).isFile(),
      );
      if (hit) targets.push(relative('.', hit));
    }
    edges.set(file, targets);
  }
  return { files, edges };
}

/** Strongly connected components with more than one file (Tarjan). */
export function cycles(graph: ImportGraph): string[][] {
  let index = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.edges.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.edges.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const f of graph.files) if (!idx.has(f)) visit(f);
  return found;
}

const topOf = (file: string) => file.split('/')[0];
const isTest = (file: string) => file.endsWith('.test.ts');

/** Imports that break the layering, as "from -> to" lines. */
export function layerViolations(graph: ImportGraph): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph.edges) {
    if (isTest(from)) continue;
    for (const to of targets) {
      const a = topOf(from);
      const b = topOf(to);
      if (a === b) {
        // Plugins never import each other.
        if (a === 'plugins' && from.split('/')[1] !== to.split('/')[1]) out.push(`${from} -> ${to} (plugins never import each other)`);
        continue;
      }
      if (a === 'plugins' && to === 'schema/plugin-api.ts') continue;
      if (!(ALLOWED[a] ?? []).includes(b)) out.push(`${from} -> ${to} (${a}/ may import only ${[...(ALLOWED[a] ?? [])].join(', ')})`);
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const graph = importGraph(process.cwd());
  const counts = new Map<string, number>();
  for (const [from, targets] of graph.edges) {
    for (const to of targets)
      if (topOf(from) !== topOf(to)) counts.set(`${topOf(from)} -> ${topOf(to)}`, (counts.get(`${topOf(from)} -> ${topOf(to)}`) ?? 0) + 1);
  }
  for (const [k, v] of [...counts].sort()) console.log(`${k}: ${v}`);
  console.log('cycles:', cycles(graph));
  console.log('layer violations:', layerViolations(graph));
}
