/**
 * Compiled queries (server/compiled-queries.ts) answer exactly as the
 * interpreter: on a server that compiles a document on its second run, each
 * query below is sent twice and the two responses must be equal, byte for
 * byte (data, errors with their codes, messages and paths, status). The
 * metric graphql_query_executions_total shows which executor ran each one,
 * so the comparison can never be between two interpreted runs. Also: tiering
 * (nothing compiled before it is hot), mutations and variables graphql-js
 * refuses stay interpreted, and errors are reshaped as graphql-js reports them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema, parse, type ExecutionResult } from 'graphql';
import { GraphQLError } from 'graphql';
import { errorsAsGraphqlJs } from '../server/compiled-queries';
import { startTestServer, signUp, type SignedIn, type TestServer } from './helpers/server';
import { registerDevice, grant, RECORD, point, type RegisteredDevice } from './helpers/devices';

async function executions(server: TestServer): Promise<Record<string, number>> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const out: Record<string, number> = { compiled: 0, interpreted: 0 };
  for (const m of text.matchAll(/^graphql_query_executions_total\{executor="(\w+)"\} (\d+)/gm)) out[m[1]] = Number(m[2]);
  return out;
}

async function post(server: TestServer, query: string, variables: Record<string, unknown>, token: string | null) {
  const res = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.text() };
}

describe('compiled and interpreted answers are the same', () => {
  let server: TestServer;
  let owner: SignedIn;
  let friend: SignedIn;
  let stranger: SignedIn;
  let device: RegisteredDevice;
  let liveDevice: RegisteredDevice;
  let pointId: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { GRAPHQL_COMPILE_AFTER: '1' } });
    owner = await signUp(server);
    friend = await signUp(server);
    stranger = await signUp(server);
    device = await registerDevice(server, owner, 'Bike', 'IMEI-1');
    liveDevice = await registerDevice(server, owner, 'Car', 'IMEI-2');
    await server.gql(RECORD, { input: { points: [1, 2, 3, 4, 5].map((i) => point(i)) } }, { token: device.token });
    await server.gql(RECORD, { input: { points: [point(1)] } }, { token: liveDevice.token });
    await grant(server, owner, friend, device, 'HISTORY', { historyFrom: new Date(Date.now() - 57 * 60_000) });
    await grant(server, owner, friend, liveDevice, 'LIVE');
    const page = await server.gql(
      `query($id: ID!) { device(id: $id) { locations(first: 1) { edges { node { id } } } } }`,
      {
        id: device.id,
      },
      { token: owner.accessToken },
    );
    pointId = page.data.device.locations.edges[0].node.id;
  });
  afterAll(() => server?.stop());

  const cases: [string, () => { query: string; variables?: Record<string, unknown>; token: string | null }][] = [
    [
      'a history page with cursors, fragments and aliases',
      () => ({
        query: `query H($id: ID!, $n: Int) { device(id: $id) { ...D locations(first: $n) { edges { cursor node { id recordedAt latitude longitude accuracy speed t: __typename } } pageInfo { hasNextPage hasPreviousPage endCursor startCursor } } } }
          fragment D on Device { id name kind identifier }`,
        variables: { id: device.id, n: 3 },
        token: owner.accessToken,
      }),
    ],
    [
      'the device list with last locations and owners',
      () => ({
        query: `{ devices(first: 10) { totalCount edges { node { id name lastLocation { latitude longitude recordedAt } owner { displayName } } } } }`,
        token: owner.accessToken,
      }),
    ],
    [
      "a HISTORY grantee's page (historyFrom bounds it) and a LIVE grantee's refused history",
      () => ({
        query: `{ sharedDevices(first: 10) { edges { node { name identifier accessRole lastLocation { latitude } locations(first: 10) { edges { node { id } } } } } } }`,
        token: friend.accessToken,
      }),
    ],
    [
      'a stranger asking for the device and a point by id (NOT_FOUND, nulled parents)',
      () => ({
        query: `query($d: ID!, $p: ID!) { device(id: $d) { id name kind } node(id: $p) { id ... on LocationPoint { latitude recordedAt } } }`,
        variables: { d: device.id, p: pointId },
        token: stranger.accessToken,
      }),
    ],
    [
      'several non-null fields refused under one nullable parent',
      () => ({
        query: `{ receivedSharingGrants(includeInactive: true) { status device { id name kind lastSeenAt lastLocation { latitude } } } }`,
        token: friend.accessToken,
      }),
    ],
    [
      'introspection (what GraphiQL and code generators send)',
      () => ({
        query: `{ __schema { queryType { name } types { name kind } } __type(name: "Device") { name fields { name args { name defaultValue } type { name kind ofType { name kind } } } } }`,
        token: null,
      }),
    ],
    ['no viewer at all', () => ({ query: `{ devices(first: 1) { edges { node { id } } } me { id } }`, token: null })],
    [
      'a page size over the limit (BAD_USER_INPUT from a resolver)',
      () => ({
        query: `query($id: ID!) { device(id: $id) { locations(first: 100000) { edges { node { id } } } } }`,
        variables: { id: device.id },
        token: owner.accessToken,
      }),
    ],
  ];

  it.each(cases)('%s', async (_name, make) => {
    const { query, variables = {}, token } = make();
    const before = await executions(server);
    const interpreted = await post(server, query, variables, token);
    const middle = await executions(server);
    const compiled = await post(server, query, variables, token);
    const after = await executions(server);
    expect(middle.interpreted - before.interpreted).toBe(1);
    expect(after.compiled - middle.compiled).toBe(1);
    expect(compiled).toEqual(interpreted);
    expect(JSON.parse(compiled.body).data).toBeDefined();
  });

  it('a variable of the wrong type gets the interpreter’s BAD_USER_INPUT, also once the document is hot', async () => {
    const query = `query($n: Int) { devices(first: $n) { totalCount } }`;
    await post(server, query, { n: 1 }, owner.accessToken);
    await post(server, query, { n: 1 }, owner.accessToken); // hot now
    const before = await executions(server);
    const bad = await post(server, query, { n: 'many' }, owner.accessToken);
    expect(JSON.parse(bad.body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const after = await executions(server);
    expect(after.compiled).toBe(before.compiled);
  });

  it('mutations are never compiled', async () => {
    const before = await executions(server);
    for (let i = 0; i < 3; i++) await server.gql(RECORD, { input: { points: [point(10 + i)] } }, { token: device.token });
    const after = await executions(server);
    expect(after).toEqual(before);
  });
});

describe('tiering', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { GRAPHQL_COMPILE_AFTER: '3' } });
  });
  afterAll(() => server?.stop());

  it('a document is compiled only after it has run GRAPHQL_COMPILE_AFTER times; new documents never are', async () => {
    const user = await signUp(server);
    const before = await executions(server);
    for (let i = 0; i < 5; i++) await post(server, `{ me { id } }`, {}, user.accessToken);
    for (let i = 0; i < 5; i++) await post(server, `{ me { id email${' '.repeat(i)} } }`, {}, user.accessToken);
    const after = await executions(server);
    // The first: 3 interpreted runs, then 2 compiled; the others differ in text, so each ran once, interpreted.
    expect(after.compiled - before.compiled).toBe(2);
    expect(after.interpreted - before.interpreted).toBe(3 + 5);
  });
});

describe('errors as graphql-js reports them', () => {
  const schema = buildSchema(`
    type Query { a: A b: String c: [C!] }
    type A { x: String! y: String! z: String inner: B }
    type B { p: String! q: String! }
    type C { v: String! }
  `);
  const shape = (query: string, data: unknown, paths: (string | number)[][]) => {
    const document = parse(query);
    const operation = document.definitions[0] as never;
    const result: ExecutionResult = {
      data: data as never,
      errors: paths.map((path) => new GraphQLError(`at ${path.join('.')}`, { path })),
    };
    return (errorsAsGraphqlJs(result, schema, document, operation).errors ?? []).map((e) => e.path!.join('.'));
  };

  it('keeps the first of the non-null errors that null one parent, and every nullable field’s own', () => {
    expect(shape(`{ a { x y z } b }`, { a: null, b: null }, [['a', 'x'], ['a', 'y'], ['a', 'z'], ['b']])).toEqual(['a.x', 'a.z', 'b']);
    // Nulled through a non-null chain: b.p and b.q null `inner`, which is nullable.
    expect(
      shape(`{ a { inner { p q } } }`, { a: { inner: null } }, [
        ['a', 'inner', 'p'],
        ['a', 'inner', 'q'],
      ]),
    ).toEqual(['a.inner.p']);
    // List items of a non-null type null the whole (nullable) list: one error.
    expect(
      shape(`{ c { v } }`, { c: null }, [
        ['c', 0, 'v'],
        ['c', 1, 'v'],
      ]),
    ).toEqual(['c.0.v']);
    // Aliases and fragments are followed to the field's type.
    expect(
      shape(`{ first: a { ...F } } fragment F on A { one: x two: y }`, { first: null }, [
        ['first', 'one'],
        ['first', 'two'],
      ]),
    ).toEqual(['first.one']);
    // Two different parents nulled: one error each.
    expect(
      shape(`{ a { x } again: a { y } }`, { a: null, again: null }, [
        ['a', 'x'],
        ['again', 'y'],
      ]),
    ).toEqual(['a.x', 'again.y']);
  });
});
