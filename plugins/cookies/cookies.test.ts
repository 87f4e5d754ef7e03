import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { startTestServer, signUp, signUpStaff, errorCodes, type TestServer } from '../../test/helpers/server';
import { exportContributors } from '../../api/export-contributors';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ plugins: ['cookies'] });
  for (const plugin of server.app.plugins) await plugin.seed?.(server.app.services);
});
afterAll(() => server?.stop());

const SEED_VERSION = '2025-03-07';
const CONSENT_FIELDS = `id visitorId choices { category granted } policyVersion recordedAt expiresAt globalPrivacyControl needsRenewal receipt`;
const SET = `mutation($input: SetCookieConsentInput!) { setCookieConsent(input: $input) { ${CONSENT_FIELDS} } }`;
const WITHDRAW = `mutation($v: String!) { withdrawCookieConsent(visitorId: $v) { ${CONSENT_FIELDS} } }`;
const GET = `query($v: String!) { cookieConsent(visitorId: $v) { ${CONSENT_FIELDS} } }`;
const PUBLISH = `mutation($input: PublishCookiePolicyInput!) { publishCookiePolicy(input: $input) { version updatedAt categories { key required } } }`;

const visitor = () => `v-${randomUUID()}`;
const choicesOf = (c: { choices: { category: string; granted: boolean }[] }) =>
  Object.fromEntries(c.choices.map((x) => [x.category, x.granted]));
const set = (
  visitorId: string,
  choices: { category: string; granted: boolean }[],
  options: { headers?: Record<string, string>; token?: string; policyVersion?: string } = {},
) => server.gql(SET, { input: { visitorId, choices, policyVersion: options.policyVersion ?? SEED_VERSION } }, options);

describe('cookiePolicy', () => {
  it('serves the seeded policy of 07.03.2025 with its four categories and every cookie, in LV and EN', async () => {
    const r = await server.gql(`{
      lv: cookiePolicy { version updatedAt categories { key title description required saleOrSharing } cookies { name provider category purpose duration thirdParty } document { kind version locale } }
      en: cookiePolicy(locale: EN) { categories { key title } cookies { name purpose } document(locale: EN) { locale } }
    }`);
    expect(r.errors).toBeUndefined();
    const { lv, en } = r.data;
    expect(lv.version).toBe(SEED_VERSION);
    expect(lv.updatedAt).toBe('2025-03-07T00:00:00.000Z');
    expect(lv.categories.map((c: { key: string }) => c.key)).toEqual(['necessary', 'performance', 'functional', 'advertising']);
    expect(lv.categories.filter((c: { required: boolean }) => c.required).map((c: { key: string }) => c.key)).toEqual(['necessary']);
    expect(lv.categories.find((c: { key: string }) => c.key === 'advertising').saleOrSharing).toBe(true);
    expect(lv.categories[0].title).not.toBe(en.categories[0].title);
    for (const cookie of lv.cookies) {
      expect(['necessary', 'performance', 'functional', 'advertising']).toContain(cookie.category);
      expect(cookie.duration).toMatch(/^(session|P\w+)$/);
      expect(cookie.provider).not.toBe('');
    }
    expect(lv.cookies.some((c: { thirdParty: boolean; category: string }) => c.thirdParty && c.category === 'advertising')).toBe(true);
    expect(lv.document).toEqual({ kind: 'COOKIE_POLICY', version: SEED_VERSION, locale: 'LV' });
    expect(en.document).toEqual({ locale: 'EN' });
  });
});

