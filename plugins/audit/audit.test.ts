import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, signUp, signUpStaff, startTestServer, type SignedIn, type TestServer } from '../../test/helpers/server';

let server: TestServer;
let customer: SignedIn;
let support: SignedIn;
let dpo: SignedIn;

beforeAll(async () => {
  server = await startTestServer({ plugins: ['audit', 'marketing'] });
  customer = await signUp(server, { givenName: 'Anna', familyName: 'Bērziņa' });
  support = await signUpStaff(server, ['SUPPORT']);
  dpo = await signUpStaff(server, ['DPO']);
  const r = await server.gql(
    `mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { id } }`,
    {
      i: { personalCode: '32123456789', iban: 'LV80BANK0000435195001' },
    },
    { token: customer.accessToken },
  );
  expect(r.errors).toBeUndefined();
});
afterAll(() => server?.stop());

const ACCOUNT = `query($id: ID!) { account(id: $id) { id email personalCode } }`;
const OPEN = `mutation($a: ID!, $r: String!, $m: Int) { openAccessCase(accountId: $a, reason: $r, minutes: $m) { id reason expiresAt staff { displayName } account { id } } }`;
const CLOSE = `mutation($id: ID!) { closeAccessCase(id: $id) { id closedAt } }`;
const LOG = `{ myDataAccessLog(first: 50) { edges { node { action at actorKind actor { displayName } accessCase { reason } } } } }`;
const VERIFY = `{ verifyAuditChain { valid checkedEvents firstBrokenEventId } }`;

async function openCase(staff: SignedIn, accountId: string, reason = 'Customer called about a lost tracker', minutes?: number) {
  const r = await server.gql(OPEN, { a: accountId, r: reason, m: minutes }, { token: staff.accessToken });
  expect(r.errors).toBeUndefined();
  return r.data.openAccessCase as { id: string; expiresAt: string };
}

