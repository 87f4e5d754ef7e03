/**
 * Prisma's schema engine as WebAssembly, driven through our driver adapter, so
 * migrations run offline on PGlite and PostgreSQL alike (the CLI would
 * download a native binary). The package's ESM entry imports a .wasm file,
 * which Node rejects, so we instantiate the module ourselves.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

type Bindings = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');
let bindings: Promise<Bindings> | undefined;

async function loadBindings(): Promise<Bindings> {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
  const bg = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as Bindings & {
    __wbg_set_wasm(exports: WebAssembly.Exports): void;
  };
  const module = new WebAssembly.Module(readFileSync(join(pkgDir, 'schema_engine_bg.wasm')));
  const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown };
  g.PRISMA_WASM_PANIC_REGISTRY ??= { set_message: (message: string) => console.error(`schema engine panic: ${message}`) };
  return bg;
}

export async function openSchemaEngine(
  factory: SqlMigrationAwareDriverAdapterFactory,
  schemaFiles: { path: string; content: string }[],
): Promise<SchemaEngine> {
  bindings ??= loadBindings();
  const bg = await bindings;
  return bg.SchemaEngine.new(
    { datamodels: schemaFiles.map((f) => [f.path, f.content] as [string, string]) },
    () => {},
    bindMigrationAwareSqlAdapterFactory(factory),
  );
}
