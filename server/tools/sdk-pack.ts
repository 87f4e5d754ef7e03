/**
 * `npm run sdk:pack`: builds generated/sdk into a publishable npm package and
 * writes its tarball to dist-sdk/ (gitignored). Integrators install the
 * tarball (or the published package) without this repository, its
 * devDependencies or its postinstall.
 *
 * The package (dist-sdk/package/):
 * - index.js: one ES module (esbuild; graphql-ws is bundled in), so it has no
 *   runtime dependencies and runs in Node 22+, browsers and every bundler;
 * - *.d.ts: declarations per source file, with `.js` import specifiers so
 *   TypeScript resolves them under `moduleResolution` NodeNext and bundler;
 *   the one type the generated code takes from @graphql-typed-document-node/core
 *   is vendored (typed-document.d.ts), so there is nothing to install;
 * - persisted-documents.json: the trusted-documents manifest (hash -> document);
 * - package.json with `exports` (types first) and README.md.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..', '..');
const sdkDir = join(root, 'generated', 'sdk');
export const SDK_PACKAGE_NAME = '@location-platform/sdk';

const TYPED_DOCUMENT = `/** Vendored from @graphql-typed-document-node/core (MIT): the type marker of a typed document. */
export interface DocumentTypeDecoration<TResult, TVariables> {
  __apiType?: (variables: TVariables) => TResult;
}
export type ResultOf<T> = T extends DocumentTypeDecoration<infer R, infer _V> ? R : never;
export type VariablesOf<T> = T extends DocumentTypeDecoration<infer _R, infer V> ? V : never;
`;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'bundle' ? [] : sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Copies the SDK sources with ESM-correct specifiers (from './x', import('./x') -> './x.js'), the typed-document
 * import -> the vendored file.
 */
function copyForDeclarations(srcRoot: string) {
  for (const file of sourceFiles(sdkDir)) {
    const rel = relative(sdkDir, file);
    const target = join(srcRoot, rel);
    mkdirSync(dirname(target), { recursive: true });
    let vendored = relative(dirname(rel), 'typed-document.js').replaceAll('\\', '/');
    if (!vendored.startsWith('.')) vendored = `./${vendored}`;
    const text = readFileSync(file, 'utf8')
      .replace(/((?:from\s+|import\()['"])(\.{1,2}\/[^'"]+?)(['"])/g, (_m, a: string, spec: string, b: string) =>
        spec.endsWith('.js') ? `${a}${spec}${b}` : `${a}${spec}.js${b}`,
      )
      .replaceAll("'@graphql-typed-document-node/core'", `'${vendored}'`);
    writeFileSync(target, text);
  }
  writeFileSync(join(srcRoot, 'typed-document.ts'), TYPED_DOCUMENT);
}

export async function packSdk(outDir = join(root, 'dist-sdk')): Promise<{ tarball: string; packageDir: string }> {
  const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  rmSync(outDir, { recursive: true, force: true });
  // Sources stay inside the repository, so tsc resolves graphql-ws' types from its node_modules.
  const srcRoot = join(root, 'node_modules', '.cache', 'sdk-pack', String(process.pid));
  rmSync(srcRoot, { recursive: true, force: true });
  const packageDir = join(outDir, 'package');
  mkdirSync(packageDir, { recursive: true });
  copyForDeclarations(srcRoot);

  // Declarations (tsc from this repository; the package itself needs no TypeScript).
  writeFileSync(
    join(srcRoot, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2023', 'DOM'],
        types: [],
        strict: true,
        declaration: true,
        emitDeclarationOnly: true,
        skipLibCheck: true,
        outDir: packageDir,
        rootDir: '.',
      },
      include: ['**/*.ts'],
    }),
  );
  writeFileSync(join(srcRoot, 'package.json'), JSON.stringify({ type: 'module' }));
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(srcRoot, 'tsconfig.json')], {
      stdio: 'inherit',
    });
  } finally {
    rmSync(srcRoot, { recursive: true, force: true });
  }

  // The code: one ES module without runtime dependencies.
  await build({
    entryPoints: [join(sdkDir, 'index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    logLevel: 'warning',
    outfile: join(packageDir, 'index.js'),
  });

  const manifest = join(sdkDir, 'operations', 'persisted-documents.json');
  const files = ['index.js', '**/*.d.ts', 'README.md'];
  if (existsSync(manifest)) {
    cpSync(manifest, join(packageDir, 'persisted-documents.json'));
    files.push('persisted-documents.json');
  }
  const pkg = {
    name: SDK_PACKAGE_NAME,
    version: rootPackage.version,
    description: 'Typed TypeScript/JavaScript SDK of the location platform (GraphQL over HTTP and graphql-ws)',
    type: 'module',
    sideEffects: false,
    engines: { node: '>=22' },
    exports: {
      '.': { types: './index.d.ts', default: './index.js' },
      ...(existsSync(manifest) ? { './persisted-documents.json': './persisted-documents.json' } : {}),
      './package.json': './package.json',
    },
    main: './index.js',
    types: './index.d.ts',
    files,
    license: 'UNLICENSED',
  };
  writeFileSync(join(packageDir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  writeFileSync(
    join(packageDir, 'README.md'),
    `# ${SDK_PACKAGE_NAME}\n\nTyped SDK of the location platform: \`import { createClient, MeDocument } from '${SDK_PACKAGE_NAME}'\`.\n` +
      'No runtime dependencies; Node 22+ (global fetch and WebSocket; on older Node pass `webSocketImpl` from the `ws` package) and browsers.\n' +
      'See the platform README, section "For integrators".\n',
  );
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], { cwd: packageDir, encoding: 'utf8' });
  const [{ filename }] = JSON.parse(out) as { filename: string }[];
  return { tarball: join(outDir, filename), packageDir };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { tarball } = await packSdk();
  console.log(`wrote ${relative(root, tarball)}`);
}
