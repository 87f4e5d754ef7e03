import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { exportContributors } from '../../api/export-contributors';
import { startTestServer, signUp, signUpStaff, errorCodes, type SignedIn, type TestServer } from '../../test/helpers/server';

let server: TestServer;
let marketer: SignedIn;
let support: SignedIn;
beforeAll(async () => {
  server = await startTestServer({ plugins: ['marketing'] });
  [marketer, support] = await Promise.all([signUpStaff(server, ['MARKETING']), signUpStaff(server, ['SUPPORT'])]);
});
afterAll(() => server?.stop());

const PREFS = `{ me { marketing { similarProducts otherNotices channels optOuts { id scope channel via receivedAt effectiveAt recordedBy { id } } } } }`;
const OPT_OUT = `mutation($input: OptOutInput!) { optOutOfMarketing(input: $input) { similarProducts otherNotices channels optOuts { scope channel via receivedAt effectiveAt recordedBy { id } } } }`;
const SET_CONSENT = `mutation($input: SetConsentInput!) { setConsent(input: $input) { granted } }`;
const UNSUBSCRIBE = `mutation($token: String!) { unsubscribe(token: $token) { ok scope channel } }`;
const AUDIENCE = `query($scope: MarketingScope!, $channel: MarketingChannel!, $first: Int, $after: String) {
  marketingAudience(scope: $scope, channel: $channel, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { account { id displayName } email phone address unsubscribeUrl } }
  }
}`;

const prefs = async (user: SignedIn) => (await server.gql(PREFS, {}, { token: user.accessToken })).data.me.marketing;
const consent = (user: SignedIn, purpose: string, granted: boolean) =>
  server.gql(SET_CONSENT, { input: { purpose, granted } }, { token: user.accessToken });
const rawId = (id: string) => decodeGlobalID(id).id;

/** Every account in the audience (all pages). */
async function audience(scope: string, channel: string): Promise<{ ids: string[]; urls: Map<string, string>; total: number }> {
  const ids: string[] = [];
  const urls = new Map<string, string>();
  let after: string | null = null;
  let total: number;
  for (;;) {
    const r: any = await server.gql(AUDIENCE, { scope, channel, first: 500, after }, { token: marketer.accessToken });
    expect(r.errors).toBeUndefined();
    const conn = r.data.marketingAudience;
    total = conn.totalCount;
    for (const e of conn.edges) {
      ids.push(e.node.account.id);
      urls.set(e.node.account.id, e.node.unsubscribeUrl);
    }
    if (!conn.pageInfo.hasNextPage) break;
    after = conn.pageInfo.endCursor;
  }
  return { ids, urls, total };
}
const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;

describe('marketing preferences', () => {
  it('a new customer may receive similar-product notices on every channel, and nothing else without consent', async () => {
    const user = await signUp(server);
    expect(await prefs(user)).toEqual({
      similarProducts: true,
      otherNotices: false,
      channels: ['EMAIL', 'SMS', 'PHONE', 'POST'],
      optOuts: [],
    });
  });

  it('other notices follow the consent per channel', async () => {
    const user = await signUp(server);
    await consent(user, 'MARKETING_SMS', true);
    expect(await prefs(user)).toMatchObject({ otherNotices: true });
    await consent(user, 'MARKETING_SMS', false);
    expect(await prefs(user)).toMatchObject({ otherNotices: false });
  });
});

