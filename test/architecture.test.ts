import { describe, expect, it } from 'vitest';
import { cycles, importGraph, layerViolations } from '../server/tools/import-graph';

const graph = importGraph(new URL('..', import.meta.url).pathname);

describe('the import graph (docs/architecture.md)', () => {
  it('reads the project (sanity: it finds files and imports)', () => {
    expect(graph.files.length).toBeGreaterThan(100);
    expect(graph.edges.get('server/app.ts')).toContain('api/context.ts');
  });

  it('has no cycles between files', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('points one way: server -> schema -> api; plugins only through schema/plugin-api.ts; core never imports plugins', () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  it('would notice a violation (the checks can fail)', () => {
    const broken = {
      files: ['api/a.ts', 'schema/b.ts'],
      edges: new Map([
        ['api/a.ts', ['schema/b.ts']],
        ['schema/b.ts', ['api/a.ts']],
      ]),
    };
    expect(cycles(broken)).toHaveLength(1);
    expect(layerViolations(broken)).toEqual([expect.stringContaining('api/a.ts -> schema/b.ts')]);
    const plugin = {
      files: ['plugins/x/i.ts'],
      edges: new Map([['plugins/x/i.ts', ['api/errors.ts', 'plugins/y/i.ts', 'schema/plugin-api.ts']]]),
    };
    expect(layerViolations(plugin)).toHaveLength(2);
  });
});
