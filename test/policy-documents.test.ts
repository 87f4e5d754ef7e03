/**
 * Policy documents with their text (publishPolicyDocument, the /policies
 * route with ETag caching, the bundled customer policy, cookie policy
 * documents) and re-acknowledgement when a newer version takes effect.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, signUp, signUpStaff, startTestServer, type SignedIn, type TestServer } from './helpers/server';
import { PRIVACY_POLICY_VERSION } from '../seeds/policies';

let server: TestServer;
let admin: SignedIn;
let customer: SignedIn;
beforeAll(async () => {
  server = await startTestServer({ plugins: ['cookies'] });
  [admin, customer] = await Promise.all([signUpStaff(server, ['ADMIN']), signUp(server)]);
});
afterAll(() => server?.stop());

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const PUBLISH = /* GraphQL */ `
  mutation ($input: PublishPolicyDocumentInput!) {
    publishPolicyDocument(input: $input) {
      id
      kind
      version
      locale
      effectiveAt
      url
      contentHash
      text
    }
  }
`;
const ACK = `{ me { privacy: policyAcknowledgement(kind: PRIVACY_POLICY) { kind version currentVersion needsReview acknowledgedAt } } }`;
const ACKNOWLEDGE = `mutation($v: String!) { acknowledgePolicy(kind: PRIVACY_POLICY, version: $v) { version needsReview currentVersion } }`;

