import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { errorCodes, signUp, signUpStaff, startTestServer, type SignedIn, type TestServer } from '../../test/helpers/server';
import { runRetention } from './run';
import { readRetentionConfig } from './rules-config';
import { loadConfig } from '../../api/config';
import { createDevice, grant, recordPoint, sleep, subscribe, wsClient } from '../../test/helpers/sharing-fixtures';

let server: TestServer;
let dpo: SignedIn;
const rawId = (g: string) => decodeGlobalID(g).id;
const db = () => server.app.services.prisma;
const DAY = 86400_000;

beforeAll(async () => {
  server = await startTestServer({ plugins: ['audit', 'retention', 'rights'], env: { RETENTION_LOCATION_POINTS: 'P30D' } });
  dpo = await signUpStaff(server, ['DPO']);
});
afterAll(() => server?.stop());

/** A device with `old` points older than 30 days and `recent` new ones. */
async function deviceWithPoints(owner: SignedIn, old: number, recent: number) {
  const device = await db().device.create({ data: { ownerId: rawId(owner.id), name: 'Tracker', kind: 'TRACKER' } });
  const at = (i: number, ageDays: number) => new Date(Date.now() - ageDays * DAY - i * 1000);
  await db().locationPoint.createMany({
    data: [
      ...Array.from({ length: old }, (_, i) => ({
        deviceId: device.id,
        clientId: `o${i}`,
        recordedAt: at(i, 40),
        latitude: 56.9,
        longitude: 24.1,
      })),
      ...Array.from({ length: recent }, (_, i) => ({
        deviceId: device.id,
        clientId: `r${i}`,
        recordedAt: at(i, 1),
        latitude: 56.9,
        longitude: 24.1,
      })),
    ],
  });
  return device;
}

const RUN = `mutation($d: Boolean) { runRetention(dryRun: $d) { id dryRun startedAt finishedAt results { dataCategory deleted held } } }`;
const HOLD = `mutation($i: PlaceLegalHoldInput!) { placeLegalHold(input: $i) { id reason account { id } releasedAt } }`;
const RELEASE = `mutation($id: ID!) { releaseLegalHold(id: $id) { id releasedAt } }`;
const RUN_WITH_REASONS = `mutation($d: Boolean) { runRetention(dryRun: $d) { results { dataCategory deleted held heldReasons { reason count } } } }`;
const result = (run: any, category: string) => run.results.find((r: any) => r.dataCategory === category);

/** Deletes everything eligible left over from earlier tests, so counts below are exact. */
async function settle() {
  await runRetention(server.app.services, { dryRun: false });
}

describe('retention rules', () => {
  it('are public, one per data category, with periods from the environment', async () => {
    const r = await server.gql(`{ retentionRules { dataCategory period description(locale: EN) } }`);
    expect(r.errors).toBeUndefined();
    const rules = Object.fromEntries(r.data.retentionRules.map((x: any) => [x.dataCategory, x.period]));
    expect(rules).toEqual({
      LOCATION_POINTS: 'P30D',
      INACTIVE_ACCOUNTS: 'P6M',
      REMOVED_DEVICES: 'P0D',
      EXPIRED_SHARING: 'P30D',
      COOKIE_CONSENTS: 'P13M',
      EXPIRED_SESSIONS: 'P7D',
      DATA_EXPORTS: 'P30D',
      ACCOUNT_TOKENS: 'P1D',
      DISCLOSURES: 'P5Y',
      AUDIT_LOG: 'P5Y',
    });
    expect(r.data.retentionRules[0].description).toMatch(/Location points/);
  });

  it('refuse a bad period with a clear message', () => {
    expect(() => loadConfig({ RETENTION_LOCATION_POINTS: '90 days' })).toThrow(/RETENTION_LOCATION_POINTS must be an ISO-8601 duration/);
    expect(() => readRetentionConfig(loadConfig({ RETENTION_INTERVAL: 'hourly' }))).toThrow(/RETENTION_INTERVAL/);
  });
});

