import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { startTestServer, signUp, signUpStaff, errorCodes, type TestServer } from './helpers/server';
import { PRIVACY_POLICY_VERSION } from '../seeds/policies';

// Core declares no consent-based purpose; the marketing plugin brings MARKETING_EMAIL etc.
let server: TestServer;
let coreOnly: TestServer;
beforeAll(async () => {
  [server, coreOnly] = await Promise.all([startTestServer({ plugins: ['marketing'] }), startTestServer({ plugins: [] })]);
});
afterAll(async () => {
  await Promise.all([server?.stop(), coreOnly?.stop()]);
});

const SET_CONSENT = /* GraphQL */ `
  mutation ($input: SetConsentInput!) {
    setConsent(input: $input) {
      granted
      since
      purpose {
        code
        requiresConsent
      }
      record {
        id
        granted
        method
        policyVersion
        recordedAt
        receipt
        locale
        recordedBy {
          id
          displayName
        }
      }
    }
  }
`;
const MY_CONSENTS = /* GraphQL */ `
  {
    me {
      consents {
        purpose {
          code
        }
        granted
        since
        record {
          id
        }
      }
      consentHistory(first: 50) {
        edges {
          cursor
          node {
            id
            purpose {
              code
            }
            granted
            method
            policyVersion
            receipt
            recordedBy {
              id
            }
          }
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
`;
const rawId = (globalId: string) => decodeGlobalID(globalId).id;

describe('processing purposes (public register)', () => {
  it("lists core and enabled plugins' purposes with texts in LV and EN, basis and retention", async () => {
    const q = `{ processingPurposes { code lv: title(locale: LV) en: title(locale: EN) description(locale: EN) legalBasis dataCategories recipients retention requiresConsent } }`;
    const r = await server.gql(q);
    expect(r.errors).toBeUndefined();
    const byCode = Object.fromEntries(r.data.processingPurposes.map((p: { code: string }) => [p.code, p]));
    expect(byCode.ACCOUNT).toMatchObject({ legalBasis: 'CONTRACT', requiresConsent: false, en: 'Running your account' });
    expect(byCode.ACCOUNT.lv).not.toBe(byCode.ACCOUNT.en);
    expect(byCode.SECURITY).toMatchObject({ legalBasis: 'LEGITIMATE_INTEREST', requiresConsent: false });
    expect(byCode.MARKETING_EMAIL).toMatchObject({ legalBasis: 'CONSENT', requiresConsent: true });
    for (const p of r.data.processingPurposes) {
      expect(p.retention).not.toBe('');
      expect(p.requiresConsent).toBe(p.legalBasis === 'CONSENT');
    }
  });

  it('has no plugin purposes when the plugin is off', async () => {
    const r = await coreOnly.gql(`{ processingPurposes { code } }`);
    expect(r.data.processingPurposes.map((p: { code: string }) => p.code)).not.toContain('MARKETING_EMAIL');
  });
});

