/**
 * Decided once per object (schema/permissions/object-decisions.ts): a type's
 * rule, or a field map's '*' rule, is decided when a field returns the object,
 * and then the fields it covers skip shield's per-field middleware; `allow`
 * types skip it altogether. These tests show the shortcut opens nothing shield
 * would refuse: the same answers as shield alone on a schema built for it, and
 * over HTTP the fields with rules of their own (a grant's ended device,
 * redactions, history, API-key scopes) still decide for themselves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, GraphQLBoolean, GraphQLList, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { shield, deny, rule } from 'graphql-shield';
import { allow, and, chain, defineRule, or, type IRules } from '../schema/permissions/kit';
import { applyPermissions } from '../schema/permissions/shield';
import { impliedByTypeRule } from '../schema/permissions/object-decisions';
import { notFound } from '../api/errors';
import { startTestServer, signUp, errorCodes, type TestServer } from './helpers/server';
import { registerDevice, grant, RECORD, point } from './helpers/devices';

describe('the shortcut answers as shield alone', () => {
  interface Item {
    id: string;
    visible: boolean;
  }
  const items: Item[] = [
    { id: 'a', visible: true },
    { id: 'b', visible: false },
    { id: 'c', visible: true },
  ];
  const Item: GraphQLObjectType = new GraphQLObjectType({
    name: 'Item',
    fields: () => ({
      id: { type: GraphQLString },
      secret: { type: GraphQLString, resolve: (i: Item) => `secret of ${i.id}` },
      label: { type: GraphQLString, resolve: (i: Item) => `label of ${i.id}` },
      redacted: { type: GraphQLString, resolve: (i: Item) => `redacted of ${i.id}` },
      withArg: { type: GraphQLString, args: { x: { type: GraphQLString } }, resolve: (i: Item) => `arg of ${i.id}` },
    }),
  });
  const Page = new GraphQLObjectType({
    name: 'Page',
    fields: { items: { type: new GraphQLList(Item), resolve: () => items }, open: { type: GraphQLBoolean, resolve: () => true } },
  });
  const Query = new GraphQLObjectType({
    name: 'Query',
    fields: { page: { type: Page, resolve: () => ({}) }, items: { type: new GraphQLList(Item), resolve: () => items } },
  });
  const schema = new GraphQLSchema({ query: Query });
  // Item '*': visible items only; label: also item "b" (implies '*'); redacted: nobody; withArg: under '*' but has args.
  const visible = defineRule<Item>('test.visible', (i) => i.visible || notFound('Item'));
  const labelRule = impliedByTypeRule(defineRule<Item>('test.label', (i) => i.visible || i.id === 'b' || notFound('Item')));
  const contextual = (answer: boolean) => defineRule(`test.contextual.${answer}`, () => answer, 'contextual');
  const strict = rule('test.strict', { cache: 'strict' })((i: Item) => i.visible);
  const rulesWith = (star: unknown) => ({
    Query: { page: allow, items: allow },
    Page: allow,
    Item: { '*': star, label: labelRule, redacted: deny },
  });
  const query = `{ items { id secret label redacted withArg(x: "1") } page { open items { id secret label redacted withArg } } }`;
  const run = async (s: GraphQLSchema) =>
    JSON.parse(JSON.stringify(await graphql({ schema: s, source: query, contextValue: { memo: new Map() } })));
  // Shield alone says "Not Authorised!" where applyPermissions answers FORBIDDEN; errors come in resolution order.
  const denials = (r: { errors?: { path: (string | number)[]; message: string; extensions?: { code?: string } }[] }) =>
    (r.errors ?? [])
      .map((e) => `${e.path.join('.')} ${e.extensions?.code ?? (e.message === 'Not Authorised!' ? 'FORBIDDEN' : e.message)}`)
      .sort();
  const compare = async (star: unknown) => {
    const rules = rulesWith(star);
    const plain = applyMiddleware(schema, shield(rules as unknown as IRules, { fallbackRule: deny, allowExternalErrors: true }));
    const expected = await run(plain);
    const actual = await run(applyPermissions(schema, rules as never));
    expect(actual.data).toEqual(expected.data);
    expect(denials(actual)).toEqual(denials(expected));
    return actual;
  };

  it('gives the same data and the same errors, field by field', async () => {
    const actual = await compare(visible);
    expect(denials(actual)).toHaveLength(12);
    // And the answers are the ones the rules say (not two equally wrong schemas).
    expect(actual.data.items[0]).toEqual({ id: 'a', secret: 'secret of a', label: 'label of a', redacted: null, withArg: 'arg of a' });
    expect(actual.data.items[1]).toMatchObject({ id: null, secret: null, label: 'label of b', redacted: null, withArg: null });
    expect(actual.data.page.items[2]).toMatchObject({ id: 'c', secret: 'secret of c', redacted: null });
    expect(denials(actual)).toContain('items.1.secret NOT_FOUND');
    expect(denials(actual)).toContain('items.0.redacted FORBIDDEN');
    expect(denials(actual)).toContain('page.items.1.withArg NOT_FOUND');
    expect(denials(actual).some((d) => d.startsWith('items.1.label'))).toBe(false);
  });

  it.each([
    ['a chain with a contextual gate that allows', () => chain(contextual(true), visible)],
    ['a chain with a contextual gate that refuses', () => chain(contextual(false), visible)],
    ['an and', () => and(visible, contextual(true))],
    ['an or (left to shield)', () => or(visible, deny)],
    ['a strictly cached rule (left to shield)', () => strict],
    ['deny', () => deny],
  ])("the same for a '*' rule that is %s", async (_name, star) => {
    const actual = await compare(star());
    expect(actual.data.items).toHaveLength(3);
  });
});

describe('over HTTP: fields with rules of their own still decide', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it("a grant's ended device: id and name to its former grantee, nothing else", async () => {
    const owner = await signUp(server);
    const friend = await signUp(server);
    const device = await registerDevice(server, owner, 'Bike');
    await server.gql(RECORD, { input: { points: [point(1)] } }, { token: device.token });
    await grant(server, owner, friend, device, 'HISTORY', { revokedAt: new Date(Date.now() - 1000) });
    const r = await server.gql(
      `{ receivedSharingGrants(includeInactive: true) { status device { id name kind lastSeenAt lastLocation { latitude } } } }`,
      {},
      { token: friend.accessToken },
    );
    expect(r.data?.receivedSharingGrants ?? null).toBeNull(); // Device.kind is non-null: its denial empties the list
    expect(errorCodes(r)).toContain('NOT_FOUND');
    const summary = await server.gql(
      `{ receivedSharingGrants(includeInactive: true) { status device { id name } } }`,
      {},
      { token: friend.accessToken },
    );
    expect(summary.errors).toBeUndefined();
    expect(summary.data.receivedSharingGrants).toEqual([{ status: 'REVOKED', device: { id: device.id, name: 'Bike' } }]);
  });

  it('a LIVE grantee reads the device and its last location, gets identifier redacted and history refused', async () => {
    const owner = await signUp(server);
    const friend = await signUp(server);
    const device = await registerDevice(server, owner, 'Car', 'IMEI-42');
    await server.gql(RECORD, { input: { points: [point(1), point(2)] } }, { token: device.token });
    await grant(server, owner, friend, device, 'LIVE');
    const r = await server.gql(
      `{ sharedDevices(first: 10) { edges { node { name identifier lastLocation { latitude } locations(first: 5) { edges { node { id } } } } } } }`,
      {},
      { token: friend.accessToken },
    );
    expect(errorCodes(r)).toEqual(['FORBIDDEN']);
    const ok = await server.gql(
      `{ sharedDevices(first: 10) { edges { node { name identifier accessRole lastLocation { latitude } } } } }`,
      {},
      { token: friend.accessToken },
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data.sharedDevices.edges).toEqual([
      { node: { name: 'Car', identifier: null, accessRole: 'LIVE_VIEWER', lastLocation: { latitude: point(2).latitude } } },
    ]);
    const mine = await server.gql(`{ devices(first: 10) { edges { node { identifier } } } }`, {}, { token: owner.accessToken });
    expect(mine.data.devices.edges).toEqual([{ node: { identifier: 'IMEI-42' } }]);
  });
});
