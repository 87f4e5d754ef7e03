/**
 * Disclosures to other controllers: recorded by a DPO under an access case
 * (audited with it), listed for the DPO, shown to the person once no longer
 * confidential (myDisclosures and the JSON export), purged by their own rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, signUp, signUpStaff, startTestServer, type SignedIn, type TestServer } from '../../test/helpers/server';

let server: TestServer;
let dpo: SignedIn;
let support: SignedIn;
let person: SignedIn;
let other: SignedIn;
beforeAll(async () => {
  server = await startTestServer({ plugins: ['audit', 'rights', 'retention'] });
  [dpo, support, person, other] = await Promise.all([
    signUpStaff(server, ['DPO']),
    signUpStaff(server, ['SUPPORT']),
    signUp(server),
    signUp(server),
  ]);
});
afterAll(() => server?.stop());

const RECORD = /* GraphQL */ `
  mutation ($i: RecordDisclosureInput!) {
    recordDisclosure(input: $i) {
      id
      recipientCategory
      recipientName
      legalBasis
      requestReference
      dataCategories
      disclosedAt
      confidentialUntil
      accessCase {
        id
      }
    }
  }
`;
const OPEN = `mutation($a: ID!) { openAccessCase(accountId: $a, reason: "Police request no. 12/345", minutes: 30) { id } }`;
const MINE = `{ myDisclosures { id recipientName dataCategories confidentialUntil } }`;
const day = 24 * 3600 * 1000;
const input = (over: Record<string, unknown> = {}) => ({
  accountId: person.id,
  recipientCategory: 'LAW_ENFORCEMENT',
  recipientName: 'Valsts policija',
  legalBasis: 'Kriminālprocesa likums, 190. pants',
  requestReference: 'VP-2026/12345',
  dataCategories: ['name', 'location'],
  disclosedAt: new Date(Date.now() - day).toISOString(),
  ...over,
});

