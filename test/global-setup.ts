/**
 * Once per test run: `npm run build`'s compilation to dist/ (esbuild, about a
 * second). Tests that start the CLI as a production install does pass
 * LAUNCH_FROM=dist, so server/tools/launch.mjs (the same npm scripts and entry
 * files) runs the compiled dist/<entry>.js instead of compiling every source
 * through tsx again in each child process. `npm start` in
 * test/entrypoints.test.ts keeps the development path (tsx).
 */
export default async function setup() {
  await import('../server/tools/build');
}
