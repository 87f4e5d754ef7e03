/**
 * Issue 13 item 8, black-box over HTTP: MARKETING opens no access cases; a
 * SUPPORT case covers profile and devices only; location history and the
 * unmasked personal code or IBAN need a DPO's approveAccessCase; every read
 * stays in the audit chain and in the person's myDataAccessLog.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, signUp, signUpStaff, startTestServer, type SignedIn, type TestServer } from '../../test/helpers/server';
import { createDevice, recordPoint, type TestDevice } from '../../test/helpers/sharing-fixtures';

let server: TestServer;
let customer: SignedIn;
let support: SignedIn;
let marketing: SignedIn;
let dpo: SignedIn;
let device: TestDevice;

beforeAll(async () => {
  server = await startTestServer({ plugins: ['audit', 'marketing'] });
  customer = await signUp(server);
  support = await signUpStaff(server, ['SUPPORT']);
  marketing = await signUpStaff(server, ['MARKETING']);
  dpo = await signUpStaff(server, ['DPO']);
  const r = await server.gql(
    `mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { id } }`,
    {
      i: { personalCode: '32123456789', iban: 'LV80BANK0000435195001' },
    },
    { token: customer.accessToken },
  );
  expect(r.errors).toBeUndefined();
  device = await createDevice(server, customer, 'Child tracker');
  await recordPoint(server, device, new Date(Date.now() - 60_000));
});
afterAll(() => server?.stop());

const OPEN = `mutation($a: ID!, $r: String!) { openAccessCase(accountId: $a, reason: $r) { id scope approvedAt approvedBy { displayName } } }`;
const APPROVE = `mutation($id: ID!) { approveAccessCase(id: $id) { id scope approvedAt approvedBy { displayName } } }`;
const PROFILE = `query($id: ID!) { account(id: $id) { email personalCode devices(first: 10) { edges { node { id name } } } } }`;
const UNMASK = `query($id: ID!) { account(id: $id) { personalCode(unmasked: true) iban(unmasked: true) } }`;
const HISTORY = `query($id: ID!) { device(id: $id) { locations(first: 10) { edges { node { latitude } } } } }`;
const LOG = `{ myDataAccessLog(first: 100) { edges { node { action actorKind accessCase { reason scope } } } } }`;

describe('need-to-know access cases', () => {
  it('MARKETING cannot open an access case', async () => {
    const r = await server.gql(OPEN, { a: customer.id, r: 'Building a campaign audience' }, { token: marketing.accessToken });
    expect(errorCodes(r)).toEqual(['FORBIDDEN']);
    expect(await server.app.services.prisma.accessCase.count({ where: { staffId: { not: '' } } })).toBe(0);
    expect(errorCodes(await server.gql(PROFILE, { id: customer.id }, { token: marketing.accessToken }))).toEqual(['FORBIDDEN']);
  });

  it('a SUPPORT case covers profile and devices, but not location history or unmasked codes until a DPO approves it', async () => {
    const opened = await server.gql(OPEN, { a: customer.id, r: 'Customer called: tracker not showing up' }, { token: support.accessToken });
    expect(opened.errors).toBeUndefined();
    const c = opened.data.openAccessCase;
    expect(c).toMatchObject({ scope: 'PROFILE_AND_DEVICES', approvedAt: null, approvedBy: null });

    const profile = await server.gql(PROFILE, { id: customer.id }, { token: support.accessToken });
    expect(profile.errors).toBeUndefined();
    expect(profile.data.account).toMatchObject({
      email: customer.email,
      personalCode: '32*********',
      devices: { edges: [{ node: { id: device.id, name: 'Child tracker' } }] },
    });

    const history = await server.gql(HISTORY, { id: device.id }, { token: support.accessToken });
    expect(errorCodes(history)).toEqual(['FORBIDDEN']);
    expect(history.errors![0].message).toMatch(/approved by a DPO/);
    const unmasked = await server.gql(UNMASK, { id: customer.id }, { token: support.accessToken });
    expect(errorCodes(unmasked)).toContain('FORBIDDEN');
    expect(JSON.stringify(unmasked.data)).not.toContain('321234');

    // Neither SUPPORT nor the customer may approve.
    expect(errorCodes(await server.gql(APPROVE, { id: c.id }, { token: support.accessToken }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.gql(APPROVE, { id: c.id }, { token: customer.accessToken }))).toEqual(['FORBIDDEN']);

    const approved = await server.gql(APPROVE, { id: c.id }, { token: dpo.accessToken });
    expect(approved.errors).toBeUndefined();
    expect(approved.data.approveAccessCase).toMatchObject({ scope: 'FULL', approvedBy: { displayName: 'Test User' } });
    expect(errorCodes(await server.gql(APPROVE, { id: c.id }, { token: dpo.accessToken }))).toEqual(['CONFLICT']);

    const after = await server.gql(HISTORY, { id: device.id }, { token: support.accessToken });
    expect(after.errors).toBeUndefined();
    expect(after.data.device.locations.edges).toHaveLength(1);
    const clear = await server.gql(UNMASK, { id: customer.id }, { token: support.accessToken });
    expect(clear.errors).toBeUndefined();
    expect(clear.data.account).toEqual({ personalCode: '321234-56789', iban: 'LV80BANK0000435195001' });

    // Every read is in the person's access log, with the case, and the chain verifies.
    const log = await server.gql(LOG, {}, { token: customer.accessToken });
    const actions = log.data.myDataAccessLog.edges.map((e: any) => e.node.action);
    for (const a of [
      'accessCase.opened',
      'account.read',
      'accessCase.approved',
      'account.locations.read',
      'account.personalCode.unmasked',
      'account.iban.unmasked',
    ]) {
      expect(actions).toContain(a);
    }
    expect(log.data.myDataAccessLog.edges.every((e: any) => e.node.actorKind === 'STAFF')).toBe(true);
    const verify = await server.gql(`{ verifyAuditChain { valid } }`, {}, { token: dpo.accessToken });
    expect(verify.data.verifyAuditChain.valid).toBe(true);
  });

  it('a DPO case is FULL from the start; closed cases cannot be approved', async () => {
    const own = await server.gql(OPEN, { a: customer.id, r: 'Checking an erasure request' }, { token: dpo.accessToken });
    expect(own.data.openAccessCase.scope).toBe('FULL');
    const c = (await server.gql(OPEN, { a: customer.id, r: 'Second call about the tracker' }, { token: support.accessToken })).data
      .openAccessCase;
    await server.gql(`mutation($id: ID!) { closeAccessCase(id: $id) { id } }`, { id: c.id }, { token: support.accessToken });
    expect(errorCodes(await server.gql(APPROVE, { id: c.id }, { token: dpo.accessToken }))).toEqual(['CONFLICT']);
  });

  it('a case is not readable by other customers (scope and approval included)', async () => {
    const other = await signUp(server);
    const c = (await server.gql(OPEN, { a: customer.id, r: 'Third call about the tracker' }, { token: support.accessToken })).data
      .openAccessCase;
    const r = await server.gql(
      `query($id: ID!) { node(id: $id) { ... on AccessCase { scope approvedAt } } }`,
      { id: c.id },
      { token: other.accessToken },
    );
    expect(errorCodes(r)).toContain('FORBIDDEN');
  });
});