describe('recordDisclosure', () => {
  it('is for the DPO only', async () => {
    expect(errorCodes(await server.gql(RECORD, { i: input() }, { token: support.accessToken }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.gql(RECORD, { i: input() }, { token: person.accessToken }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.gql(RECORD, { i: input() }))).toEqual(['UNAUTHENTICATED']);
  });

  it('needs an open access case for the account', async () => {
    const r = await server.gql(RECORD, { i: input() }, { token: dpo.accessToken });
    expect(errorCodes(r)).toEqual(['FORBIDDEN']);
    expect(r.errors?.[0].message).toMatch(/access case/);
  });

  it('refuses bad input with the field named, and records nothing', async () => {
    await server.gql(OPEN, { a: person.id }, { token: dpo.accessToken });
    const processor = await server.gql(RECORD, { i: input({ recipientCategory: 'MARKETING_AGENCY' }) }, { token: dpo.accessToken });
    expect(processor.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.recipientCategory' });
    const future = await server.gql(
      RECORD,
      { i: input({ disclosedAt: new Date(Date.now() + day).toISOString() }) },
      { token: dpo.accessToken },
    );
    expect(future.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.disclosedAt' });
    const none = await server.gql(RECORD, { i: input({ dataCategories: [] }) }, { token: dpo.accessToken });
    expect(none.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.dataCategories' });
    const list = await server.gql(`query($a: ID!) { disclosures(accountId: $a) { id } }`, { a: person.id }, { token: dpo.accessToken });
    expect(list.data.disclosures).toEqual([]);
  });

  it('records it with the access case, in the audit log', async () => {
    const r = await server.gql(RECORD, { i: input() }, { token: dpo.accessToken });
    expect(r.errors).toBeUndefined();
    expect(r.data.recordDisclosure).toMatchObject({
      recipientCategory: 'LAW_ENFORCEMENT',
      recipientName: 'Valsts policija',
      dataCategories: ['name', 'location'],
    });
    expect(r.data.recordDisclosure.accessCase.id).toBeTruthy();
    const log = await server.gql(
      `query($a: ID!) { auditLog(accountId: $a, first: 10) { edges { node { action accessCase { id } } } } }`,
      { a: person.id },
      { token: dpo.accessToken },
    );
    const recorded = log.data.auditLog.edges
      .map((e: { node: { action: string; accessCase: { id: string } | null } }) => e.node)
      .find((n: { action: string }) => n.action === 'disclosure.recorded');
    expect(recorded.accessCase.id).toBe(r.data.recordDisclosure.accessCase.id);
  });
});

describe('who sees disclosures', () => {
  it('the DPO lists them per account; nobody else does', async () => {
    await server.gql(
      RECORD,
      {
        i: input({
          recipientName: 'Bank',
          recipientCategory: 'BANK_PAYMENT_PROVIDER',
          confidentialUntil: new Date(Date.now() + 30 * day).toISOString(),
        }),
      },
      { token: dpo.accessToken },
    );
    const list = await server.gql(
      `query($a: ID!) { disclosures(accountId: $a) { recipientName } }`,
      { a: person.id },
      { token: dpo.accessToken },
    );
    expect(list.data.disclosures.map((d: { recipientName: string }) => d.recipientName).sort()).toEqual(['Bank', 'Valsts policija']);
    expect(
      errorCodes(
        await server.gql(`query($a: ID!) { disclosures(accountId: $a) { id } }`, { a: person.id }, { token: support.accessToken }),
      ),
    ).toEqual(['FORBIDDEN']);
    expect(
      errorCodes(await server.gql(`query($a: ID!) { disclosures(accountId: $a) { id } }`, { a: person.id }, { token: person.accessToken })),
    ).toEqual(['FORBIDDEN']);
  });

  it('the person sees their own once confidentiality has passed, and not the access case; others see none', async () => {
    const mine = await server.gql(MINE, {}, { token: person.accessToken });
    expect(mine.errors).toBeUndefined();
    expect(mine.data.myDisclosures.map((d: { recipientName: string }) => d.recipientName)).toEqual(['Valsts policija']);
    const withCase = await server.gql(`{ myDisclosures { accessCase { id } } }`, {}, { token: person.accessToken });
    expect(errorCodes(withCase)).toContain('FORBIDDEN');
    expect((await server.gql(MINE, {}, { token: other.accessToken })).data.myDisclosures).toEqual([]);
    expect(errorCodes(await server.gql(MINE))).toEqual(['UNAUTHENTICATED']);
  });

  it('are in the JSON export, the confidential one left out', async () => {
    const r = await server.gql(`{ exportMyData(format: JSON) { content } }`, {}, { token: person.accessToken });
    expect(r.errors).toBeUndefined();
    const data = r.data.exportMyData.content;
    expect(data.disclosures.map((d: { recipientName: string }) => d.recipientName)).toEqual(['Valsts policija']);
  });
});

describe('retention', () => {
  it('has its own rule, DISCLOSURES, that purges old records', async () => {
    const rules = await server.gql(`{ retentionRules { dataCategory period } }`);
    expect(rules.data.retentionRules).toContainEqual({ dataCategory: 'DISCLOSURES', period: 'P5Y' });
    await server.gql(
      RECORD,
      { i: input({ recipientName: 'Old request', disclosedAt: new Date(Date.now() - 6 * 365 * day).toISOString() }) },
      { token: dpo.accessToken },
    );
    const run = await server.gql(
      `mutation { runRetention(dryRun: false) { results { dataCategory deleted } } }`,
      {},
      { token: dpo.accessToken },
    );
    expect(run.errors).toBeUndefined();
    expect(run.data.runRetention.results).toContainEqual({ dataCategory: 'DISCLOSURES', deleted: 1 });
    const list = await server.gql(
      `query($a: ID!) { disclosures(accountId: $a) { recipientName } }`,
      { a: person.id },
      { token: dpo.accessToken },
    );
    expect(list.data.disclosures.map((d: { recipientName: string }) => d.recipientName)).not.toContain('Old request');
  });
});
