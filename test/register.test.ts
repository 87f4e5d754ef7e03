/**
 * The register of processing (GDPR art. 13 and 30) is complete and true:
 * every stored field is declared (personal-data map of core and plugins),
 * every stored personal-data category is declared by a purpose and every
 * declared category is stored somewhere; the policy's purposes and legitimate
 * interests are all there; retention texts come from the configured rules.
 * Adding a model or a purpose in a plugin: declare `personalData` and
 * `purposes` in its definePlugin and this test tells you what is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDatamodel } from '../generated/pothos-prisma-types';
import { corePersonalData, mergePersonalData } from '../api/consent/personal-data';
import { checkPurposes, HAND_WRITTEN_PERIOD, type ProcessingPurposeDefinition } from '../api/consent/purposes';
import { corePurposes } from '../api/consent/core-purposes';
import { loadPlugins } from '../server/plugin-loader';
import { startTestServer, type TestServer } from './helpers/server';

const plugins = await loadPlugins(null);
const purposes: ProcessingPurposeDefinition[] = [...corePurposes, ...plugins.flatMap((p) => p.purposes ?? [])];
const declared = mergePersonalData(corePersonalData, ...plugins.map((p) => p.personalData ?? {}));
const models = getDatamodel().datamodel.models as Record<string, { fields: readonly { name: string; kind: string }[] }>;

describe('the personal-data map', () => {
  it('declares every stored field of every model, and nothing that is not stored', () => {
    const undeclared: string[] = [];
    const unknown: string[] = [];
    for (const [model, { fields }] of Object.entries(models)) {
      const stored = fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum').map((f) => f.name);
      for (const f of stored) if (!declared.get(model)?.has(f)) undeclared.push(`${model}.${f}`);
      for (const f of declared.get(model)?.keys() ?? []) if (!stored.includes(f)) unknown.push(`${model}.${f}`);
    }
    for (const model of declared.keys()) if (!models[model]) unknown.push(model);
    expect(undeclared, 'fields with no personal-data declaration (core: api/consent/personal-data.ts, plugins: personalData)').toEqual([]);
    expect(unknown, 'declared but not in the Prisma schema').toEqual([]);
  });

  it('every stored personal-data category is declared by a purpose, and every declared category is stored', () => {
    const stored = new Set([...declared.values()].flatMap((fields) => [...fields.values()].flat()));
    const byPurposes = new Set(purposes.flatMap((p) => p.dataCategories));
    expect([...stored].filter((c) => !byPurposes.has(c)).sort(), 'stored, but declared by no purpose').toEqual([]);
    expect([...byPurposes].filter((c) => !stored.has(c)).sort(), 'declared by a purpose, but stored nowhere').toEqual([]);
  });

  it('the IBAN is declared, under payment administration', () => {
    expect(declared.get('Account')?.get('ibanEnc')).toEqual(['bank account']);
    const payment = purposes.find((p) => p.code === 'PAYMENT_ADMINISTRATION');
    expect(payment?.dataCategories).toContain('bank account');
    expect(payment?.recipientCategories).toContain('BANK_PAYMENT_PROVIDER');
  });

  it('a field with no declaration or a category with no purpose makes the check fail', () => {
    expect(() => mergePersonalData({ Account: { other: 'id' } }, { Account: { personal: { id: ['x'] } } })).toThrow(
      /Account.id is declared twice/,
    );
    expect(() => checkPurposes([...purposes, { ...purposes[0] }])).toThrow(/declared twice/);
    expect(() => checkPurposes([{ ...purposes[0], code: 'X', retentionCriteria: { LV: 'x', EN: 'Kept for 12 months' } }])).toThrow(
      /states a period/,
    );
  });
});

describe('the purposes of the privacy policy', () => {
  it('has one purpose for every purpose and legitimate interest the policy names (other plugins add billing and communication ones)', () => {
    const codes = purposes.map((p) => p.code);
    for (const code of [
      'ACCOUNT',
      'LOCATION_TRACKING',
      'LOCATION_SHARING',
      'SECURITY',
      'IDENTITY_VERIFICATION',
      'PAYMENT_ADMINISTRATION',
      'LOCATION_BASED_OFFERS',
      'CUSTOMER_ACQUISITION_RETENTION',
      'SEGMENTATION',
      'PRODUCT_DEVELOPMENT',
      'SERVICE_QUALITY',
      'CORPORATE_GOVERNANCE',
      'FRAUD_PREVENTION',
      'COMPLAINTS_AND_CLAIMS',
      'INFORMING_THE_PUBLIC',
      'CONSENT_RECORDS',
      'MARKETING_SIMILAR_PRODUCTS',
      'COOKIES',
      'DATA_SUBJECT_RIGHTS',
      'DISCLOSURES_TO_CONTROLLERS',
    ]) {
      expect(codes).toContain(code);
    }
  });

  it('writes no retention period by hand', () => {
    for (const p of purposes) for (const text of Object.values(p.retentionCriteria)) expect(text, p.code).not.toMatch(HAND_WRITTEN_PERIOD);
  });
});

describe('processingPurposes over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { RETENTION_COOKIE_CONSENTS: 'P14M' } });
  });
  afterAll(() => server?.stop());

  it('links every purpose to configured rules and generates the retention text from their periods', async () => {
    const r = await server.gql(`{
      retentionRules { dataCategory period }
      processingPurposes {
        code legalBasis recipientCategories retention lv: retention(locale: LV)
        retentionRules { dataCategory period }
        automatedDecision { exists logic significance basis }
      }
    }`);
    expect(r.errors).toBeUndefined();
    const rules = new Map(r.data.retentionRules.map((x: { dataCategory: string; period: string }) => [x.dataCategory, x.period]));
    const byCode = Object.fromEntries(r.data.processingPurposes.map((p: { code: string }) => [p.code, p]));
    for (const p of purposes) {
      const served = byCode[p.code];
      expect(
        served.retentionRules.map((x: { dataCategory: string }) => x.dataCategory),
        `${p.code}: a named rule is not configured`,
      ).toEqual(p.retentionRules);
      for (const rule of served.retentionRules) {
        expect(rule.period).toBe(rules.get(rule.dataCategory));
        expect(served.retention).toContain(`${rule.dataCategory} ${rule.period}`);
      }
    }
    expect(byCode.COOKIES.retention).toContain('COOKIE_CONSENTS P14M');
    expect(byCode.COOKIES.lv).toContain('Glabāšanas noteikumi: COOKIE_CONSENTS P14M');
    expect(byCode.LOCATION_TRACKING.retention).toContain('LOCATION_POINTS P90D');
    expect(byCode.DISCLOSURES_TO_CONTROLLERS).toMatchObject({
      legalBasis: 'LEGAL_OBLIGATION',
      recipientCategories: ['LAW_ENFORCEMENT', 'BANK_PAYMENT_PROVIDER', 'OTHER_LAWFUL_REQUESTER'],
      retentionRules: [{ dataCategory: 'DISCLOSURES', period: 'P5Y' }],
    });
    expect(byCode.ACCOUNT.automatedDecision).toMatchObject({ exists: true, basis: 'CONTRACT' });
    expect(byCode.ACCOUNT.automatedDecision.logic).toMatch(/INACTIVE_ACCOUNTS/);
    expect(byCode.SEGMENTATION.automatedDecision).toEqual({ exists: false, logic: null, significance: null, basis: null });
  });

  it('without the retention plugin a purpose shows its criteria and no rules', async () => {
    const core = await startTestServer({ plugins: [] });
    try {
      const r = await core.gql(`{ processingPurposes { code retention retentionRules { dataCategory } } }`);
      const account = r.data.processingPurposes.find((p: { code: string }) => p.code === 'ACCOUNT');
      expect(account.retentionRules).toEqual([]);
      expect(account.retention).toBe(corePurposes[0].retentionCriteria.EN);
    } finally {
      await core.stop();
    }
  });
});
