/**
 * The SDK as a package (`npm run sdk:pack`): a fresh project installs the
 * tarball offline (no platform devDependencies, no postinstall) and uses it
 * from plain Node, from TypeScript under NodeNext and bundler resolution, and
 * through a browser bundle.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { packSdk, SDK_PACKAGE_NAME } from '../server/tools/sdk-pack';
import { signUp, startTestServer, type TestServer } from './helpers/server';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');

let server: TestServer;
let project: string;
let out: string;

beforeAll(async () => {
  server = await startTestServer({ plugins: [] });
  out = mkdtempSync(join(tmpdir(), 'sdk-pack-'));
  const { tarball } = await packSdk(out);
  project = mkdtempSync(join(tmpdir(), 'sdk-consumer-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // --offline: the package needs nothing from a registry.
  await run('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund'], { cwd: project, timeout: 120_000 });
});
afterAll(async () => {
  await server?.stop();
  for (const dir of [project, out]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const script = (url: string, token: string) => `import { createClient, isSdkError, MeDocument, SdkError } from '${SDK_PACKAGE_NAME}';
const client = createClient({ url: ${JSON.stringify(url)}, accessToken: ${JSON.stringify(token)} });
const { me } = await client.request(MeDocument);
const email: string | undefined = me?.email;
console.log('me', email);
const anonymous = createClient({ url: ${JSON.stringify(url)}, accessToken: 'not.a.token' });
const error = await anonymous.request(MeDocument).catch((e: unknown) => e);
console.log('error', isSdkError(error, 'UNAUTHENTICATED'), error instanceof SdkError);
`;

describe('the packed SDK in a fresh project', () => {
  it('has its own package.json with exports, types and no dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(project, 'node_modules', SDK_PACKAGE_NAME, 'package.json'), 'utf8'));
    expect(pkg.exports['.']).toEqual({ types: './index.d.ts', default: './index.js' });
    expect(pkg.type).toBe('module');
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.scripts ?? {}).toEqual({});
  });

  it('runs under plain Node (ESM import, no TypeScript loader)', async () => {
    const user = await signUp(server);
    writeFileSync(
      join(project, 'main.mjs'),
      script(server.graphqlUrl, user.accessToken).replace(': string | undefined', '').replace(': unknown', ''),
    );
    const { stdout } = await run(process.execPath, ['main.mjs'], { cwd: project, timeout: 30_000 });
    expect(stdout).toContain(`me ${user.email}`);
    expect(stdout).toContain('error true true');
  });

  for (const resolution of ['NodeNext', 'Bundler'] as const) {
    it(`type-checks under moduleResolution ${resolution}, and catches a wrong type`, async () => {
      const module = resolution === 'NodeNext' ? 'NodeNext' : 'ESNext';
      const compilerOptions = {
        target: 'ES2022',
        module,
        moduleResolution: resolution,
        strict: true,
        noEmit: true,
        lib: ['ES2023', 'DOM'],
        types: [],
      };
      writeFileSync(join(project, `tsconfig.${resolution}.json`), JSON.stringify({ compilerOptions, files: [`main.${resolution}.ts`] }));
      writeFileSync(join(project, `main.${resolution}.ts`), script('http://localhost/graphql', 'x'));
      await run(process.execPath, [tsc, '-p', `tsconfig.${resolution}.json`], { cwd: project });
      writeFileSync(join(project, `main.${resolution}.ts`), `${script('http://localhost/graphql', 'x')}const n: number = me?.email;\n`);
      const failed = await run(process.execPath, [tsc, '-p', `tsconfig.${resolution}.json`], { cwd: project }).catch((e) => e);
      expect(String(failed.stdout)).toMatch(/TS2322/);
    });
  }

  it('bundles for the browser with no Node built-ins', async () => {
    writeFileSync(
      join(project, 'browser.mjs'),
      `import { createClient, MeDocument } from '${SDK_PACKAGE_NAME}';\nwindow.client = createClient({ url: '/graphql' });\nwindow.q = MeDocument;\n`,
    );
    const result = await build({
      entryPoints: [join(project, 'browser.mjs')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      absWorkingDir: project,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles[0].text).toContain('query Me');
  });
});
