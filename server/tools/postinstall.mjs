/**
 * `postinstall`: patches dependencies (always; needed at run time too) and,
 * in a development install, generates the Prisma client. A production
 * install (`npm ci --omit=dev`, the SDK installed as a dependency) has no
 * tsx or prisma CLI: generation is skipped there (dist/ carries the compiled
 * client). Plain JavaScript so it runs on any Node without devDependencies.
 *
 * The patch: graphql-shield 7.6.5 (its last release) imports `isUndefined`
 * from node:util, which Node 23+ removed: the ESM build fails to link and the
 * CJS build throws when chain()/race() run. We replace that one import with
 * an equivalent local function. Idempotent; fails loudly if the package
 * changes shape, so an upgrade is noticed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const patches = [
  {
    file: 'node_modules/graphql-shield/esm/rules.js',
    from: "import { isUndefined } from 'util';",
    to: 'const isUndefined = (value) => value === undefined; // patched: node:util.isUndefined was removed in Node 23',
  },
  {
    file: 'node_modules/graphql-shield/cjs/rules.js',
    from: 'const util_1 = require("util");',
    to: 'const util_1 = { isUndefined: (value) => value === undefined }; // patched: node:util.isUndefined was removed in Node 23',
  },
];

for (const p of patches) {
  const path = join(root, p.file);
  if (!existsSync(path)) continue;
  const text = readFileSync(path, 'utf8');
  if (text.includes(p.to)) continue;
  if (!text.includes(p.from)) throw new Error(`${p.file}: expected text not found; review server/tools/postinstall.mjs`);
  writeFileSync(path, text.replace(p.from, p.to));
}

const resolvable = (name) => {
  try {
    createRequire(join(root, 'package.json')).resolve(name);
    return true;
  } catch {
    return false;
  }
};

if (resolvable('tsx/esm/api') && resolvable('prisma/package.json') && existsSync(join(root, 'server', 'tools', 'generate-prisma.ts'))) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'server', 'tools', 'generate-prisma.ts')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
} else {
  console.log('postinstall: no devDependencies (production install): Prisma client generation skipped; run from dist/');
}
