/**
 * Environment of `npm run bench`, imported first by run.ts so it is set
 * before any module reads it (ES imports run before the importer's body).
 */
process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
process.env.NODE_ENV = 'test';
// Grafast's production mode, said explicitly (it warns when the variable is unset).
process.env.GRAPHILE_ENV ??= 'production';
