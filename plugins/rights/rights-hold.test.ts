/**
 * Issue 13 item 9, black-box over HTTP and graphql-ws with a real SMTP server:
 * a RESTRICTED owner's location stops on grantees' HTTP and live channels and
 * on share links (saying why), liftRestriction (DPO) notifies the person
 * first, Account.restrictedAt, SCHEDULED_FOR_DELETION while an erasure is
 * scheduled, and rectification of the e-mail (through verification) and of
 * device identifiers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { errorCodes, signUp, signUpStaff, startTestServer, uniqueEmail, type SignedIn, type TestServer } from '../../test/helpers/server';
import { startTestSmtp, type TestSmtp } from '../../test/helpers/smtp';
import {
  createDevice,
  createLink,
  grant,
  recordPoint,
  sleep,
  subscribe,
  wsClient,
  SHARED_LOCATION,
  type TestDevice,
} from '../../test/helpers/sharing-fixtures';

let smtp: TestSmtp;
let server: TestServer;
let support: SignedIn;
let dpo: SignedIn;
const rawId = (g: string) => decodeGlobalID(g).id;

beforeAll(async () => {
  smtp = await startTestSmtp();
  server = await startTestServer({ plugins: ['audit', 'rights'], env: { SMTP_URL: smtp.url } });
  support = await signUpStaff(server, ['SUPPORT']);
  dpo = await signUpStaff(server, ['DPO']);
});
afterAll(async () => {
  await server?.stop();
  await smtp?.close();
});

const SUBMIT = `mutation($i: SubmitDataSubjectRequestInput!) { submitDataSubjectRequest(input: $i) { id status } }`;
const COMPLETE = `mutation($id: ID!, $r: RectificationInput) { completeDataSubjectRequest(id: $id, rectification: $r) { id status } }`;
const LIFT = `mutation($a: ID!, $r: String!) { liftRestriction(accountId: $a, reason: $r) }`;
const LIVE = `subscription($ids: [ID!]) { locationUpdated(deviceIds: $ids) { latitude } }`;
const SHARED_LIVE = `subscription($t: String!) { sharedLocationUpdated(token: $t) { latitude } }`;
const DEVICE = `query($id: ID!) { device(id: $id) { id lastLocation { latitude } } }`;

async function request(user: SignedIn, kind: string) {
  const r = await server.gql(SUBMIT, { i: { kind } }, { token: user.accessToken });
  expect(r.errors).toBeUndefined();
  return r.data.submitDataSubjectRequest.id as string;
}

async function complete(id: string, rectification?: Record<string, unknown>) {
  const r = await server.gql(COMPLETE, { id, r: rectification }, { token: support.accessToken });
  expect(r.errors).toBeUndefined();
  return r.data.completeDataSubjectRequest;
}

const errorsOf = (sub: { results: any[] }) => sub.results.flatMap((r) => r.errors ?? []);

describe('restriction of processing (GDPR art. 18)', () => {
  let owner: SignedIn;
  let friend: SignedIn;
  let device: TestDevice;
  let link: { token: string };

  beforeAll(async () => {
    owner = await signUp(server, { locale: 'EN' });
    friend = await signUp(server);
    device = await createDevice(server, owner, 'Restricted phone');
    await grant(server, owner, device, { granteeEmail: friend.email, scope: 'HISTORY' });
    await recordPoint(server, device, new Date(), 56.9);
    link = await createLink(server, owner, device);
  });

  it("stops the location on the grantee's HTTP and live channels and on share links, and says why", async () => {
    const before = await server.gql(DEVICE, { id: device.id }, { token: friend.accessToken });
    expect(before.data.device.lastLocation).toEqual({ latitude: 56.9 });
    expect((await server.gql(SHARED_LOCATION, { t: link.token })).errors).toBeUndefined();

    const friendWs = wsClient(server, friend.accessToken);
    const anonWs = wsClient(server);
    const live = subscribe(friendWs, LIVE, { ids: [device.id] });
    const shared = subscribe(anonWs, SHARED_LIVE, { t: link.token });
    await sleep(500);
    await recordPoint(server, device, new Date(), 56.91);
    await live.waitFor(1);
    await shared.waitFor(1);
    expect(live.results[0].data).toEqual({ locationUpdated: { latitude: 56.91 } });

    await complete(await request(owner, 'RESTRICTION'));
    const me = await server.gql(`{ me { status restrictedAt } }`, {}, { token: owner.accessToken });
    expect(me.data.me.status).toBe('RESTRICTED');
    expect(Date.parse(me.data.me.restrictedAt)).toBeGreaterThan(Date.now() - 60_000);

    // Open streams end at once with the reason.
    await live.ended();
    await shared.ended();
    for (const sub of [live, shared]) {
      const errors = errorsOf(sub);
      expect(errors.map((e: any) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(errors[0].message).toMatch(/restricted the processing/);
    }
    // HTTP: the device, its history, and the share link say why.
    const after = await server.gql(DEVICE, { id: device.id }, { token: friend.accessToken });
    expect(errorCodes(after)).toEqual(['FORBIDDEN']);
    expect(after.errors![0].message).toMatch(/restricted the processing/);
    const history = await server.gql(
      `query($id: ID!) { node(id: $id) { ... on Device { locations(first: 5) { edges { node { latitude } } } } } }`,
      { id: device.id },
      { token: friend.accessToken },
    );
    expect(errorCodes(history)).toEqual(['FORBIDDEN']);
    const viaLink = await server.gql(SHARED_LOCATION, { t: link.token });
    expect(errorCodes(viaLink)).toEqual(['FORBIDDEN']);
    expect(viaLink.errors![0].message).toMatch(/restricted the processing/);
    // The grantee's list of shared devices leaves it out.
    const list = await server.gql(`{ sharedDevices(first: 10) { edges { node { id } } } }`, {}, { token: friend.accessToken });
    expect(list.errors).toBeUndefined();
    expect(list.data.sharedDevices.edges).toEqual([]);
    // New live subscriptions are refused too; the owner still sees their own device.
    const again = subscribe(wsClient(server, friend.accessToken), LIVE, { ids: [device.id] });
    await again.ended();
    expect(errorsOf(again).concat(again.error ? [again.error] : []).length).toBeGreaterThan(0);
    expect((await server.gql(DEVICE, { id: device.id }, { token: owner.accessToken })).data.device.lastLocation).toEqual({
      latitude: 56.91,
    });
    await friendWs.dispose();
    await anonWs.dispose();
  });

  it("restrictedAt is the account's own (others may not read it)", async () => {
    const r = await server.gql(`query($id: ID!) { account(id: $id) { restrictedAt } }`, { id: owner.id }, { token: friend.accessToken });
    expect(errorCodes(r)).toEqual(['FORBIDDEN']);
    const staff = await server.gql(
      `query($id: ID!) { account(id: $id) { restrictedAt } }`,
      { id: owner.id },
      { token: support.accessToken },
    );
    expect(errorCodes(staff)).toEqual(['FORBIDDEN']);
  });

  it('only a DPO lifts it, with a reason; the person is notified first, then sharing resumes', async () => {
    expect(
      errorCodes(await server.gql(LIFT, { a: owner.id, r: 'The accuracy dispute is resolved' }, { token: support.accessToken })),
    ).toEqual(['FORBIDDEN']);
    expect(
      errorCodes(await server.gql(LIFT, { a: owner.id, r: 'The accuracy dispute is resolved' }, { token: owner.accessToken })),
    ).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.gql(LIFT, { a: owner.id, r: 'The accuracy dispute is resolved' }))).toEqual(['UNAUTHENTICATED']);
    const bad = await server.gql(LIFT, { a: owner.id, r: ' ' }, { token: dpo.accessToken });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });

    const r = await server.gql(LIFT, { a: owner.id, r: 'The accuracy dispute is resolved' }, { token: dpo.accessToken });
    expect(r.errors).toBeUndefined();
    expect(r.data.liftRestriction).toBe(true);
    const mail = await smtp.waitFor((m) => m.to.includes(owner.email) && /restriction/.test(m.subject));
    expect(mail.text).toContain('The accuracy dispute is resolved');
    const row = await server.app.services.prisma.account.findUniqueOrThrow({ where: { id: rawId(owner.id) } });
    expect(row).toMatchObject({ status: 'ACTIVE', restrictedAt: null });
    const event = await server.app.services.prisma.auditEvent.findFirst({
      where: { subjectAccountId: rawId(owner.id), action: 'processing.restrictionLifted' },
    });
    expect(event?.details).toMatchObject({ reason: 'The accuracy dispute is resolved' });
    expect((await server.gql(DEVICE, { id: device.id }, { token: friend.accessToken })).data.device.lastLocation).toEqual({
      latitude: 56.91,
    });
    expect(errorCodes(await server.gql(LIFT, { a: owner.id, r: 'The accuracy dispute is resolved' }, { token: dpo.accessToken }))).toEqual([
      'CONFLICT',
    ]);
  });
});

describe('erasure scheduling', () => {
  it('SCHEDULED_FOR_DELETION while an erasure request is open; back to ACTIVE when it is rejected', async () => {
    const user = await signUp(server);
    const id = await request(user, 'ERASURE');
    expect((await server.gql(`{ me { status } }`, {}, { token: user.accessToken })).data.me.status).toBe('SCHEDULED_FOR_DELETION');
    await server.gql(
      `mutation($id: ID!) { rejectDataSubjectRequest(id: $id, reason: "Identity could not be confirmed") { status } }`,
      { id },
      { token: support.accessToken },
    );
    expect((await server.gql(`{ me { status } }`, {}, { token: user.accessToken })).data.me.status).toBe('ACTIVE');
  });
});

describe('rectification', () => {
  it('covers device identifiers, and the e-mail through verification of the new address', async () => {
    const user = await signUp(server, { locale: 'EN' });
    const device = await createDevice(server, user, 'Tracker with typo');
    const other = await signUp(server);
    const othersDevice = await createDevice(server, other, 'Not yours');
    const newEmail = uniqueEmail('corrected');
    const id = await request(user, 'RECTIFICATION');

    // Bad input changes nothing (and mails nothing).
    const foreign = await server.gql(
      COMPLETE,
      { id, r: { deviceIdentifiers: [{ deviceId: othersDevice.id, identifier: 'X' }], email: newEmail } },
      { token: support.accessToken },
    );
    expect(foreign.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rectification.deviceIdentifiers.0.deviceId' });
    const badMail = await server.gql(COMPLETE, { id, r: { email: 'not-an-address' } }, { token: support.accessToken });
    expect(badMail.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rectification.email' });

    await complete(id, { deviceIdentifiers: [{ deviceId: device.id, identifier: 'IMEI-356938035643809' }], email: newEmail });
    const d = await server.app.services.prisma.device.findUniqueOrThrow({ where: { id: device.rawId } });
    expect(d.identifier).toBe('IMEI-356938035643809');
    // The address changes only when the person confirms it from the new mailbox.
    expect((await server.gql(`{ me { email } }`, {}, { token: user.accessToken })).data.me.email).toBe(user.email);
    const mail = await smtp.waitFor((m) => m.to.includes(newEmail));
    const token = decodeURIComponent(/verify-email\?token=([A-Za-z0-9_%-]+)/.exec(mail.text)![1]);
    const v = await server.gql(`mutation($t: String!) { verifyEmail(token: $t) { email emailVerified } }`, { t: token });
    expect(v.data.verifyEmail).toEqual({ email: newEmail, emailVerified: true });
  });
});
