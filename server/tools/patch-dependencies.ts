/**
 * Run at postinstall. graphql-shield 7.6.5 (its last release) imports
 * `isUndefined` from node:util, which Node 23+ removed: the ESM build fails to
 * link and the CJS build throws when chain()/race() run. We replace that one
 * import with an equivalent local function. Idempotent; fails loudly if the
 * package changes shape, so an upgrade is noticed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../api/db/prisma-files';

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
  const path = join(projectRoot, p.file);
  if (!existsSync(path)) continue;
  const text = readFileSync(path, 'utf8');
  if (text.includes(p.to)) continue;
  if (!text.includes(p.from)) throw new Error(`${p.file}: expected text not found; review schema/tools/patch-dependencies.ts`);
  writeFileSync(path, text.replace(p.from, p.to));
  console.log(`patched ${p.file}`);
}