describe('policy documents', () => {
  it('serves the current policy per kind and locale, and every version', async () => {
    const r = await server.gql(`{
      privacy: currentPolicy(kind: PRIVACY_POLICY, locale: EN) { id kind version locale effectiveAt url contentHash }
      cookies: currentPolicy(kind: COOKIE_POLICY) { kind locale version }
      all: policyDocuments(kind: PRIVACY_POLICY) { version locale }
    }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.privacy).toMatchObject({ kind: 'PRIVACY_POLICY', version: PRIVACY_POLICY_VERSION, locale: 'EN' });
    expect(r.data.privacy.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.data.cookies).toMatchObject({ kind: 'COOKIE_POLICY', locale: 'LV' });
    expect(r.data.all.map((d: { locale: string }) => d.locale).sort()).toEqual(['EN', 'LV']);
  });

  it('makes a newly effective version current; a future one is not current yet', async () => {
    const { prisma } = server.app.services;
    await prisma.policyDocument.create({
      data: {
        kind: 'PRIVACY_POLICY',
        version: '2099-01-01',
        locale: 'EN',
        effectiveAt: new Date('2099-01-01'),
        contentHash: 'f'.repeat(64),
      },
    });
    const r = await server.gql(`{ currentPolicy(kind: PRIVACY_POLICY, locale: EN) { version } }`);
    expect(r.data.currentPolicy.version).toBe(PRIVACY_POLICY_VERSION);
  });
});

describe('setConsent and the consent ledger', () => {
  it('records the privacy policy accepted at registration in the history', async () => {
    const user = await signUp(server);
    const r = await server.gql(MY_CONSENTS, {}, { token: user.accessToken });
    expect(r.errors).toBeUndefined();
    const nodes = r.data.me.consentHistory.edges.map((e: { node: unknown }) => e.node);
    expect(nodes).toEqual([
      expect.objectContaining({ purpose: { code: 'ACCOUNT' }, granted: true, policyVersion: PRIVACY_POLICY_VERSION }),
    ]);
  });

  it('appends a record per choice; current state follows the latest; earlier records stay unchanged', async () => {
    const user = await signUp(server);
    const initial = await server.gql(MY_CONSENTS, {}, { token: user.accessToken });
    expect(initial.data.me.consents).toEqual(
      expect.arrayContaining([{ purpose: { code: 'MARKETING_EMAIL' }, granted: false, since: null, record: null }]),
    );
    const states = initial.data.me.consents.map((s: { purpose: { code: string } }) => s.purpose.code);
    expect(states).not.toContain('ACCOUNT'); // only consent-based purposes have a state

    const grant = await server.gql(
      SET_CONSENT,
      { input: { purpose: 'MARKETING_EMAIL', granted: true, method: 'WEB_FORM' } },
      { token: user.accessToken },
    );
    expect(grant.errors).toBeUndefined();
    expect(grant.data.setConsent).toMatchObject({
      granted: true,
      purpose: { code: 'MARKETING_EMAIL', requiresConsent: true },
      record: { granted: true, method: 'WEB_FORM', policyVersion: PRIVACY_POLICY_VERSION, recordedBy: null, locale: 'LV' },
    });
    const withdraw = await server.gql(SET_CONSENT, { input: { purpose: 'MARKETING_EMAIL', granted: false } }, { token: user.accessToken });
    expect(withdraw.data.setConsent).toMatchObject({ granted: false, record: { method: 'API' } });

    const after = await server.gql(MY_CONSENTS, {}, { token: user.accessToken });
    const email = after.data.me.consents.find((s: { purpose: { code: string } }) => s.purpose.code === 'MARKETING_EMAIL');
    expect(email).toMatchObject({ granted: false, record: { id: withdraw.data.setConsent.record.id } });
    const history = after.data.me.consentHistory.edges.map((e: { node: { id: string; granted: boolean; receipt: string } }) => e.node);
    expect(history.map((n: { purpose: { code: string }; granted: boolean }) => [n.purpose.code, n.granted])).toEqual([
      ['MARKETING_EMAIL', false],
      ['MARKETING_EMAIL', true],
      ['ACCOUNT', true],
    ]);
    // The grant is still there exactly as recorded.
    expect(history[1]).toMatchObject({ id: grant.data.setConsent.record.id, receipt: grant.data.setConsent.record.receipt });
  });

  it('pages through the history', async () => {
    const user = await signUp(server);
    for (const granted of [true, false, true]) {
      await server.gql(SET_CONSENT, { input: { purpose: 'MARKETING_SMS', granted } }, { token: user.accessToken });
    }
    const page = `query($after: String) { me { consentHistory(first: 2, after: $after) { edges { cursor node { granted } } pageInfo { hasNextPage endCursor } } } }`;
    const first = await server.gql(page, {}, { token: user.accessToken });
    expect(first.data.me.consentHistory.edges).toHaveLength(2);
    expect(first.data.me.consentHistory.pageInfo.hasNextPage).toBe(true);
    const second = await server.gql(page, { after: first.data.me.consentHistory.pageInfo.endCursor }, { token: user.accessToken });
    expect(second.data.me.consentHistory.edges).toHaveLength(2);
    expect(second.data.me.consentHistory.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses unknown purposes and purposes not based on consent (BAD_USER_INPUT)', async () => {
    const user = await signUp(server);
    for (const purpose of ['NO_SUCH_PURPOSE', 'ACCOUNT', 'LOCATION_TRACKING', 'SECURITY']) {
      const r = await server.gql(SET_CONSENT, { input: { purpose, granted: true } }, { token: user.accessToken });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.purpose' });
    }
    // A plugin's purpose is unknown while the plugin is off.
    const other = await signUp(coreOnly);
    const off = await coreOnly.gql(SET_CONSENT, { input: { purpose: 'MARKETING_EMAIL', granted: true } }, { token: other.accessToken });
    expect(off.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.purpose' });
  });

  it('refuses an unknown policy version and methods only staff may enter', async () => {
    const user = await signUp(server);
    const badVersion = await server.gql(
      SET_CONSENT,
      { input: { purpose: 'MARKETING_EMAIL', granted: true, policyVersion: '1999-01-01' } },
      { token: user.accessToken },
    );
    expect(badVersion.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.policyVersion' });
    const phone = await server.gql(
      SET_CONSENT,
      { input: { purpose: 'MARKETING_EMAIL', granted: true, method: 'PHONE' } },
      { token: user.accessToken },
    );
    expect(phone.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.method' });
  });

  it('needs a signed-in account', async () => {
    const r = await server.gql(SET_CONSENT, { input: { purpose: 'MARKETING_EMAIL', granted: true } });
    expect(errorCodes(r)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('choices received by phone, e-mail or in person', () => {
  it('SUPPORT staff record them for the account, and the record names them', async () => {
    const customer = await signUp(server);
    const support = await signUpStaff(server, ['SUPPORT']);
    const r = await server.gql(
      SET_CONSENT,
      { input: { purpose: 'MARKETING_PHONE', granted: true, method: 'PHONE', accountId: customer.id } },
      { token: support.accessToken },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.setConsent.record).toMatchObject({ method: 'PHONE', recordedBy: { id: support.id } });
    const mine = await server.gql(MY_CONSENTS, {}, { token: customer.accessToken });
    const phone = mine.data.me.consents.find((s: { purpose: { code: string } }) => s.purpose.code === 'MARKETING_PHONE');
    expect(phone.granted).toBe(true);
    expect(mine.data.me.consentHistory.edges[0].node).toMatchObject({ method: 'PHONE', recordedBy: { id: support.id } });
  });

  it('staff must say how the choice arrived', async () => {
    const customer = await signUp(server);
    const support = await signUpStaff(server, ['SUPPORT']);
    for (const method of ['API', 'WEB_FORM', undefined]) {
      const r = await server.gql(
        SET_CONSENT,
        { input: { purpose: 'MARKETING_EMAIL', granted: true, method: method ?? null, accountId: customer.id } },
        { token: support.accessToken },
      );
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.method' });
    }
  });

  it('customers and other staff roles may not act for another account; an unknown account is NOT_FOUND', async () => {
    const customer = await signUp(server);
    const input = { purpose: 'MARKETING_EMAIL', granted: true, method: 'EMAIL', accountId: customer.id };
    for (const viewer of [await signUp(server), await signUpStaff(server, ['MARKETING']), await signUpStaff(server, ['DPO'])]) {
      const r = await server.gql(SET_CONSENT, { input }, { token: viewer.accessToken });
      expect(errorCodes(r)).toEqual(['FORBIDDEN']);
    }
    const support = await signUpStaff(server, ['SUPPORT']);
    const missing = await server.gql(
      SET_CONSENT,
      { input: { ...input, accountId: 'QWNjb3VudDpub3BlCg==' } },
      { token: support.accessToken },
    );
    expect(errorCodes(missing)).toEqual(['NOT_FOUND']);
  });

  it('another customer cannot read a consent record', async () => {
    const customer = await signUp(server);
    const r = await server.gql(SET_CONSENT, { input: { purpose: 'MARKETING_EMAIL', granted: true } }, { token: customer.accessToken });
    const other = await signUp(server);
    const q = await server.gql(
      `query($id: ID!) { node(id: $id) { id ... on ConsentRecord { granted } } }`,
      { id: r.data.setConsent.record.id },
      { token: other.accessToken },
    );
    expect(errorCodes(q)).toEqual(['NOT_FOUND']);
  });
});

describe('consent receipts', () => {
  it('are compact JWS verifiable with the public JWKS, naming subject, purpose, choice, method, policy version, time and record', async () => {
    const customer = await signUp(server);
    const r = await server.gql(
      SET_CONSENT,
      { input: { purpose: 'MARKETING_EMAIL', granted: true, method: 'MOBILE_APP' } },
      { token: customer.accessToken },
    );
    const record = r.data.setConsent.record;
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(record.receipt, jwks);
    expect(protectedHeader.kid).toBeTruthy();
    expect(payload).toMatchObject({
      sub: rawId(customer.id),
      rid: rawId(record.id),
      purpose: 'MARKETING_EMAIL',
      granted: true,
      method: 'MOBILE_APP',
      policyVersion: PRIVACY_POLICY_VERSION,
      recordedAt: record.recordedAt,
      typ: 'consent-receipt',
    });
  });

  it('a receipt whose payload was altered does not verify', async () => {
    const customer = await signUp(server);
    const r = await server.gql(SET_CONSENT, { input: { purpose: 'MARKETING_EMAIL', granted: false } }, { token: customer.accessToken });
    const [header, payload, signature] = r.data.setConsent.record.receipt.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = [header, Buffer.from(JSON.stringify({ ...claims, granted: true })).toString('base64url'), signature].join('.');
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    await expect(jwtVerify(forged, jwks)).rejects.toThrow();
  });
});

describe('append-only in the database', () => {
  it('refuses UPDATE and DELETE of a consent record', async () => {
    const customer = await signUp(server);
    const { prisma } = server.app.services;
    const record = await prisma.consentRecord.findFirstOrThrow({ where: { accountId: rawId(customer.id) } });
    await expect(prisma.consentRecord.update({ where: { id: record.id }, data: { granted: false } })).rejects.toThrow();
    await expect(prisma.consentRecord.deleteMany({ where: { accountId: record.accountId } })).rejects.toThrow();
    expect(await prisma.consentRecord.findUniqueOrThrow({ where: { id: record.id } })).toEqual(record);
  });

  it('lets the records go with the whole account, and keeps them when the staff member who entered one leaves', async () => {
    const customer = await signUp(server);
    const support = await signUpStaff(server, ['SUPPORT']);
    const r = await server.gql(
      SET_CONSENT,
      { input: { purpose: 'MARKETING_POST', granted: true, method: 'IN_PERSON', accountId: customer.id } },
      { token: support.accessToken },
    );
    const { prisma } = server.app.services;
    const recordId = rawId(r.data.setConsent.record.id);
    await prisma.account.delete({ where: { id: rawId(support.id) } });
    const kept = await prisma.consentRecord.findUniqueOrThrow({ where: { id: recordId } });
    expect(kept).toMatchObject({ recordedById: null, granted: true, receipt: r.data.setConsent.record.receipt });

    await prisma.account.delete({ where: { id: rawId(customer.id) } });
    expect(await prisma.consentRecord.count({ where: { accountId: rawId(customer.id) } })).toBe(0);
  });
});
