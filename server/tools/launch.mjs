/**
 * Runs an entry point in this same process (no child process, so signals
 * reach the server directly and nothing is left orphaned):
 *   node server/tools/launch.mjs server/main
 * From source through tsx's in-process loader when tsx is installed (a
 * development checkout), else the compiled dist/<entry>.js (a production
 * install after `npm run build` and `npm prune --omit=dev`).
 * Plain JavaScript on purpose: it must run without devDependencies.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = process.argv[2];
if (!entry) {
  console.error('usage: node server/tools/launch.mjs <entry without extension, e.g. server/main>');
  process.exit(64);
}
// The entry sees the remaining arguments as its own (process.argv.slice(2)).
process.argv.splice(1, 2, join(root, `${entry}.ts`));

function hasTsx() {
  try {
    createRequire(join(root, 'package.json')).resolve('tsx/esm/api');
    return existsSync(join(root, `${entry}.ts`));
  } catch {
    return false;
  }
}

if (process.env.LAUNCH_FROM !== 'dist' && hasTsx()) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, `${entry}.ts`)).href);
} else {
  const built = join(root, 'dist', `${entry}.js`);
  if (!existsSync(built)) {
    console.error(`${built} is missing: run \`npm run build\` (or install devDependencies to run from source)`);
    process.exit(1);
  }
  process.argv[1] = built;
  await import(pathToFileURL(built).href);
}
