/**
 * The README's examples are exact: every GraphQL block is one of the SDK's
 * operations (which test/sdk.test.ts runs) and valid against the schema; every
 * TypeScript block is the start of a file in docs/examples/, and that file runs
 * against the server; the documented bundle step works.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema, parse, print, validate, Kind, type DefinitionNode, type DocumentNode } from 'graphql';
import { createClient, RecordLocationsDocument, RegisterDeviceDocument, MeDocument } from '../generated/sdk';
import { startTestServer, signUp, type TestServer } from './helpers/server';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = (lang: string) => [...readme.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);

/** Every operation and fragment of schema/operations by name. */
function sdkDefinitions(): Map<string, DefinitionNode> {
  const byName = new Map<string, DefinitionNode>();
  for (const file of readdirSync(join(root, 'schema/operations')).filter((f) => f.endsWith('.graphql'))) {
    for (const d of parse(readFileSync(join(root, 'schema/operations', file), 'utf8')).definitions) {
      if ((d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION) && d.name) byName.set(d.name.value, d);
    }
  }
  return byName;
}

/** The fragments a definition spreads, transitively. */
function withFragments(definition: DefinitionNode, all: Map<string, DefinitionNode>): DocumentNode {
  const found = new Map<string, DefinitionNode>();
  const visit = (node: DefinitionNode) => {
    for (const [, name] of print(node).matchAll(/\.\.\.(\w+)/g)) {
      if (!found.has(name) && all.has(name)) {
        found.set(name, all.get(name)!);
        visit(all.get(name)!);
      }
    }
  };
  visit(definition);
  return { kind: Kind.DOCUMENT, definitions: [definition, ...found.values()] };
}