describe('setCookieConsent', () => {
  it('stores an explicit choice: necessary always on, unnamed categories refused, valid 12 months', async () => {
    const v = visitor();
    const r = await set(v, [
      { category: 'performance', granted: true },
      { category: 'necessary', granted: false },
    ]);
    expect(r.errors).toBeUndefined();
    const c = r.data.setCookieConsent;
    expect(choicesOf(c)).toEqual({ necessary: true, performance: true, functional: false, advertising: false });
    expect(c).toMatchObject({ visitorId: v, policyVersion: SEED_VERSION, globalPrivacyControl: false, needsRenewal: false });
    const expected = new Date(c.recordedAt);
    expected.setUTCFullYear(expected.getUTCFullYear() + 1);
    expect(c.expiresAt).toBe(expected.toISOString());
  });

  it('carries a receipt verifiable with the public JWKS', async () => {
    const v = visitor();
    const c = (await set(v, [{ category: 'functional', granted: true }])).data.setCookieConsent;
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(c.receipt, jwks);
    expect(payload).toMatchObject({
      typ: 'cookie-consent-receipt',
      sub: v,
      rid: decodeGlobalID(c.id).id,
      purpose: 'COOKIES',
      method: 'COOKIE_BANNER',
      choices: { necessary: true, performance: false, functional: true, advertising: false },
      policyVersion: SEED_VERSION,
      recordedAt: c.recordedAt,
      gpc: false,
    });
  });

  it('refuses unknown categories, the same category twice, a bad visitor id, and a policy version that is not current', async () => {
    const cases: [unknown, string][] = [
      [
        { visitorId: visitor(), choices: [{ category: 'tracking', granted: true }], policyVersion: SEED_VERSION },
        'input.choices.0.category',
      ],
      [
        {
          visitorId: visitor(),
          choices: [
            { category: 'functional', granted: true },
            { category: 'functional', granted: false },
          ],
          policyVersion: SEED_VERSION,
        },
        'input.choices.1.category',
      ],
      [{ visitorId: 'x', choices: [], policyVersion: SEED_VERSION }, 'input.visitorId'],
      [{ visitorId: visitor(), choices: [], policyVersion: '2020-01-01' }, 'input.policyVersion'],
    ];
    for (const [input, field] of cases) {
      const r = await server.gql(SET, { input });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('with Sec-GPC: 1 refuses advertising whatever was asked, and says so', async () => {
    const v = visitor();
    const all = ['performance', 'functional', 'advertising'].map((category) => ({ category, granted: true }));
    const r = await set(v, all, { headers: { 'Sec-GPC': '1' } });
    expect(choicesOf(r.data.setCookieConsent)).toEqual({ necessary: true, performance: true, functional: true, advertising: false });
    expect(r.data.setCookieConsent.globalPrivacyControl).toBe(true);
    const without = await set(v, all);
    expect(choicesOf(without.data.setCookieConsent).advertising).toBe(true);
    expect(without.data.setCookieConsent.globalPrivacyControl).toBe(false);
  });

  it('keeps every choice as a new record; withdrawal refuses all optional categories; the latest one counts', async () => {
    const v = visitor();
    const first = (await set(v, [{ category: 'advertising', granted: true }])).data.setCookieConsent;
    const second = (await set(v, [{ category: 'performance', granted: true }])).data.setCookieConsent;
    const withdrawn = (await server.gql(WITHDRAW, { v })).data.withdrawCookieConsent;
    expect(choicesOf(withdrawn)).toEqual({ necessary: true, performance: false, functional: false, advertising: false });
    const latest = (await server.gql(GET, { v })).data.cookieConsent;
    expect(latest.id).toBe(withdrawn.id);

    const { prisma } = server.app.services;
    const rows = await prisma.cookieConsent.findMany({ where: { visitorId: v }, orderBy: { recordedAt: 'asc' } });
    expect(rows.map((r) => r.receipt)).toEqual([first.receipt, second.receipt, withdrawn.receipt]);
    expect(rows[0].choices).toMatchObject({ advertising: true });
    await expect(prisma.cookieConsent.update({ where: { id: rows[0].id }, data: { choices: {} } })).rejects.toThrow();
  });

  it('is listed in the purpose register but recorded here, not through setConsent', async () => {
    const purposes = await server.gql(`{ processingPurposes { code requiresConsent consentRecordedBy } }`);
    expect(purposes.data.processingPurposes).toContainEqual({
      code: 'COOKIES',
      requiresConsent: true,
      consentRecordedBy: 'setCookieConsent',
    });
    const user = await signUp(server);
    const r = await server.gql(
      `mutation { setConsent(input: { purpose: "COOKIES", granted: true }) { granted } }`,
      {},
      { token: user.accessToken },
    );
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.purpose' });
  });

  it('cookieConsent is null for a visitor never asked', async () => {
    expect((await server.gql(GET, { v: visitor() })).data.cookieConsent).toBeNull();
  });

  it('links the record to a signed-in customer, who sees it with their account and in their export', async () => {
    const user = await signUp(server);
    const v = visitor();
    const c = (await set(v, [{ category: 'functional', granted: true }], { token: user.accessToken })).data.setCookieConsent;
    const anonymous = (await set(visitor(), [])).data.setCookieConsent;
    const mine = await server.gql(`{ me { cookieConsents { id visitorId } } }`, {}, { token: user.accessToken });
    expect(mine.data.me.cookieConsents).toEqual([{ id: c.id, visitorId: v }]);
    const accountId = decodeGlobalID(user.id).id;
    const section = exportContributors(server.app.services).find((x) => x.section === 'cookieConsents')!;
    const exported = (await section.collect(server.app.services, accountId)) as { id: string }[];
    expect(exported.map((e) => e.id)).toEqual([decodeGlobalID(c.id).id]);
    const { prisma } = server.app.services;
    expect((await prisma.cookieConsent.findUniqueOrThrow({ where: { id: decodeGlobalID(anonymous.id).id } })).accountId).toBeNull();
  });

  it('needs renewal 12 months after the choice', async () => {
    const v = visitor();
    const { prisma } = server.app.services;
    const c = (await set(v, [])).data.setCookieConsent;
    const row = await prisma.cookieConsent.findUniqueOrThrow({ where: { id: decodeGlobalID(c.id).id } });
    // A choice made 12 months and a day ago (as a stored record would be by now).
    const recordedAt = new Date(Date.now() - 366 * 24 * 3600 * 1000);
    const expiresAt = new Date(recordedAt);
    expiresAt.setUTCFullYear(expiresAt.getUTCFullYear() + 1);
    await prisma.cookieConsent.create({ data: { ...row, id: randomUUID(), choices: row.choices as object, recordedAt, expiresAt } });
    const old = visitor();
    await prisma.cookieConsent.create({
      data: { ...row, id: randomUUID(), visitorId: old, choices: row.choices as object, recordedAt, expiresAt },
    });
    expect((await server.gql(GET, { v: old })).data.cookieConsent.needsRenewal).toBe(true);
    expect((await server.gql(GET, { v })).data.cookieConsent.needsRenewal).toBe(false);
  });
});

const NEW_POLICY = {
  version: '2026-11-01',
  updatedAt: '2026-11-01T00:00:00.000Z',
  categories: [
    {
      key: 'necessary',
      title: { LV: 'Nepieciešamās', EN: 'Necessary' },
      description: { LV: 'Darbībai.', EN: 'To run the portal.' },
      required: true,
    },
    { key: 'performance', title: { LV: 'Veiktspēja', EN: 'Performance' }, description: { LV: 'Statistika.', EN: 'Statistics.' } },
  ],
  cookies: [
    {
      name: 'lp_session',
      provider: 'Portal',
      category: 'necessary',
      purpose: { LV: 'Sesija.', EN: 'Session.' },
      duration: 'session',
      thirdParty: false,
    },
  ],
};

describe('publishCookiePolicy (ADMIN)', () => {
  it('is for ADMIN staff only', async () => {
    const support = await signUpStaff(server, ['SUPPORT']);
    expect(errorCodes(await server.gql(PUBLISH, { input: NEW_POLICY }, { token: support.accessToken }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.gql(PUBLISH, { input: NEW_POLICY }))).toEqual(['UNAUTHENTICATED']);
  });

  it('checks the new version', async () => {
    const admin = await signUpStaff(server, ['ADMIN']);
    const noNecessary = { ...NEW_POLICY, categories: NEW_POLICY.categories.slice(1), cookies: [] };
    const r1 = await server.gql(PUBLISH, { input: noNecessary }, { token: admin.accessToken });
    expect(r1.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.categories' });
    const badCookie = { ...NEW_POLICY, cookies: [{ ...NEW_POLICY.cookies[0], category: 'nope' }] };
    const r2 = await server.gql(PUBLISH, { input: badCookie }, { token: admin.accessToken });
    expect(r2.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.cookies.0.category' });
    const existing = await server.gql(PUBLISH, { input: { ...NEW_POLICY, version: SEED_VERSION } }, { token: admin.accessToken });
    expect(errorCodes(existing)).toEqual(['CONFLICT']);
  });

  it('makes the new version current: earlier choices need renewal and the old version is refused', async () => {
    const v = visitor();
    await set(v, [{ category: 'performance', granted: true }]);
    const admin = await signUpStaff(server, ['ADMIN']);
    const r = await server.gql(PUBLISH, { input: NEW_POLICY }, { token: admin.accessToken });
    expect(r.errors).toBeUndefined();
    expect((await server.gql(`{ cookiePolicy { version } }`)).data.cookiePolicy.version).toBe(NEW_POLICY.version);
    expect((await server.gql(GET, { v })).data.cookieConsent.needsRenewal).toBe(true);
    const stale = await set(v, [], { policyVersion: SEED_VERSION });
    expect(stale.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.policyVersion' });
    const renewed = await set(v, [{ category: 'performance', granted: true }], { policyVersion: NEW_POLICY.version });
    expect(choicesOf(renewed.data.setCookieConsent)).toEqual({ necessary: true, performance: true });
    expect(renewed.data.setCookieConsent.needsRenewal).toBe(false);
  });
});
