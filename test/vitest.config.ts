import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const require = createRequire(import.meta.url);

/**
 * Files that take long mostly waiting (child processes, schedules, expiry timers), started first so that
 * neither worker ends the run alone on one of them. Vitest orders the rest: by the last run's durations
 * when it has them, else larger files first, which would put these small files last on a fresh clone (CI).
 */
const LONG_FILES = [
  'test/entrypoints.test.ts',
  'test/fresh-install.test.ts',
  'test/ops/jobs-once.test.ts',
  'test/database.test.ts',
  'test/live.test.ts',
  'test/sharing-grant-changed.test.ts',
  'test/encryption-at-rest.test.ts',
];

class LongFilesFirst extends BaseSequencer {
  async sort(files: TestSpecification[]) {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONG_FILES.findIndex((name) => f.moduleId.endsWith(`/${name}`));
      return i < 0 ? LONG_FILES.length : i;
    };
    return sorted
      .map((f, i) => ({ f, i }))
      .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
      .map(({ f }) => f);
  }
}

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) builds. Node loads the CJS one
    // for every package; Vite would give our own files the ESM one, and then
    // `instanceof GraphQLError` fails across the two copies. One copy for all.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts', 'plugins/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    // Test files share their worker process (three of them), so the app's modules (Prisma, Pothos, PGlite...) load once
    // per worker instead of once per file: about 40% less CPU for the suite. A test that changes process-wide state
    // (process.env, globals, process.stderr.write) restores it in a finally/afterAll; one that needs PostgreSQL on
    // the PGlite run passes its URL to createTestDatabase rather than setting TEST_DATABASE_URL.
    isolate: false,
    // Three on two cores: the longest files mostly wait (child processes, timers), and a third worker fills that time
    // (measured on the 2-core machine: PGlite 167 s against 185-203 s with two, PostgreSQL 146 s against 161 s).
    maxWorkers: 3,
    sequence: { sequencer: LongFilesFirst },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // TEST_SCRYPT_N: cheaper password hashes in the tests' own servers (api/auth/passwords.ts; production keeps 2^15).
    env: { NODE_ENV: 'test', TEST_SCRYPT_N: '1024' },
  },
});
