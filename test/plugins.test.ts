/**
 * Plugins are configuration: the schema is built with no plugins, with each
 * bundled plugin alone and with all of them. A plugin's types, fields, rules,
 * purposes and routes exist only when it is on. Generic over bundledPluginNames(),
 * so plugins added later are covered without editing this file.
 */
import { corePurposes } from '../api/consent/core-purposes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInputObjectType, isInterfaceType, isObjectType, isEnumType, type GraphQLSchema } from 'graphql';
import { bundledPluginNames, loadPlugins } from '../server/plugin-loader';
import { buildSchema, type BuiltSchema } from '../schema';
import type { RuleMap } from '../schema/permissions/kit';
import { startTestServer, type TestServer } from './helpers/server';

/** Every named type and every field/value of the schema, as "Type" and "Type.field". */
function surface(schema: GraphQLSchema): Set<string> {
  const out = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    out.add(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.keys(type.getFields())) out.add(`${type.name}.${field}`);
    }
    if (isEnumType(type)) for (const v of type.getValues()) out.add(`${type.name}.${v.name}`);
  }
  return out;
}

function hasRule(rules: RuleMap, type: string, field: string): boolean {
  const entry = rules[type] as unknown;
  if (!entry) return false;
  if (typeof (entry as { resolve?: unknown }).resolve === 'function') return true;
  return field in (entry as object) || '*' in (entry as object);
}

const names = bundledPluginNames();
let none: BuiltSchema;
let noneSurface: Set<string>;
const alone = new Map<string, { built: BuiltSchema; added: string[] }>();

beforeAll(async () => {
  none = buildSchema(await loadPlugins([]));
  noneSurface = surface(none.declared);
  for (const name of names) {
    const built = buildSchema(await loadPlugins([name]));
    alone.set(name, { built, added: [...surface(built.declared)].filter((x) => !noneSurface.has(x)) });
  }
});

describe('schema without plugins', () => {
  it('builds, and has core but no plugin purposes', () => {
    expect(none.declared.getQueryType()?.getFields().processingPurposes).toBeDefined();
    expect(none.purposes.map((p) => p.code)).toEqual(corePurposes.map((p) => p.code));
    expect(none.purposes.map((p) => p.code)).not.toContain('COOKIES');
  });
});

describe.each(names)('plugin %s alone', (name) => {
  it('adds its types and fields, each guarded by a rule (deny by default would hide them)', async () => {
    const [plugin] = await loadPlugins([name]);
    const { built, added } = alone.get(name)!;
    if (plugin.schema) expect(added.length).toBeGreaterThan(0);
    for (const item of added) {
      const [type, field] = item.split('.');
      const t = built.declared.getType(type);
      if (!field || !(isObjectType(t) || isInterfaceType(t))) continue;
      if (type.endsWith('Connection') || type.endsWith('Edge') || type === 'PageInfo') continue;
      expect(hasRule(built.rules, type, field), `${item} has no rule`).toBe(true);
    }
  });

  it('declares its purposes only when on', async () => {
    const [plugin] = await loadPlugins([name]);
    const codes = (plugin.purposes ?? []).map((p) => p.code);
    const { built } = alone.get(name)!;
    for (const code of codes) {
      expect(built.purposes.map((p) => p.code)).toContain(code);
      expect(none.purposes.map((p) => p.code)).not.toContain(code);
    }
  });

  it("is absent from every other plugin's schema unless that one declares the same thing", async () => {
    const { added } = alone.get(name)!;
    for (const other of names.filter((n) => n !== name)) {
      const otherAdded = new Set(alone.get(other)!.added);
      const otherSurface = surface(alone.get(other)!.built.declared);
      for (const item of added) if (!otherAdded.has(item)) expect(otherSurface.has(item), `${item} leaks into ${other}`).toBe(false);
    }
  });
});

describe('all plugins together', () => {
  it('build one schema containing what each adds', async () => {
    const all = buildSchema(await loadPlugins(null));
    const allSurface = surface(all.declared);
    for (const { added } of alone.values()) for (const item of added) expect(allSurface.has(item)).toBe(true);
  });
});

describe('a server with PLUGINS=none', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ plugins: [] });
  });
  afterAll(() => server?.stop());

  it('does not serve any plugin query or mutation field', async () => {
    for (const { added } of alone.values()) {
      for (const item of added) {
        const [type, field] = item.split('.');
        if (field && (type === 'Query' || type === 'Mutation')) {
          const r = await server.gql(`${type === 'Query' ? 'query' : 'mutation'} { ${field} }`);
          expect(r.errors?.[0].message).toContain(`Cannot query field "${field}"`);
        }
      }
    }
  });

  it("does not serve any plugin's routes", async () => {
    for (const plugin of await loadPlugins(null)) {
      for (const route of plugin.routes ?? []) {
        const res = await fetch(`${server.url}${route.path}`, { method: route.method });
        expect(res.status, `${route.method} ${route.path}`).toBe(404);
      }
    }
  });

  it('lists no plugin purpose', async () => {
    const r = await server.gql(`{ processingPurposes { code } }`);
    const pluginCodes = (await loadPlugins(null)).flatMap((p) => (p.purposes ?? []).map((x) => x.code));
    for (const { code } of r.data.processingPurposes) expect(pluginCodes).not.toContain(code);
  });
});