describe('README examples', () => {
  const schema = buildSchema(readFileSync(join(root, 'generated/schema.graphql'), 'utf8'));
  const sdk = sdkDefinitions();

  it('has GraphQL examples for sign-in, paging, subscriptions and devices', () => {
    const names = blocks('graphql').flatMap((b) => parse(b).definitions.map((d) => ('name' in d ? d.name?.value : undefined)));
    expect(names).toEqual(
      expect.arrayContaining(['Login', 'RefreshSession', 'LocationHistory', 'LocationUpdated', 'RegisterDevice', 'RecordLocations']),
    );
  });

  it.each(blocks('graphql').map((b, i) => [i, b]))('GraphQL block %i is an SDK operation, valid against the schema', (_i, block) => {
    for (const definition of parse(block as string).definitions) {
      const name = 'name' in definition ? definition.name?.value : undefined;
      expect(name, 'README operations are named like the SDK operation they copy').toBeDefined();
      const original = sdk.get(name!);
      expect(original, `${name} is not in schema/operations/`).toBeDefined();
      expect(print(definition)).toBe(print(original!));
      expect(validate(schema, withFragments(definition, sdk)).map((e) => e.message)).toEqual([]);
    }
  });

  it('links only to files that exist', () => {
    const links = [...readme.matchAll(/\]\(((?!https?:)[^)#]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(existsSync(join(root, link)), link).toBe(true);
  });

  it('every TypeScript block is the beginning of the example file it names', () => {
    const ts = blocks('ts');
    expect(ts.length).toBeGreaterThan(0);
    for (const block of ts) {
      const file = /^\/\/ (docs\/examples\/[\w.-]+\.ts)\b/.exec(block)?.[1];
      expect(file, 'a TypeScript block starts with // docs/examples/<file>.ts').toBeDefined();
      expect(readFileSync(join(root, file!), 'utf8').startsWith(block), `${file} starts with the README block`).toBe(true);
    }
  });
});

describe('the examples and the bundle run', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ plugins: [] });
  });
  afterAll(() => server?.stop());

  it('docs/examples/sdk-quickstart.ts signs in, lists, pages history and receives a live fix', async () => {
    const user = await signUp(server);
    const owner = createClient({ url: server.graphqlUrl, accessToken: user.accessToken });
    const { registerDevice } = await owner.request(RegisterDeviceDocument, { input: { name: 'Van', kind: 'VEHICLE' } });
    const device = createClient({ url: server.graphqlUrl, deviceToken: registerDevice.deviceToken });
    const send = (n: number) =>
      device.request(RecordLocationsDocument, {
        input: {
          points: Array.from({ length: n }, (_, i) => ({
            recordedAt: new Date(Date.now() - (n - i) * 1000).toISOString(),
            latitude: 56.9 + i * 1e-4,
            longitude: 24.1,
          })),
        },
      });
    await send(150);
    // The example waits for one live fix: keep sending until it has exited.
    let done = false;
    const feeder = (async () => {
      while (!done) {
        await new Promise((r) => setTimeout(r, 300));
        if (!done) await send(1);
      }
    })();
    const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');
    const { stdout } = await run(process.execPath, [tsx, 'docs/examples/sdk-quickstart.ts'], {
      cwd: root,
      env: { ...process.env, API_URL: server.graphqlUrl, EMAIL: user.email, PASSWORD: user.password },
      timeout: 60_000,
    }).finally(() => {
      done = true;
    });
    await feeder;
    expect(stdout).toContain('Van ');
    expect(stdout).toMatch(/^(15\d) points in the history$/m);
    expect(stdout).toMatch(/^live Van 56\.9/m);
  });

  it('another project imports location-platform/sdk with its types (as a file: dependency)', async () => {
    const project = mkdtempSync(join(tmpdir(), 'sdk-consumer-'));
    try {
      mkdirSync(join(project, 'node_modules'));
      symlinkSync(root, join(project, 'node_modules', 'location-platform'));
      writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module' }));
      const tsconfig = {
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          lib: ['ES2023', 'DOM'],
          types: [],
        },
      };
      writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ ...tsconfig, files: ['main.ts'] }));
      const user = await signUp(server);
      const main = (extra: string) => `import { createClient, MeDocument } from 'location-platform/sdk';
const client = createClient({ url: ${JSON.stringify(server.graphqlUrl)}, accessToken: ${JSON.stringify(user.accessToken)} });
const { me } = await client.request(MeDocument);
const email: string | undefined = me?.email;
console.log(email);
${extra}`;
      const tsc = join(root, 'node_modules/typescript/bin/tsc');
      writeFileSync(join(project, 'main.ts'), main(''));
      await run(process.execPath, [tsc, '-p', project]);
      const { stdout } = await run(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), 'main.ts'], { cwd: project });
      expect(stdout.trim()).toBe(user.email);
      // The types are real: a wrong use does not compile.
      writeFileSync(join(project, 'main.ts'), main('const wrong: number = me!.email;'));
      const failed = await run(process.execPath, [tsc, '-p', project]).then(
        () => '',
        (e: { stdout: string }) => e.stdout,
      );
      expect(failed).toContain("Type 'string' is not assignable to type 'number'");
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('the curl example for device makers records a fix (and a resend is a duplicate)', async () => {
    const curl = blocks('sh').filter((b) => b.includes('curl'));
    expect(curl).toHaveLength(1);
    const user = await signUp(server);
    const owner = createClient({ url: server.graphqlUrl, accessToken: user.accessToken });
    const { registerDevice } = await owner.request(RegisterDeviceDocument, { input: { name: 'Shell', kind: 'TRACKER' } });
    // A resend is the same fix: the time the example stamps is taken once, as a device's queue would hold it.
    const takenAt = '$(date -u +%Y-%m-%dT%H:%M:%SZ)';
    expect(curl[0]).toContain(takenAt);
    const script = curl[0]
      .replaceAll('https://track.example.lv', server.url)
      .replaceAll('<device token>', registerDevice.deviceToken)
      .replace(takenAt, new Date(Date.now() - 60_000).toISOString().slice(0, 19) + 'Z');
    const first = JSON.parse((await run('bash', ['-c', script])).stdout);
    expect(first).toEqual({ data: { recordLocations: { accepted: 1, duplicates: 0, acknowledgedClientIds: ['fix-1001'], rejected: [] } } });
    const again = JSON.parse((await run('bash', ['-c', script])).stdout);
    expect(again.data.recordLocations).toMatchObject({ accepted: 0, duplicates: 1, acknowledgedClientIds: ['fix-1001'] });
  });

  it('`npm run sdk:bundle` makes one plain ES module that works without the project', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sdk-bundle-'));
    try {
      const outfile = join(dir, 'sdk.js');
      const script = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts['sdk:bundle'] as string;
      const args = script
        .replace(/^esbuild /, '')
        .replace(/--outfile=\S+/, `--outfile=${outfile}`)
        .split(' ');
      await run(join(root, 'node_modules/.bin/esbuild'), args, { cwd: root });
      expect(readFileSync(outfile, 'utf8')).not.toMatch(/^\s*import[\s{*]/m); // no imports left
      const bundled = (await import(outfile)) as typeof import('../generated/sdk');
      const user = await signUp(server);
      const client = bundled.createClient({ url: server.graphqlUrl, accessToken: user.accessToken });
      const { me } = await client.request(bundled.MeDocument);
      expect(me?.email).toBe(user.email);
      expect(MeDocument.toString()).toBe(bundled.MeDocument.toString());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
