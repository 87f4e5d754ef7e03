/**
 * `npm run build`: compiles the server to dist/ as plain ESM JavaScript for
 * `node` (no tsx, no devDependencies at run time). Each .ts file becomes one
 * .js file at the same relative path (esbuild, one output per source, every
 * relative import rewritten to its .js file, packages left to node_modules),
 * so paths computed from import.meta.url (project root, migrations, plugins,
 * demo page) resolve inside dist/ the same way they do in the source tree.
 * Non-TS files read at run time are copied next to their modules.
 */
import { build, type Plugin } from 'esbuild';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { projectRoot } from '../../api/db/prisma-files';

const outdir = join(projectRoot, 'dist');
const SOURCE_DIRS = ['api', 'server', 'schema', 'plugins', 'seeds', 'generated/prisma', 'generated/pothos-prisma-types.ts'];
/** Build-time tools and the browser code of the demo page (bundled by the page itself) stay out. */
const EXCLUDED = [/\.test\.ts$/, /^server\/tools\//, /^server\/demo\/(app|map)\.ts$/, /\.d\.ts$/];
const ASSETS = [
  'api/db/migrations',
  'server/demo/index.html',
  'server/demo/demo.css',
  'server/demo/app.ts',
  'server/demo/map.ts',
  // Read at run time: the customer's policy documents (seed data) and the trusted-documents manifest.
  'seeds/documents',
  'generated/sdk/operations/persisted-documents.json',
];

function walk(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path).flatMap((n) => walk(join(path, n)));
}

const sources = SOURCE_DIRS.flatMap((d) => walk(join(projectRoot, d)))
  .filter((f) => f.endsWith('.ts'))
  .filter((f) => !EXCLUDED.some((re) => re.test(relative(projectRoot, f))));

/** Keeps relative imports as imports of the sibling .js output (no bundling across files). */
const relativeToJs: Plugin = {
  name: 'relative-imports-to-js',
  setup(b) {
    b.onResolve({ filter: /^\.\.?(\/|$)/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const base = resolve(args.resolveDir, args.path);
      const candidates: [string, string][] = [
        [`${base}.ts`, `${args.path}.js`],
        [join(base, 'index.ts'), `${args.path.replace(/\/$/, '')}/index.js`],
        [base.replace(/\.js$/, '.ts'), args.path],
      ];
      for (const [file, spec] of candidates) if (existsSync(file) && statSync(file).isFile()) return { path: spec, external: true };
      if (existsSync(base) && statSync(base).isFile()) return { path: args.path, external: true };
      return { errors: [{ text: `cannot resolve ${args.path} from ${relative(projectRoot, args.importer)}` }] };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: sources,
  outdir,
  outbase: projectRoot,
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node24',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [relativeToJs],
});
for (const asset of ASSETS) {
  const from = join(projectRoot, asset);
  if (!existsSync(from)) continue;
  const to = join(outdir, asset);
  cpSync(from, to, { recursive: true });
}
console.log(`built ${sources.length} modules into ${relative(process.cwd(), outdir) || outdir}/ (run: npm run serve)`);