describe('runRetention', () => {
  it('is for DPO and ADMIN only', async () => {
    const user = await signUp(server);
    const support = await signUpStaff(server, ['SUPPORT']);
    expect(errorCodes(await server.gql(RUN, { d: true }, { token: user.accessToken }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.gql(RUN, { d: true }, { token: support.accessToken }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.gql(RUN, { d: true }))).toEqual(['UNAUTHENTICATED']);
  });

  it('dry run counts without deleting; a real run deletes old points and records the run', async () => {
    await settle();
    const owner = await signUp(server);
    const device = await deviceWithPoints(owner, 7, 3);
    const dry = await server.gql(RUN, { d: true }, { token: dpo.accessToken });
    expect(dry.errors).toBeUndefined();
    expect(dry.data.runRetention.dryRun).toBe(true);
    expect(result(dry.data.runRetention, 'LOCATION_POINTS')).toEqual({ dataCategory: 'LOCATION_POINTS', deleted: 7, held: 0 });
    expect(await db().locationPoint.count({ where: { deviceId: device.id } })).toBe(10);

    const real = await server.gql(RUN, { d: false }, { token: dpo.accessToken });
    expect(result(real.data.runRetention, 'LOCATION_POINTS').deleted).toBe(7);
    expect(real.data.runRetention.finishedAt).toBeTruthy();
    expect(await db().locationPoint.count({ where: { deviceId: device.id } })).toBe(3);

    const runs = await server.gql(`{ retentionRuns(first: 2) { edges { node { id dryRun } } } }`, {}, { token: dpo.accessToken });
    expect(runs.data.retentionRuns.edges.map((e: any) => e.node.id)).toEqual([real.data.runRetention.id, dry.data.runRetention.id]);
    const audited = await db().auditEvent.count({
      where: { action: 'retention.purged', details: { path: ['runId'], equals: rawId(real.data.runRetention.id) } },
    });
    expect(audited).toBeGreaterThan(0);
  });

  it('skips the data of an account under a legal hold and counts it as held, until the hold is released', async () => {
    await settle();
    const owner = await signUp(server);
    const device = await deviceWithPoints(owner, 4, 1);
    const hold = await server.gql(
      HOLD,
      { i: { accountId: owner.id, reason: 'Pending court case about a stolen car' } },
      { token: dpo.accessToken },
    );
    expect(hold.errors).toBeUndefined();

    const run = await server.gql(RUN, { d: false }, { token: dpo.accessToken });
    expect(result(run.data.runRetention, 'LOCATION_POINTS')).toMatchObject({ deleted: 0, held: 4 });
    expect(await db().locationPoint.count({ where: { deviceId: device.id } })).toBe(5);

    // Erasure is refused while the hold lasts.
    const del = await server.gql(
      `mutation($p: String!) { deleteMyAccount(password: $p) }`,
      { p: owner.password },
      { token: owner.accessToken },
    );
    expect(errorCodes(del)).toEqual(['CONFLICT']);

    await server.gql(RELEASE, { id: hold.data.placeLegalHold.id }, { token: dpo.accessToken });
    const after = await server.gql(RUN, { d: false }, { token: dpo.accessToken });
    expect(result(after.data.runRetention, 'LOCATION_POINTS')).toMatchObject({ deleted: 4, held: 0 });
  });

  it('deletes in bounded batches; an interrupted run is resumed by the next one', async () => {
    await settle();
    const owner = await signUp(server);
    const device = await deviceWithPoints(owner, 25, 2);
    const first = await runRetention(server.app.services, { dryRun: false, batchSize: 4, maxBatches: 3 });
    expect(first.finishedAt).toBeNull();
    const partial = (first.results as any[]).find((r) => r.dataCategory === 'LOCATION_POINTS');
    expect(partial.deleted).toBe(12);
    expect(await db().locationPoint.count({ where: { deviceId: device.id } })).toBe(27 - 12);

    const second = await runRetention(server.app.services, { dryRun: false, batchSize: 4 });
    expect(second.id).toBe(first.id);
    expect(second.finishedAt).not.toBeNull();
    expect((second.results as any[]).find((r) => r.dataCategory === 'LOCATION_POINTS').deleted).toBe(25);
    expect(await db().locationPoint.count({ where: { deviceId: device.id } })).toBe(2);
  });

  it('deletes expired sessions, grants, links and cookie consents after their periods', async () => {
    await settle();
    const owner = await signUp(server);
    const friend = await signUp(server);
    const ownerId = rawId(owner.id);
    const device = await deviceWithPoints(owner, 0, 1);
    const longAgo = new Date(Date.now() - 60 * DAY);
    await db().sharingGrant.create({
      data: { deviceId: device.id, ownerId, granteeId: rawId(friend.id), inviteeEmail: friend.email, scope: 'LIVE', expiresAt: longAgo },
    });
    await db().sharingGrant.create({
      data: { deviceId: device.id, ownerId, granteeId: rawId(friend.id), inviteeEmail: friend.email, scope: 'LIVE' },
    });
    await db().shareLink.create({ data: { deviceId: device.id, ownerId, tokenHash: `old-${ownerId}`, expiresAt: longAgo } });
    await db().session.create({ data: { accountId: ownerId, expiresAt: longAgo } });
    await db().cookieConsent.create({
      data: {
        visitorId: 'v-old',
        policyVersion: '1',
        choices: {},
        receipt: 'r',
        recordedAt: new Date(Date.now() - 400 * DAY),
        expiresAt: new Date(Date.now() - 35 * DAY),
      },
    });
    const run = await runRetention(server.app.services, { dryRun: false });
    const r = (c: string) => (run.results as any[]).find((x) => x.dataCategory === c);
    expect(r('EXPIRED_SHARING').deleted).toBe(2);
    expect(r('EXPIRED_SESSIONS').deleted).toBe(1);
    expect(r('COOKIE_CONSENTS').deleted).toBe(1);
    expect(await db().sharingGrant.count({ where: { ownerId } })).toBe(1);
    expect(await db().session.count({ where: { accountId: ownerId } })).toBe(1); // the live sign-in session stays
  });

  it('deletes data exports after their period; the next copy still counts as a further copy (not free)', async () => {
    await settle();
    const owner = await signUp(server);
    const EXPORT = `{ exportMyData(format: CSV) { id free } }`;
    const first = await server.gql(EXPORT, {}, { token: owner.accessToken });
    expect(first.data.exportMyData.free).toBe(true);
    await db().dataExport.updateMany({ where: { accountId: rawId(owner.id) }, data: { createdAt: new Date(Date.now() - 31 * DAY) } });
    const run = await runRetention(server.app.services, { dryRun: false });
    expect((run.results as any[]).find((x) => x.dataCategory === 'DATA_EXPORTS').deleted).toBe(1);
    expect(await db().dataExport.count({ where: { accountId: rawId(owner.id) } })).toBe(0);
    const second = await server.gql(EXPORT, {}, { token: owner.accessToken });
    expect(second.data.exportMyData.free).toBe(false);
  });

  it('purges the oldest audit events and the chain still verifies', async () => {
    const other = await startTestServer({ plugins: ['audit', 'retention'], env: { RETENTION_AUDIT_LOG: 'PT1S' } });
    try {
      const staff = await signUpStaff(other, ['DPO']);
      const user = await signUp(other);
      await other.gql(
        `mutation($a: ID!) { openAccessCase(accountId: $a, reason: "An old access case") { id } }`,
        { a: user.id },
        { token: staff.accessToken },
      );
      await new Promise((r) => setTimeout(r, 1100));
      const before = await other.app.services.prisma.auditEvent.count();
      const run = await runRetention(other.app.services, { dryRun: false, batchSize: 1 });
      expect((run.results as any[]).find((x) => x.dataCategory === 'AUDIT_LOG').deleted).toBe(before);
      const check = await other.gql(`{ verifyAuditChain { valid checkedEvents } }`, {}, { token: staff.accessToken });
      expect(check.data.verifyAuditChain.valid).toBe(true);
      expect(check.data.verifyAuditChain.checkedEvents).toBeGreaterThan(0); // the run's own events
    } finally {
      await other.stop();
    }
  });
});

describe('inactive accounts', () => {
  it('scheduledDeletionAt is six months after lastActiveAt, and authenticated activity moves it', async () => {
    const user = await signUp(server);
    const row = await db().account.findUniqueOrThrow({ where: { id: rawId(user.id) } });
    const expected = new Date(row.lastActiveAt);
    expected.setUTCMonth(expected.getUTCMonth() + 6);
    expect(Math.abs(row.scheduledDeletionAt!.getTime() - expected.getTime())).toBeLessThan(5000);

    const stale = new Date(Date.now() - 200 * DAY);
    await db().account.update({
      where: { id: row.id },
      data: { lastActiveAt: stale, scheduledDeletionAt: new Date(Date.now() - 17 * DAY) },
    });
    const me = await server.gql(`{ me { lastActiveAt scheduledDeletionAt } }`, {}, { token: user.accessToken });
    expect(new Date(me.data.me.scheduledDeletionAt).getTime()).toBeGreaterThan(Date.now() + 170 * DAY);

    const run = await runRetention(server.app.services, { dryRun: false });
    expect(await db().account.findUnique({ where: { id: row.id } })).not.toBeNull();
    expect((run.results as any[]).find((x) => x.dataCategory === 'INACTIVE_ACCOUNTS').deleted).toBe(0);
  });

  it('an account past its date is deleted with everything it owns; a held one is skipped', async () => {
    await settle();
    const gone = await signUp(server);
    const kept = await signUp(server);
    const device = await deviceWithPoints(gone, 1, 2);
    const stale = { lastActiveAt: new Date(Date.now() - 200 * DAY), scheduledDeletionAt: new Date(Date.now() - 17 * DAY) };
    await db().account.update({ where: { id: rawId(gone.id) }, data: stale });
    await db().account.update({ where: { id: rawId(kept.id) }, data: stale });
    await server.gql(HOLD, { i: { accountId: kept.id, reason: 'Unpaid invoices under dispute' } }, { token: dpo.accessToken });

    const dry = await runRetention(server.app.services, { dryRun: true });
    expect((dry.results as any[]).find((x) => x.dataCategory === 'INACTIVE_ACCOUNTS')).toMatchObject({ deleted: 1, held: 1 });
    expect(await db().account.count({ where: { id: rawId(gone.id) } })).toBe(1);

    const run = await runRetention(server.app.services, { dryRun: false });
    expect((run.results as any[]).find((x) => x.dataCategory === 'INACTIVE_ACCOUNTS')).toMatchObject({ deleted: 1, held: 1 });
    expect(await db().account.findUnique({ where: { id: rawId(gone.id) } })).toBeNull();
    expect(await db().device.findUnique({ where: { id: device.id } })).toBeNull();
    expect(await db().locationPoint.count({ where: { deviceId: device.id } })).toBe(0);
    expect(await db().account.findUnique({ where: { id: rawId(kept.id) } })).not.toBeNull();
    const erased = await db().auditEvent.findFirst({ where: { subjectAccountId: rawId(gone.id), action: 'account.erased' } });
    expect(erased?.details).toEqual({ reason: 'inactivity' });

    const login = await server.gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, {
      i: { email: gone.email, password: gone.password },
    });
    expect(errorCodes(login)).toEqual(['UNAUTHENTICATED']);
  });

  it("erasing an inactive owner ends a grantee's open live stream at once, as any erasure does", async () => {
    await settle();
    const owner = await signUp(server);
    const friend = await signUp(server);
    const device = await createDevice(server, owner);
    await grant(server, owner, device, { granteeEmail: friend.email });
    const client = wsClient(server, friend.accessToken);
    const sub = subscribe(client, `subscription($ids: [ID!]) { locationUpdated(deviceIds: $ids) { id } }`, { ids: [device.id] });
    try {
      for (let lat = 56.9; sub.results.length === 0; lat += 0.001) {
        await recordPoint(server, device, new Date(), lat);
        await sleep(100);
      }
      const stale = { lastActiveAt: new Date(Date.now() - 200 * DAY), scheduledDeletionAt: new Date(Date.now() - 17 * DAY) };
      await db().account.update({ where: { id: rawId(owner.id) }, data: stale });
      await runRetention(server.app.services, { dryRun: false });
      expect(await db().account.findUnique({ where: { id: rawId(owner.id) } })).toBeNull();
      const erasedAt = Date.now();
      // No further point can arrive (the device is gone): only the erasure's wake-up can end the stream.
      await sub.ended(2000);
      expect(Date.now() - erasedAt).toBeLessThan(2000);
      expect(sub.completed).toBe(true);
    } finally {
      sub.dispose();
      await client.dispose();
    }
  });

  it('an inactive account with an open data-subject request survives a run with its exports, held as OPEN_REQUEST', async () => {
    await settle();
    const person = await signUp(server);
    const id = rawId(person.id);
    const exp = await server.gql(`{ exportMyData { id } }`, {}, { token: person.accessToken });
    expect(exp.errors).toBeUndefined();
    const req = await server.gql(
      `mutation { submitDataSubjectRequest(input: { kind: ACCESS }) { id status } }`,
      {},
      { token: person.accessToken },
    );
    expect(req.data.submitDataSubjectRequest.status).toBe('IN_PROGRESS');
    const old = new Date(Date.now() - 200 * DAY);
    await db().account.update({ where: { id }, data: { lastActiveAt: old, scheduledDeletionAt: new Date(Date.now() - 17 * DAY) } });
    await db().dataExport.updateMany({ where: { accountId: id }, data: { createdAt: old } });

    const run = await server.gql(RUN_WITH_REASONS, { d: false }, { token: dpo.accessToken });
    expect(run.errors).toBeUndefined();
    // (The legally held account of the test before is still there: held 2, one for each reason.)
    expect(result(run.data.runRetention, 'INACTIVE_ACCOUNTS')).toMatchObject({ deleted: 0, held: 2 });
    expect(result(run.data.runRetention, 'INACTIVE_ACCOUNTS').heldReasons).toEqual([
      { reason: 'LEGAL_HOLD', count: 1 },
      { reason: 'OPEN_REQUEST', count: 1 },
    ]);
    expect(result(run.data.runRetention, 'DATA_EXPORTS')).toMatchObject({
      deleted: 0,
      held: 1,
      heldReasons: [{ reason: 'OPEN_REQUEST', count: 1 }],
    });
    expect(await db().account.count({ where: { id } })).toBe(1);
    expect(await db().dataExport.count({ where: { accountId: id } })).toBe(1);

    // Once the request is answered, nothing holds the account any more.
    const reject = await server.gql(
      `mutation($id: ID!) { rejectDataSubjectRequest(id: $id, reason: "Duplicate of an earlier request") { status } }`,
      {
        id: req.data.submitDataSubjectRequest.id,
      },
      { token: dpo.accessToken },
    );
    expect(reject.data.rejectDataSubjectRequest.status).toBe('REJECTED');
    const after = await server.gql(RUN_WITH_REASONS, { d: false }, { token: dpo.accessToken });
    expect(result(after.data.runRetention, 'INACTIVE_ACCOUNTS')).toMatchObject({
      deleted: 1,
      held: 1,
      heldReasons: [{ reason: 'LEGAL_HOLD', count: 1 }],
    });
    expect(await db().account.count({ where: { id } })).toBe(0);
  });

  it('mailed tokens are purged once used or expired for the period', async () => {
    const person = await signUp(server);
    const id = rawId(person.id);
    await db().accountToken.create({
      data: {
        accountId: id,
        purpose: 'RESET_PASSWORD',
        tokenHash: 'x'.repeat(64),
        email: person.email,
        expiresAt: new Date(Date.now() - 2 * DAY),
      },
    });
    await db().accountToken.create({
      data: {
        accountId: id,
        purpose: 'RESET_PASSWORD',
        tokenHash: 'y'.repeat(64),
        email: person.email,
        expiresAt: new Date(Date.now() + DAY),
      },
    });
    const run = await runRetention(server.app.services, { dryRun: false });
    expect((run.results as any[]).find((x) => x.dataCategory === 'ACCOUNT_TOKENS').deleted).toBeGreaterThanOrEqual(1);
    expect((await db().accountToken.findMany({ where: { accountId: id, purpose: 'RESET_PASSWORD' } })).map((t) => t.tokenHash)).toEqual([
      'y'.repeat(64),
    ]);
  });

  it('staff accounts are never purged for inactivity', async () => {
    const staff = await signUpStaff(server, ['SUPPORT']);
    await db().account.update({ where: { id: rawId(staff.id) }, data: { lastActiveAt: new Date(Date.now() - 400 * DAY) } });
    await runRetention(server.app.services, { dryRun: false });
    expect(await db().account.count({ where: { id: rawId(staff.id) } })).toBe(1);
  });
});
