/**
 * Finds and loads plugins by folder name. This is the only place that knows
 * where plugins live; it imports them dynamically, so core has no static
 * dependency on any plugin.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PluginDefinition } from '../schema/plugin-api';

const pluginsDir = resolve(fileURLToPath(new URL('../plugins', import.meta.url)));

/** A plugin's entry: index.ts in the source tree, index.js in the build (dist/, see server/tools/build.ts). */
function entryOf(name: string): string | null {
  for (const file of ['index.ts', 'index.js']) if (existsSync(join(pluginsDir, name, file))) return join(pluginsDir, name, file);
  return null;
}

/** Every bundled plugin folder with an index entry, sorted by name. */
export function bundledPluginNames(): string[] {
  if (!existsSync(pluginsDir)) return [];
  return readdirSync(pluginsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && entryOf(d.name) !== null)
    .map((d) => d.name)
    .sort();
}

/** Loads the named plugins (null: all bundled). Unknown names are a start-up error. */
export async function loadPlugins(names: string[] | null): Promise<PluginDefinition[]> {
  const available = bundledPluginNames();
  const wanted = names ?? available;
  const unknown = wanted.filter((n) => !available.includes(n));
  if (unknown.length) {
    throw new Error(`PLUGINS names unknown plugin(s): ${unknown.join(', ')} (available: ${available.join(', ') || 'none'})`);
  }
  const loaded: PluginDefinition[] = [];
  for (const name of wanted) {
    const mod = (await import(pathToFileURL(entryOf(name)!).href)) as { default?: PluginDefinition };
    if (!mod.default || mod.default.name !== name) {
      throw new Error(`plugins/${name}/index.ts must default-export definePlugin({ name: '${name}', ... })`);
    }
    loaded.push(mod.default);
  }
  return loaded;
}