describe('the bundled customer policy', () => {
  it('serves the Latvian original and the English translation, with their hash', async () => {
    const r = await server.gql(`{
      lv: currentPolicy(kind: PRIVACY_POLICY, locale: LV) { version locale text contentHash url }
      en: currentPolicy(kind: PRIVACY_POLICY, locale: EN) { version locale text contentHash url }
      cookies: currentPolicy(kind: COOKIE_POLICY, locale: LV) { version text }
    }`);
    expect(r.errors).toBeUndefined();
    const original = readFileSync('/work/shared/seed/privacy-and-cookie-policy.lv.txt', 'utf8');
    expect(original).toContain(r.data.lv.text.trim().slice(0, 2000));
    expect(r.data.lv.text).toContain('40003278804');
    expect(r.data.en.text).toContain('Data State Inspectorate');
    for (const d of [r.data.lv, r.data.en]) {
      expect(d.version).toBe(PRIVACY_POLICY_VERSION);
      expect(d.contentHash).toBe(sha256(d.text));
      expect(d.url).toBe(`http://localhost:4000/policies/privacy-policy/${PRIVACY_POLICY_VERSION}/${d.locale.toLowerCase()}`);
    }
    expect(r.data.cookies.text).toContain('07.03.2025');
  });

  it('GET /policies/{kind}/{version}/{locale} returns the Markdown, cacheable by its ETag', async () => {
    const doc = (await server.gql(`{ currentPolicy(kind: PRIVACY_POLICY, locale: EN) { text contentHash } }`)).data.currentPolicy;
    const res = await fetch(`${server.url}/policies/privacy-policy/${PRIVACY_POLICY_VERSION}/en`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(res.headers.get('etag')).toBe(`"${doc.contentHash}"`);
    expect(res.headers.get('cache-control')).toMatch(/public/);
    expect(await res.text()).toBe(doc.text);
    const again = await fetch(`${server.url}/policies/PRIVACY_POLICY/${PRIVACY_POLICY_VERSION}/EN`, {
      headers: { 'if-none-match': `"${doc.contentHash}"` },
    });
    expect(again.status).toBe(304);
    expect((await fetch(`${server.url}/policies/privacy-policy/1999-01-01/en`)).status).toBe(404);
    expect((await fetch(`${server.url}/policies/nonsense/${PRIVACY_POLICY_VERSION}/en`)).status).toBe(404);
  });
});

describe('publishPolicyDocument', () => {
  const input = {
    kind: 'PRIVACY_POLICY',
    version: '2030-01-01',
    locale: 'EN',
    text: '# Privacy policy\n\nA future version.\n',
    effectiveAt: '2030-01-01T00:00:00.000Z',
  };

  it('is refused to customers and anonymous callers, and changes nothing', async () => {
    expect(errorCodes(await server.gql(PUBLISH, { input }, { token: customer.accessToken }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.gql(PUBLISH, { input }))).toEqual(['UNAUTHENTICATED']);
    const support = await signUpStaff(server, ['SUPPORT', 'DPO']);
    expect(errorCodes(await server.gql(PUBLISH, { input }, { token: support.accessToken }))).toEqual(['FORBIDDEN']);
    const r = await server.gql(`{ policyDocuments(kind: PRIVACY_POLICY) { version } }`);
    expect(r.data.policyDocuments.map((d: { version: string }) => d.version)).not.toContain('2030-01-01');
  });

  it('refuses bad input with the field named', async () => {
    const empty = await server.gql(PUBLISH, { input: { ...input, text: '  \n' } }, { token: admin.accessToken });
    expect(empty.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.text' });
    const version = await server.gql(PUBLISH, { input: { ...input, version: 'no spaces allowed' } }, { token: admin.accessToken });
    expect(version.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.version' });
  });

  it('stores the text and its hash for ADMIN; the same text again is no change, another text a CONFLICT', async () => {
    const r = await server.gql(PUBLISH, { input }, { token: admin.accessToken });
    expect(r.errors).toBeUndefined();
    expect(r.data.publishPolicyDocument).toMatchObject({ kind: 'PRIVACY_POLICY', version: '2030-01-01', locale: 'EN', text: input.text });
    expect(r.data.publishPolicyDocument.contentHash).toBe(sha256(input.text));
    const same = await server.gql(PUBLISH, { input }, { token: admin.accessToken });
    expect(same.data.publishPolicyDocument.id).toBe(r.data.publishPolicyDocument.id);
    const other = await server.gql(PUBLISH, { input: { ...input, text: 'changed' } }, { token: admin.accessToken });
    expect(errorCodes(other)).toEqual(['CONFLICT']);
    const res = await fetch(`${server.url}/policies/privacy-policy/2030-01-01/en`);
    expect(await res.text()).toBe(input.text);
  });
});

describe('publishCookiePolicy', () => {
  it('also publishes the COOKIE_POLICY documents (written from the policy, or the text given)', async () => {
    const text = (l: string) => ({ LV: `${l} lv`, EN: `${l} en` });
    const r = await server.gql(
      `mutation($input: PublishCookiePolicyInput!) { publishCookiePolicy(input: $input) { version lv: document(locale: LV) { text locale } en: document(locale: EN) { text locale } } }`,
      {
        input: {
          version: '2026-02-01',
          updatedAt: '2026-02-01T00:00:00.000Z',
          categories: [{ key: 'necessary', title: text('Necessary'), description: text('Needed'), required: true }],
          cookies: [
            {
              name: 'lp_session',
              provider: 'Portal',
              category: 'necessary',
              purpose: text('Session'),
              duration: 'session',
              thirdParty: false,
            },
          ],
          texts: [{ locale: 'LV', text: '# Sīkdatņu politika\n\nMūsu teksts.\n' }],
        },
      },
      { token: admin.accessToken },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.publishCookiePolicy.lv).toEqual({ locale: 'LV', text: '# Sīkdatņu politika\n\nMūsu teksts.\n' });
    expect(r.data.publishCookiePolicy.en.locale).toBe('EN');
    expect(r.data.publishCookiePolicy.en.text).toContain('| lp_session (necessary) | Portal | Session en | session | no |');
    const current = await server.gql(`{ currentPolicy(kind: COOKIE_POLICY, locale: EN) { version } }`);
    expect(current.data.currentPolicy.version).toBe('2026-02-01');
  });
});

describe('policy acknowledgement', () => {
  it('registration accepts the version in force; nothing to review', async () => {
    const r = await server.gql(ACK, {}, { token: customer.accessToken });
    expect(r.errors).toBeUndefined();
    expect(r.data.me.privacy).toMatchObject({
      kind: 'PRIVACY_POLICY',
      version: PRIVACY_POLICY_VERSION,
      currentVersion: PRIVACY_POLICY_VERSION,
      needsReview: false,
    });
  });

  it('a version that is published but not yet in effect needs no review', async () => {
    const r = await server.gql(ACK, {}, { token: customer.accessToken });
    expect(r.data.me.privacy.needsReview).toBe(false); // 2030-01-01 was published above
  });

  it('a newer version in effect needs review until the person acknowledges it in the consent ledger', async () => {
    const now = new Date().toISOString();
    const pub = await server.gql(
      PUBLISH,
      { input: { kind: 'PRIVACY_POLICY', version: '2026-01-01', locale: 'LV', text: '# Jauna versija\n', effectiveAt: now } },
      { token: admin.accessToken },
    );
    expect(pub.errors).toBeUndefined();
    const before = await server.gql(ACK, {}, { token: customer.accessToken });
    expect(before.data.me.privacy).toMatchObject({ version: PRIVACY_POLICY_VERSION, currentVersion: '2026-01-01', needsReview: true });

    expect(errorCodes(await server.gql(ACKNOWLEDGE, { v: '2026-01-01' }))).toEqual(['UNAUTHENTICATED']);
    const unknown = await server.gql(ACKNOWLEDGE, { v: '1999' }, { token: customer.accessToken });
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'version' });

    const ack = await server.gql(ACKNOWLEDGE, { v: '2026-01-01' }, { token: customer.accessToken });
    expect(ack.errors).toBeUndefined();
    expect(ack.data.acknowledgePolicy).toEqual({ version: '2026-01-01', needsReview: false, currentVersion: '2026-01-01' });
    const after = await server.gql(ACK, {}, { token: customer.accessToken });
    expect(after.data.me.privacy).toMatchObject({ version: '2026-01-01', needsReview: false });

    const history = await server.gql(
      `{ me { consentHistory(first: 10) { edges { node { purpose { code } policyVersion granted receipt } } } } }`,
      {},
      { token: customer.accessToken },
    );
    const codes = history.data.me.consentHistory.edges.map(
      (e: { node: { purpose: { code: string }; policyVersion: string } }) => `${e.node.purpose.code}@${e.node.policyVersion}`,
    );
    expect(codes).toContain('PRIVACY_POLICY@2026-01-01');

    // Someone who has not acknowledged still needs to.
    const other = await signUp(server);
    expect((await server.gql(ACK, {}, { token: other.accessToken })).data.me.privacy.needsReview).toBe(true);
  });
});