describe('optOutOfMarketing', () => {
  it('the customer opts out of one channel, effective immediately', async () => {
    const user = await signUp(server);
    const before = Date.now();
    const r = await server.gql(OPT_OUT, { input: { scope: 'SIMILAR_PRODUCTS', channel: 'EMAIL' } }, { token: user.accessToken });
    expect(r.errors).toBeUndefined();
    const p = r.data.optOutOfMarketing;
    expect(p.channels).toEqual(['SMS', 'PHONE', 'POST']);
    expect(p.optOuts).toHaveLength(1);
    expect(p.optOuts[0]).toMatchObject({ scope: 'SIMILAR_PRODUCTS', channel: 'EMAIL', via: 'ACCOUNT', recordedBy: null });
    expect(p.optOuts[0].effectiveAt).toBe(p.optOuts[0].receivedAt);
    expect(new Date(p.optOuts[0].receivedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    const { ids } = await audience('SIMILAR_PRODUCTS', 'EMAIL');
    expect(ids).not.toContain(user.id);
  });

  it('an opt-out of ALL on every channel stops everything and withdraws the consents in the ledger', async () => {
    const user = await signUp(server);
    await consent(user, 'MARKETING_EMAIL', true);
    const r = await server.gql(OPT_OUT, { input: { scope: 'ALL' } }, { token: user.accessToken });
    expect(r.data.optOutOfMarketing).toMatchObject({ similarProducts: false, otherNotices: false, channels: [] });
    const consents = await server.gql(
      `{ me { consents { purpose { code } granted record { method } } } }`,
      {},
      { token: user.accessToken },
    );
    expect(consents.data.me.consents).toContainEqual({ purpose: { code: 'MARKETING_EMAIL' }, granted: false, record: { method: 'API' } });
  });

  it('a new consent after an opt-out lets notices on that channel start again', async () => {
    const user = await signUp(server);
    await server.gql(OPT_OUT, { input: { scope: 'OTHER', channel: 'EMAIL' } }, { token: user.accessToken });
    await consent(user, 'MARKETING_EMAIL', true);
    const { ids } = await audience('OTHER', 'EMAIL');
    expect(ids).toContain(user.id);
  });

  it.each(['EMAIL', 'PHONE', 'OFFICE'])('SUPPORT staff record a request received via %s, naming themselves', async (via) => {
    const user = await signUp(server);
    const r = await server.gql(
      OPT_OUT,
      { input: { scope: 'ALL', channel: 'POST', via, accountId: user.id } },
      { token: support.accessToken },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.optOutOfMarketing.optOuts[0]).toMatchObject({ scope: 'ALL', channel: 'POST', via, recordedBy: { id: support.id } });
    expect(r.data.optOutOfMarketing.channels).not.toContain('POST');
    expect((await prefs(user)).optOuts[0]).toMatchObject({ via, recordedBy: { id: support.id } });
  });

  it("puts the opt-outs in the person's data export", async () => {
    const user = await signUp(server);
    await server.gql(OPT_OUT, { input: { scope: 'OTHER', channel: 'SMS' } }, { token: user.accessToken });
    const section = exportContributors(server.app.services).find((c) => c.section === 'marketingOptOuts')!;
    expect(await section.collect(server.app.services, rawId(user.id))).toMatchObject([{ scope: 'OTHER', channel: 'SMS', via: 'ACCOUNT' }]);
  });

  it('via must match who enters it', async () => {
    const user = await signUp(server);
    const own = await server.gql(OPT_OUT, { input: { scope: 'ALL', via: 'PHONE' } }, { token: user.accessToken });
    expect(own.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.via' });
    for (const via of ['ACCOUNT', 'UNSUBSCRIBE_LINK']) {
      const staff = await server.gql(OPT_OUT, { input: { scope: 'ALL', via, accountId: user.id } }, { token: support.accessToken });
      expect(staff.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.via' });
    }
  });

  it('only SUPPORT staff act for another account; anonymous callers are refused', async () => {
    const user = await signUp(server);
    const other = await signUp(server);
    const input = { scope: 'ALL', via: 'PHONE', accountId: user.id };
    expect(errorCodes(await server.gql(OPT_OUT, { input }, { token: other.accessToken }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.gql(OPT_OUT, { input }, { token: marketer.accessToken }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.gql(OPT_OUT, { input: { scope: 'ALL' } }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('unsubscribe links', () => {
  it('opt out with one click, idempotently', async () => {
    const user = await signUp(server);
    const { urls } = await audience('SIMILAR_PRODUCTS', 'EMAIL');
    const url = urls.get(user.id)!;
    expect(url.startsWith('http://localhost:4000/unsubscribe?token=')).toBe(true);
    const first = await server.gql(UNSUBSCRIBE, { token: tokenOf(url) });
    expect(first.data.unsubscribe).toEqual({ ok: true, scope: 'SIMILAR_PRODUCTS', channel: 'EMAIL' });
    const second = await server.gql(UNSUBSCRIBE, { token: tokenOf(url) });
    expect(second.data.unsubscribe).toEqual({ ok: true, scope: 'SIMILAR_PRODUCTS', channel: 'EMAIL' });
    const p = await prefs(user);
    expect(p.optOuts).toHaveLength(1);
    expect(p.optOuts[0]).toMatchObject({ via: 'UNSUBSCRIBE_LINK', scope: 'SIMILAR_PRODUCTS', channel: 'EMAIL' });
    expect((await audience('SIMILAR_PRODUCTS', 'EMAIL')).ids).not.toContain(user.id);
    expect(p.channels).toEqual(['SMS', 'PHONE', 'POST']);
  });

  it('refuse forged or tampered tokens (BAD_USER_INPUT)', async () => {
    const user = await signUp(server);
    const victim = await signUp(server);
    const { urls } = await audience('SIMILAR_PRODUCTS', 'EMAIL');
    const token = tokenOf(urls.get(user.id)!);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const retargeted = [header, Buffer.from(JSON.stringify({ ...claims, sub: rawId(victim.id) })).toString('base64url'), signature].join(
      '.',
    );
    // A token of another type signed by the same key (an access token) is not an unsubscribe token either.
    for (const bad of ['not-a-token', retargeted, `${token.slice(0, -4)}AAAA`, user.accessToken]) {
      const r = await server.gql(UNSUBSCRIBE, { token: bad });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    }
    expect((await prefs(victim)).optOuts).toEqual([]);
    expect((await prefs(user)).optOuts).toEqual([]);
  });

  it('also work as RFC 8058 one-click POST to the link; GET only asks', async () => {
    const user = await signUp(server);
    const { urls } = await audience('SIMILAR_PRODUCTS', 'EMAIL');
    const path = new URL(urls.get(user.id)!);
    const local = `${server.url}${path.pathname}${path.search}`;
    const get = await fetch(local);
    expect(get.status).toBe(200);
    expect(await get.text()).toContain('<form method="post"');
    expect((await prefs(user)).optOuts).toEqual([]);
    const post = await fetch(local, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(post.status).toBe(200);
    expect((await prefs(user)).optOuts).toMatchObject([{ via: 'UNSUBSCRIBE_LINK', channel: 'EMAIL' }]);
    const forged = await fetch(`${server.url}/unsubscribe?token=forged`, { method: 'POST' });
    expect(forged.status).toBe(400);
  });
});

describe('marketingAudience', () => {
  it('is for the MARKETING role only', async () => {
    const customer = await signUp(server);
    for (const viewer of [customer, support]) {
      const r = await server.gql(AUDIENCE, { scope: 'OTHER', channel: 'EMAIL' }, { token: viewer.accessToken });
      expect(errorCodes(r)).toEqual(['FORBIDDEN']);
    }
    expect(errorCodes(await server.gql(AUDIENCE, { scope: 'OTHER', channel: 'EMAIL' }))).toEqual(['UNAUTHENTICATED']);
  });

  it('excludes opted-out, consent-less, RESTRICTED and objecting accounts, and staff', async () => {
    const { prisma } = server.app.services;
    const consenting = await signUp(server);
    await consent(consenting, 'MARKETING_EMAIL', true);
    const withoutConsent = await signUp(server);
    const optedOut = await signUp(server);
    await consent(optedOut, 'MARKETING_EMAIL', true);
    await server.gql(OPT_OUT, { input: { scope: 'OTHER', channel: 'EMAIL' } }, { token: optedOut.accessToken });
    const restricted = await signUp(server);
    await consent(restricted, 'MARKETING_EMAIL', true);
    await prisma.account.update({ where: { id: rawId(restricted.id) }, data: { status: 'RESTRICTED' } });
    const objecting = await signUp(server);
    await consent(objecting, 'MARKETING_EMAIL', true);
    await prisma.account.update({ where: { id: rawId(objecting.id) }, data: { processingObjectedAt: new Date() } });

    const other = await audience('OTHER', 'EMAIL');
    expect(other.ids).toContain(consenting.id);
    for (const excluded of [withoutConsent, optedOut, restricted, objecting, marketer, support])
      expect(other.ids).not.toContain(excluded.id);
    expect(other.total).toBe(other.ids.length);

    const similar = await audience('SIMILAR_PRODUCTS', 'EMAIL');
    expect(similar.ids).toEqual(expect.arrayContaining([consenting.id, withoutConsent.id, optedOut.id]));
    for (const excluded of [restricted, objecting, marketer]) expect(similar.ids).not.toContain(excluded.id);

    // Preferences say the same as the audience.
    expect(await prefs(restricted)).toMatchObject({ similarProducts: false, otherNotices: false, channels: [] });
    expect(await prefs(objecting)).toMatchObject({ similarProducts: false, otherNotices: false, channels: [] });
    expect(await prefs(withoutConsent)).toMatchObject({ similarProducts: true, otherNotices: false });
  });

  it('needs the contact detail of the channel and gives only that one', async () => {
    const user = await signUp(server);
    await consent(user, 'MARKETING_SMS', true);
    expect((await audience('OTHER', 'SMS')).ids).not.toContain(user.id); // no phone number yet
    await server.gql(`mutation { updateProfile(input: { phone: "+371 20000000" }) { id } }`, {}, { token: user.accessToken });
    const r = await server.gql(AUDIENCE, { scope: 'OTHER', channel: 'SMS', first: 500 }, { token: marketer.accessToken });
    const node = r.data.marketingAudience.edges.find((e: { node: { account: { id: string } } }) => e.node.account.id === user.id).node;
    expect(node).toMatchObject({ email: null, phone: '+37120000000', address: null });
  });

  it('pages with first/after and counts the whole audience', async () => {
    await Promise.all([signUp(server), signUp(server), signUp(server)]);
    const all = await audience('SIMILAR_PRODUCTS', 'EMAIL');
    expect(all.total).toBeGreaterThanOrEqual(3);
    const pageOne = await server.gql(AUDIENCE, { scope: 'SIMILAR_PRODUCTS', channel: 'EMAIL', first: 2 }, { token: marketer.accessToken });
    const conn = pageOne.data.marketingAudience;
    expect(conn.edges).toHaveLength(2);
    expect(conn.totalCount).toBe(all.total);
    expect(conn.pageInfo.hasNextPage).toBe(true);
    const pageTwo = await server.gql(
      AUDIENCE,
      { scope: 'SIMILAR_PRODUCTS', channel: 'EMAIL', first: 2, after: conn.pageInfo.endCursor },
      { token: marketer.accessToken },
    );
    const ids = [...conn.edges, ...pageTwo.data.marketingAudience.edges].map(
      (e: { node: { account: { id: string } } }) => e.node.account.id,
    );
    expect(ids).toEqual(all.ids.slice(0, ids.length));
    const tooMany = await server.gql(AUDIENCE, { scope: 'OTHER', channel: 'EMAIL', first: 501 }, { token: marketer.accessToken });
    expect(tooMany.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});