describe('staff access to customer data', () => {
  it('is FORBIDDEN without an open access case, for every staff role including DPO', async () => {
    for (const staff of [support, dpo]) {
      const r = await server.gql(ACCOUNT, { id: customer.id }, { token: staff.accessToken });
      expect(errorCodes(r)).toEqual(['FORBIDDEN']);
      expect(r.data?.account ?? null).toBeNull();
    }
  });

  it('is FORBIDDEN for customers and NOT_FOUND for an unknown account', async () => {
    const other = await signUp(server);
    expect(errorCodes(await server.gql(ACCOUNT, { id: customer.id }, { token: other.accessToken }))).toEqual(['FORBIDDEN']);
    const unknown = Buffer.from('Account:00000000-0000-7000-8000-000000000000').toString('base64');
    expect(errorCodes(await server.gql(ACCOUNT, { id: unknown }, { token: support.accessToken }))).toEqual(['NOT_FOUND']);
  });

  it('works while a case is open, masks by default, and is audited with the case', async () => {
    const c = await openCase(support, customer.id);
    const r = await server.gql(ACCOUNT, { id: customer.id }, { token: support.accessToken });
    expect(r.errors).toBeUndefined();
    expect(r.data.account).toMatchObject({ id: customer.id, email: customer.email, personalCode: '32*********' });

    const log = await server.gql(LOG, {}, { token: customer.accessToken });
    const reads = log.data.myDataAccessLog.edges.map((e: any) => e.node).filter((n: any) => n.action === 'account.read');
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({
      actorKind: 'STAFF',
      actor: { displayName: 'Test User' },
      accessCase: { reason: 'Customer called about a lost tracker' },
    });

    const closed = await server.gql(CLOSE, { id: c.id }, { token: support.accessToken });
    expect(closed.data.closeAccessCase.closedAt).toBeTruthy();
    expect(errorCodes(await server.gql(ACCOUNT, { id: customer.id }, { token: support.accessToken }))).toEqual(['FORBIDDEN']);
  });

  it('ends when the case expires', async () => {
    const c = await openCase(support, customer.id, 'Checking a billing question', 1);
    await server.app.services.prisma.accessCase.update({
      where: { id: Buffer.from(c.id, 'base64').toString().split(':')[1] },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(errorCodes(await server.gql(ACCOUNT, { id: customer.id }, { token: support.accessToken }))).toEqual(['FORBIDDEN']);
  });

  it('needs a reason', async () => {
    const r = await server.gql(OPEN, { a: customer.id, r: '  ' }, { token: support.accessToken });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
  });

  it('lets staff unmask the personal code and IBAN only with an open case, and audits the unmasking', async () => {
    const UNMASK = `query($id: ID!) { account(id: $id) { personalCode(unmasked: true) iban(unmasked: true) } }`;
    expect(errorCodes(await server.gql(UNMASK, { id: customer.id }, { token: dpo.accessToken }))).toContain('FORBIDDEN');
    const c = await openCase(dpo, customer.id, 'Verifying identity for an erasure request');
    const r = await server.gql(UNMASK, { id: customer.id }, { token: dpo.accessToken });
    expect(r.errors).toBeUndefined();
    expect(r.data.account).toEqual({ personalCode: '321234-56789', iban: 'LV80BANK0000435195001' });
    const events = await server.app.services.prisma.auditEvent.findMany({
      where: { accessCaseId: Buffer.from(c.id, 'base64').toString().split(':')[1] },
    });
    expect(events.map((e) => e.action).sort()).toEqual([
      'accessCase.opened',
      'account.iban.unmasked',
      'account.personalCode.unmasked',
      'account.read',
    ]);
  });

  it('lets the owner unmask their own data without a case', async () => {
    const r = await server.gql(`{ me { personalCode(unmasked: true) iban } }`, {}, { token: customer.accessToken });
    expect(r.data.me).toEqual({ personalCode: '321234-56789', iban: `LV${'*'.repeat(19)}` });
  });
});

describe('audit log', () => {
  it('is readable by the DPO only', async () => {
    expect(errorCodes(await server.gql(VERIFY, {}, { token: support.accessToken }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.gql(`{ auditLog(first: 1) { edges { node { id } } } }`, {}, { token: customer.accessToken }))).toEqual([
      'FORBIDDEN',
    ]);
    const r = await server.gql(
      `query($a: ID) { auditLog(accountId: $a, first: 100) { edges { node { action subjectAccountId hash previousHash } } } }`,
      { a: customer.id },
      { token: dpo.accessToken },
    );
    expect(r.errors).toBeUndefined();
    const nodes = r.data.auditLog.edges.map((e: any) => e.node);
    expect(nodes.length).toBeGreaterThan(3);
    expect(nodes.every((n: any) => n.subjectAccountId === customer.id && /^[0-9a-f]{64}$/.test(n.hash))).toBe(true);
  });

  it('refuses UPDATE and DELETE in the database (append-only trigger)', async () => {
    const db = server.app.services.prisma;
    await expect(db.$executeRawUnsafe(`UPDATE "AuditEvent" SET "action" = 'x'`)).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
  });

  it('verifies the chain, and detects an event edited directly in the database', async () => {
    const before = await server.gql(VERIFY, {}, { token: dpo.accessToken });
    expect(before.data.verifyAuditChain).toMatchObject({ valid: true, firstBrokenEventId: null });
    expect(before.data.verifyAuditChain.checkedEvents).toBeGreaterThan(3);

    const db = server.app.services.prisma;
    const victim = (await db.auditEvent.findMany({ orderBy: { seq: 'asc' } }))[2];
    await db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"`);
    await db.$executeRawUnsafe(`UPDATE "AuditEvent" SET "action" = 'nothing.happened' WHERE "id" = $1`, victim.id);
    await db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only"`);

    const after = await server.gql(VERIFY, {}, { token: dpo.accessToken });
    expect(after.data.verifyAuditChain).toMatchObject({
      valid: false,
      checkedEvents: 3,
      firstBrokenEventId: Buffer.from(`AuditEvent:${victim.id}`).toString('base64'),
    });
  });
});

describe('consent and marketing changes', () => {
  it('are audit events written with the change', async () => {
    const user = await signUp(server);
    const r = await server.gql(
      `mutation { optOutOfMarketing(input: { scope: ALL }) { similarProducts } }`,
      {},
      { token: user.accessToken },
    );
    expect(r.errors).toBeUndefined();
    const events = await server.app.services.prisma.auditEvent.findMany({
      where: { subjectAccountId: Buffer.from(user.id, 'base64').toString().split(':')[1] },
    });
    const actions = events.map((e) => e.action);
    expect(actions).toContain('consent.changed'); // the privacy policy accepted at registration
    expect(actions).toContain('marketing.optedOut');
  });
});

describe('audit chain with deletions and concurrency', () => {
  let other: TestServer;
  beforeAll(async () => {
    other = await startTestServer({ plugins: ['audit'] });
  });
  afterAll(() => other?.stop());

  it('stays one unbroken chain under concurrent writers', async () => {
    const staff = await signUpStaff(other, ['SUPPORT']);
    const people = await Promise.all([1, 2, 3, 4].map(() => signUp(other)));
    await Promise.all(people.map((p) => other.gql(OPEN, { a: p.id, r: 'Concurrent case opening' }, { token: staff.accessToken })));
    const dpoUser = await signUpStaff(other, ['DPO']);
    const r = await other.gql(VERIFY, {}, { token: dpoUser.accessToken });
    expect(r.data.verifyAuditChain.valid).toBe(true);
  });

  it('detects a deleted event', async () => {
    const db = other.app.services.prisma;
    const dpoUser = await signUpStaff(other, ['DPO']);
    const events = await db.auditEvent.findMany({ orderBy: { seq: 'asc' } });
    await db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"`);
    await db.$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE "id" = $1`, events[1].id);
    await db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only"`);
    const r = await other.gql(VERIFY, {}, { token: dpoUser.accessToken });
    expect(r.data.verifyAuditChain).toMatchObject({
      valid: false,
      firstBrokenEventId: Buffer.from(`AuditEvent:${events[2].id}`).toString('base64'),
    });
  });
});
