import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startTestServer, signUp, signUpStaff, errorCodes, type SignedIn, type TestServer } from '../../test/helpers/server';
import { startTestSmtp, type TestSmtp } from '../../test/helpers/smtp';
import { registerDevice } from '../../test/helpers/devices';
import { exportContributors } from '../../api/export-contributors';
import { runRetention } from '../retention/run';
import { notifyPolicyVersion, notifySilentDevices } from './notices';

let server: TestServer;
let smtp: TestSmtp;
let support: SignedIn;
let marketer: SignedIn;
let dpo: SignedIn;
const DAY = 86400_000;
const rawId = (id: string) => decodeGlobalID(id).id;
const db = () => server.app.services.prisma;

beforeAll(async () => {
  smtp = await startTestSmtp();
  server = await startTestServer({
    plugins: ['audit', 'marketing', 'retention', 'communication'],
    env: { SMTP_URL: smtp.url, MAIL_FROM: 'Serviss <no-reply@example.lv>', INQUIRY_RATE_LIMIT: '8' },
  });
  [support, marketer, dpo] = await Promise.all([
    signUpStaff(server, ['SUPPORT']),
    signUpStaff(server, ['MARKETING']),
    signUpStaff(server, ['DPO']),
  ]);
});
afterAll(async () => {
  await server?.stop();
  await smtp?.close();
});

const SUBMIT_INQUIRY = `mutation($input: SubmitInquiryInput!) { submitInquiry(input: $input) { receiptId receivedAt } }`;
const INQUIRIES = `query($status: InquiryStatus) { inquiries(status: $status, first: 100) { edges { node { id name email message status answer account { id } } } } }`;
const ANSWER_INQUIRY = `mutation($id: ID!, $m: String!) { answerInquiry(id: $id, message: $m) { id status answer answeredAt } }`;
const CLOSE_INQUIRY = `mutation($id: ID!) { closeInquiry(id: $id) { id status closedAt } }`;

describe('1. inquiries', () => {
  it('anyone sends one and gets a receipt by mail; SUPPORT answers by mail and closes; it is purged after its retention', async () => {
    const r = await server.gql(SUBMIT_INQUIRY, {
      input: { name: 'Pēteris', email: 'Peteris@Example.lv', message: 'Vai tracker strādā Igaunijā?', locale: 'LV' },
    });
    expect(r.errors).toBeUndefined();
    const { receiptId } = r.data.submitInquiry;
    const receipt = await smtp.waitFor((m) => m.to.includes('peteris@example.lv') && m.subject.includes(receiptId));
    expect(receipt.text).toContain(receiptId);

    const list = await server.gql(INQUIRIES, { status: 'OPEN' }, { token: support.accessToken });
    const node = list.data.inquiries.edges.map((e: any) => e.node).find((n: any) => n.id === receiptId);
    expect(node).toMatchObject({ name: 'Pēteris', email: 'peteris@example.lv', status: 'OPEN', account: null });

    const answered = await server.gql(ANSWER_INQUIRY, { id: receiptId, m: 'Jā, visā ES.' }, { token: support.accessToken });
    expect(answered.data.answerInquiry).toMatchObject({ status: 'ANSWERED', answer: 'Jā, visā ES.' });
    const answerMail = await smtp.waitFor((m) => m.to.includes('peteris@example.lv') && m.subject.startsWith('Atbilde'));
    expect(answerMail.text).toContain('Jā, visā ES.');

    const closed = await server.gql(CLOSE_INQUIRY, { id: receiptId }, { token: support.accessToken });
    expect(closed.data.closeInquiry.status).toBe('CLOSED');

    // Not yet: the default rule keeps it one year after closing.
    await runRetention(server.app.services, { dryRun: false });
    expect(await db().inquiry.count({ where: { id: rawId(receiptId) } })).toBe(1);
    await db().inquiry.update({ where: { id: rawId(receiptId) }, data: { closedAt: new Date(Date.now() - 400 * DAY) } });
    const dry = await runRetention(server.app.services, { dryRun: true });
    expect((dry.results as any[]).find((x) => x.dataCategory === 'INQUIRIES').deleted).toBeGreaterThanOrEqual(1);
    expect(await db().inquiry.count({ where: { id: rawId(receiptId) } })).toBe(1);
    const run = await runRetention(server.app.services, { dryRun: false });
    expect((run.results as any[]).find((x) => x.dataCategory === 'INQUIRIES').deleted).toBeGreaterThanOrEqual(1);
    expect(await db().inquiry.count({ where: { id: rawId(receiptId) } })).toBe(0);
    const rules = await server.gql(`{ retentionRules { dataCategory period } }`);
    expect(rules.data.retentionRules).toEqual(
      expect.arrayContaining([
        { dataCategory: 'INQUIRIES', period: 'P1Y' },
        { dataCategory: 'COMPLAINTS', period: 'P3Y' },
        { dataCategory: 'SURVEY_RESPONSES', period: 'P1Y' },
      ]),
    );
  });

  it("a signed-in sender's inquiry is linked to the account and in their export", async () => {
    const user = await signUp(server);
    const r = await server.gql(
      SUBMIT_INQUIRY,
      { input: { name: 'Test User', email: user.email, message: 'Mans jautājums' } },
      { token: user.accessToken },
    );
    const section = exportContributors(server.app.services).find((c) => c.section === 'communication')!;
    const data = (await section.collect(server.app.services, rawId(user.id))) as any;
    expect(data.inquiries).toMatchObject([{ id: rawId(r.data.submitInquiry.receiptId), message: 'Mans jautājums' }]);
    // The sender reads their own inquiry; another customer does not.
    const Q = `query($id: ID!) { node(id: $id) { ... on Inquiry { message } } }`;
    expect((await server.gql(Q, { id: r.data.submitInquiry.receiptId }, { token: user.accessToken })).data.node.message).toBe(
      'Mans jautājums',
    );
    const other = await signUp(server);
    expect(errorCodes(await server.gql(Q, { id: r.data.submitInquiry.receiptId }, { token: other.accessToken }))).toEqual(['NOT_FOUND']);
  });

  it('bad input gets a coded error and stores nothing', async () => {
    const before = await db().inquiry.count();
    const r = await server.gql(SUBMIT_INQUIRY, { input: { name: 'X', email: 'not-an-address', message: 'hi' } });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.email' });
    const empty = await server.gql(SUBMIT_INQUIRY, { input: { name: 'X', email: 'x@example.lv', message: '   ' } });
    expect(empty.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.message' });
    expect(await db().inquiry.count()).toBe(before);
  });

  it('who may NOT list, answer or close inquiries: anonymous, customers, MARKETING, DPO', async () => {
    const customer = await signUp(server);
    expect(errorCodes(await server.gql(INQUIRIES, {}))).toEqual(['UNAUTHENTICATED']);
    for (const who of [customer, marketer, dpo]) {
      expect(errorCodes(await server.gql(INQUIRIES, {}, { token: who.accessToken }))).toEqual(['FORBIDDEN']);
    }
    const r = await server.gql(SUBMIT_INQUIRY, { input: { name: 'A', email: 'a@example.lv', message: 'q' } });
    const id = r.data.submitInquiry.receiptId;
    expect(errorCodes(await server.gql(ANSWER_INQUIRY, { id, m: 'no' }, { token: customer.accessToken }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.gql(CLOSE_INQUIRY, { id }))).toEqual(['UNAUTHENTICATED']);
    expect(await db().inquiry.findUnique({ where: { id: rawId(id) } })).toMatchObject({ status: 'OPEN', answer: null });
  });
});

const SUBMIT_COMPLAINT = `mutation($input: SubmitComplaintInput!) { submitComplaint(input: $input) { id status receivedAt dueAt answeredAt response overdue } }`;
const COMPLAINTS = `query($overdue: Boolean, $status: ComplaintStatus) { complaints(overdue: $overdue, status: $status, first: 100) { edges { node { id status overdue account { id } } } } }`;
const ANSWER_COMPLAINT = `mutation($id: ID!, $r: String!, $s: ComplaintStatus!) { answerComplaint(id: $id, response: $r, status: $s) { id status response answeredAt } }`;

describe('2. complaints', () => {
  it('a customer files one, due in 15 days; past dueAt it is overdue for SUPPORT and DPO; the answer is mailed', async () => {
    const user = await signUp(server);
    const r = await server.gql(
      SUBMIT_COMPLAINT,
      { input: { subject: 'Tracker broke', message: 'After a week.', invoiceNumber: 'INV-1' } },
      { token: user.accessToken },
    );
    expect(r.errors).toBeUndefined();
    const c = r.data.submitComplaint;
    expect(c).toMatchObject({ status: 'RECEIVED', answeredAt: null, overdue: false });
    expect(new Date(c.dueAt).getTime() - new Date(c.receivedAt).getTime()).toBe(15 * DAY);
    const mine = await server.gql(`{ myComplaints { edges { node { id } } } }`, {}, { token: user.accessToken });
    expect(mine.data.myComplaints.edges.map((e: any) => e.node.id)).toEqual([c.id]);

    await db().complaint.update({ where: { id: rawId(c.id) }, data: { dueAt: new Date(Date.now() - DAY) } });
    for (const staff of [support, dpo]) {
      const overdue = await server.gql(COMPLAINTS, { overdue: true }, { token: staff.accessToken });
      expect(overdue.errors).toBeUndefined();
      expect(overdue.data.complaints.edges.map((e: any) => e.node)).toContainEqual({
        id: c.id,
        status: 'RECEIVED',
        overdue: true,
        account: { id: user.id },
      });
    }
    const notOverdue = await server.gql(COMPLAINTS, { overdue: false }, { token: support.accessToken });
    expect(notOverdue.data.complaints.edges.map((e: any) => e.node.id)).not.toContain(c.id);

    const answered = await server.gql(
      ANSWER_COMPLAINT,
      { id: c.id, r: 'We replace the tracker.', s: 'ANSWERED' },
      { token: support.accessToken },
    );
    expect(answered.data.answerComplaint).toMatchObject({ status: 'ANSWERED', response: 'We replace the tracker.' });
    const mail = await smtp.waitFor((m) => m.to.includes(user.email) && m.text.includes('We replace the tracker.'));
    expect(mail.subject).toContain(c.id);
    const after = await server.gql(COMPLAINTS, { overdue: true }, { token: dpo.accessToken });
    expect(after.data.complaints.edges.map((e: any) => e.node.id)).not.toContain(c.id);
    // A second answer to a closed complaint is refused.
    expect(errorCodes(await server.gql(ANSWER_COMPLAINT, { id: c.id, r: 'again', s: 'REJECTED' }, { token: support.accessToken }))).toEqual(
      ['CONFLICT'],
    );
  });

  it('is purged the claims period after the answer; an open one never is', async () => {
    const user = await signUp(server);
    const answered = (await server.gql(SUBMIT_COMPLAINT, { input: { subject: 'a', message: 'b' } }, { token: user.accessToken })).data
      .submitComplaint;
    const open = (await server.gql(SUBMIT_COMPLAINT, { input: { subject: 'c', message: 'd' } }, { token: user.accessToken })).data
      .submitComplaint;
    await server.gql(ANSWER_COMPLAINT, { id: answered.id, r: 'ok', s: 'ANSWERED' }, { token: support.accessToken });
    const old = new Date(Date.now() - 4 * 365 * DAY);
    await db().complaint.update({ where: { id: rawId(answered.id) }, data: { answeredAt: old } });
    await db().complaint.update({ where: { id: rawId(open.id) }, data: { receivedAt: old, dueAt: old } });
    // A legal hold on another account keeps its answered complaint despite its age.
    const heldUser = await signUp(server);
    const heldComplaint = (await server.gql(SUBMIT_COMPLAINT, { input: { subject: 'e', message: 'f' } }, { token: heldUser.accessToken }))
      .data.submitComplaint;
    await server.gql(ANSWER_COMPLAINT, { id: heldComplaint.id, r: 'ok', s: 'REJECTED' }, { token: support.accessToken });
    await db().complaint.update({ where: { id: rawId(heldComplaint.id) }, data: { answeredAt: old } });
    const hold = await server.gql(
      `mutation($i: PlaceLegalHoldInput!) { placeLegalHold(input: $i) { id } }`,
      { i: { accountId: heldUser.id, reason: 'Claim brought to court' } },
      { token: dpo.accessToken },
    );
    expect(hold.errors).toBeUndefined();
    const run = await runRetention(server.app.services, { dryRun: false });
    expect((run.results as any[]).find((x) => x.dataCategory === 'COMPLAINTS')).toMatchObject({ deleted: 1, held: 1 });
    expect(await db().complaint.count({ where: { id: rawId(answered.id) } })).toBe(0);
    expect(await db().complaint.count({ where: { id: rawId(open.id) } })).toBe(1);
    expect(await db().complaint.count({ where: { id: rawId(heldComplaint.id) } })).toBe(1);
  });

  it('who may NOT: anonymous cannot file; staff cannot file; another customer cannot read or list; customers cannot answer', async () => {
    const user = await signUp(server);
    const other = await signUp(server);
    const input = { subject: 's', message: 'm' };
    expect(errorCodes(await server.gql(SUBMIT_COMPLAINT, { input }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await server.gql(SUBMIT_COMPLAINT, { input }, { token: marketer.accessToken }))).toEqual(['FORBIDDEN']);
    const c = (await server.gql(SUBMIT_COMPLAINT, { input }, { token: user.accessToken })).data.submitComplaint;
    const Q = `query($id: ID!) { node(id: $id) { ... on Complaint { message } } }`;
    expect(errorCodes(await server.gql(Q, { id: c.id }, { token: other.accessToken }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await server.gql(Q, { id: c.id }, { token: marketer.accessToken }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await server.gql(COMPLAINTS, {}, { token: other.accessToken }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.gql(COMPLAINTS, {}, { token: marketer.accessToken }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.gql(ANSWER_COMPLAINT, { id: c.id, r: 'x', s: 'ANSWERED' }, { token: user.accessToken }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(errorCodes(await server.gql(`{ myComplaints { edges { node { id } } } }`))).toEqual(['UNAUTHENTICATED']);
    expect(
      (await server.gql(`{ myComplaints { edges { node { id } } } }`, {}, { token: other.accessToken })).data.myComplaints.edges,
    ).toEqual([]);
  });
});

const NOTICES = `{ me { serviceNotices(first: 20) { edges { node { id kind subject data mailedAt } } } noticeSettings { deviceSilenceAfter mutedKinds kinds { kind required } } } }`;
const SETTINGS = `mutation($input: NoticeSettingsInput!) { updateNoticeSettings(input: $input) { deviceSilenceAfter mutedKinds } }`;

async function silentDevice(user: SignedIn, name: string, hoursAgo: number) {
  const device = await registerDevice(server, user, name);
  await db().device.update({ where: { id: device.rawId }, data: { lastSeenAt: new Date(Date.now() - hoursAgo * 3600_000) } });
  return device;
}

describe('3. service notices', () => {
  it("a device silent longer than its owner's setting is reported once, by mail in the account's locale", async () => {
    const user = await signUp(server, { locale: 'EN' });
    await silentDevice(user, 'Car tracker', 30);
    await silentDevice(user, 'Fresh phone', 1);
    const service = server.app.services.extensions.serviceNotices!;
    await notifySilentDevices(server.app.services, service);
    await notifySilentDevices(server.app.services, service);
    const mail = await smtp.waitFor((m) => m.to.includes(user.email) && m.subject.includes('Car tracker'));
    expect(mail.subject).toBe('Device "Car tracker" is silent');
    const r = await server.gql(NOTICES, {}, { token: user.accessToken });
    const list = r.data.me.serviceNotices.edges.map((e: any) => e.node);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ kind: 'DEVICE_SILENT', data: { deviceName: 'Car tracker' } });
    expect(list[0].mailedAt).not.toBeNull();
    expect(r.data.me.noticeSettings.kinds).toEqual(
      expect.arrayContaining([
        { kind: 'DEVICE_SILENT', required: false },
        { kind: 'POLICY_UPDATED', required: true },
      ]),
    );
  });

  it('the owner sets the threshold and mutes the optional kind, but cannot mute a required one', async () => {
    const user = await signUp(server);
    const longer = await server.gql(SETTINGS, { input: { deviceSilenceAfter: 'P2D' } }, { token: user.accessToken });
    expect(longer.data.updateNoticeSettings.deviceSilenceAfter).toBe('P2D');
    await silentDevice(user, 'Tracker A', 30);
    await notifySilentDevices(server.app.services, server.app.services.extensions.serviceNotices!);
    expect(await db().serviceNotice.count({ where: { accountId: rawId(user.id) } })).toBe(0);

    const muted = await server.gql(
      SETTINGS,
      { input: { deviceSilenceAfter: 'PT1H', mute: ['DEVICE_SILENT'] } },
      { token: user.accessToken },
    );
    expect(muted.data.updateNoticeSettings).toEqual({ deviceSilenceAfter: 'PT1H', mutedKinds: ['DEVICE_SILENT'] });
    await notifySilentDevices(server.app.services, server.app.services.extensions.serviceNotices!);
    expect(await db().serviceNotice.count({ where: { accountId: rawId(user.id) } })).toBe(0);

    const refused = await server.gql(SETTINGS, { input: { mute: ['POLICY_UPDATED'] } }, { token: user.accessToken });
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.mute.0' });
    const bad = await server.gql(SETTINGS, { input: { deviceSilenceAfter: 'soon' } }, { token: user.accessToken });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.deviceSilenceAfter' });
  });

  it('a RESTRICTED account gets the policy notice the law requires, not the optional ones', async () => {
    const user = await signUp(server);
    await db().account.update({ where: { id: rawId(user.id) }, data: { status: 'RESTRICTED', createdAt: new Date('2020-01-01') } });
    await silentDevice(user, 'Restricted tracker', 48);
    const service = server.app.services.extensions.serviceNotices!;
    await notifySilentDevices(server.app.services, service);
    await notifyPolicyVersion(server.app.services, service);
    const kinds = (await db().serviceNotice.findMany({ where: { accountId: rawId(user.id) } })).map((n) => n.kind);
    expect(kinds).toEqual(['POLICY_UPDATED']);
    await smtp.waitFor((m) => m.to.includes(user.email) && m.text.includes('politikas versija'));
  });

  it('another plugin (billing) adds a notice kind without changes here', async () => {
    const service = server.app.services.extensions.serviceNotices!;
    service.registerKind({
      kind: 'INVOICE_OVERDUE',
      required: true,
      render: (locale, data) => ({
        subject: locale === 'LV' ? `Rēķins ${data.number} kavēts` : `Invoice ${data.number} overdue`,
        text: `Amount ${data.amount}`,
      }),
    });
    const user = await signUp(server);
    const outcome = await service.send(rawId(user.id), 'INVOICE_OVERDUE', { number: 'INV-9', amount: '12.00 EUR' }, 'invoice:INV-9');
    expect(outcome.sent).toBe(true);
    expect((await service.send(rawId(user.id), 'INVOICE_OVERDUE', { number: 'INV-9' }, 'invoice:INV-9')).sent).toBe(false);
    const mail = await smtp.waitFor((m) => m.to.includes(user.email) && m.subject === 'Rēķins INV-9 kavēts');
    expect(mail.text).toContain('12.00 EUR');
  });

  it('who may NOT read notices or settings: anonymous, another customer, staff without an access case', async () => {
    const user = await signUp(server);
    await silentDevice(user, 'Secret tracker', 30);
    await notifySilentDevices(server.app.services, server.app.services.extensions.serviceNotices!);
    const notice = await db().serviceNotice.findFirstOrThrow({ where: { accountId: rawId(user.id) } });
    const id = Buffer.from(`ServiceNotice:${notice.id}`).toString('base64');
    const Q = `query($id: ID!) { node(id: $id) { ... on ServiceNotice { subject } } }`;
    expect((await server.gql(Q, { id }, { token: user.accessToken })).data.node.subject).toContain('Secret tracker');
    const other = await signUp(server);
    for (const who of [other, support, marketer]) {
      expect(errorCodes(await server.gql(Q, { id }, { token: who.accessToken }))).toEqual(['NOT_FOUND']);
    }
    expect(errorCodes(await server.gql(Q, { id }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await server.gql(SETTINGS, { input: { mute: ['DEVICE_SILENT'] } }))).toEqual(['UNAUTHENTICATED']);
  });
});

const CREATE_SURVEY = `mutation($input: CreateSurveyInput!) { createSurvey(input: $input) { id title questions } }`;
const SUBMIT_RESPONSE = `mutation($input: SubmitSurveyResponseInput!) { submitSurveyResponse(input: $input) { responseId contactStored consentReceipt } }`;
const RESPONSES = `query($s: ID!) { surveyResponses(surveyId: $s, first: 100) { edges { node { id answers followUpConsent email phone } } } }`;
const AUDIENCE = `query($s: ID!) { surveyAudience(surveyId: $s, first: 100) { totalCount nodes { account { id } email surveyUrl } } }`;
const WITHDRAW = `mutation($r: String!) { withdrawSurveyFollowUpConsent(receipt: $r) }`;

async function newSurvey() {
  const r = await server.gql(
    CREATE_SURVEY,
    { input: { title: 'Satisfaction', questions: [{ key: 'score', text: 'How happy are you?' }] } },
    { token: marketer.accessToken },
  );
  expect(r.errors).toBeUndefined();
  return r.data.createSurvey.id as string;
}

describe('4. surveys', () => {
  it('without consent the contact details are not stored', async () => {
    const surveyId = await newSurvey();
    const r = await server.gql(SUBMIT_RESPONSE, {
      input: { surveyId, answers: { score: 4 }, contact: { email: 'anon@example.lv', phone: '+371 20000000' }, consentToFollowUp: false },
    });
    expect(r.data.submitSurveyResponse).toMatchObject({ contactStored: false, consentReceipt: null });
    const row = await db().surveyResponse.findUniqueOrThrow({ where: { id: rawId(r.data.submitSurveyResponse.responseId) } });
    expect(row).toMatchObject({ email: null, phone: null, answers: { score: 4 } });
    expect(await db().consentRecord.count({ where: { contactRef: `survey-response:${row.id}` } })).toBe(0);
    const seen = await server.gql(RESPONSES, { s: surveyId }, { token: marketer.accessToken });
    expect(seen.data.surveyResponses.edges[0].node).toMatchObject({
      answers: { score: 4 },
      followUpConsent: false,
      email: null,
      phone: null,
    });
  });

  it('with consent: a ledger receipt that verifies against the JWKS; revoking it hides the contact from MARKETING at once', async () => {
    const surveyId = await newSurvey();
    const r = await server.gql(SUBMIT_RESPONSE, {
      input: { surveyId, answers: { score: 2 }, contact: { email: 'Ilze@Example.lv' }, consentToFollowUp: true },
    });
    const { responseId, contactStored, consentReceipt } = r.data.submitSurveyResponse;
    expect(contactStored).toBe(true);
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(consentReceipt, jwks);
    expect(payload).toMatchObject({
      sub: `contact:survey-response:${rawId(responseId)}`,
      purpose: 'SURVEY_FOLLOW_UP',
      granted: true,
      method: 'WEB_FORM',
    });
    const record = await db().consentRecord.findFirstOrThrow({ where: { contactRef: `survey-response:${rawId(responseId)}` } });
    expect(record).toMatchObject({ accountId: null, granted: true, receipt: consentReceipt });

    const before = await server.gql(RESPONSES, { s: surveyId }, { token: marketer.accessToken });
    expect(before.data.surveyResponses.edges[0].node).toMatchObject({ followUpConsent: true, email: 'ilze@example.lv' });

    const w = await server.gql(WITHDRAW, { r: consentReceipt });
    expect(w.data.withdrawSurveyFollowUpConsent).toBe(true);
    const after = await server.gql(RESPONSES, { s: surveyId }, { token: marketer.accessToken });
    expect(after.data.surveyResponses.edges[0].node).toMatchObject({
      followUpConsent: false,
      email: null,
      phone: null,
      answers: { score: 2 },
    });
    expect(await db().surveyResponse.findUniqueOrThrow({ where: { id: rawId(responseId) } })).toMatchObject({ email: null });
    // The ledger keeps both records (append-only).
    expect(await db().consentRecord.count({ where: { contactRef: `survey-response:${rawId(responseId)}` } })).toBe(2);
    const forged = await server.gql(WITHDRAW, { r: consentReceipt.slice(0, -4) + 'AAAA' });
    expect(forged.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'receipt' });
  });

  it('bad answers are refused and store nothing', async () => {
    const surveyId = await newSurvey();
    const before = await db().surveyResponse.count();
    const r = await server.gql(SUBMIT_RESPONSE, { input: { surveyId, answers: { nope: 1 }, consentToFollowUp: false } });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.answers.nope' });
    const noContact = await server.gql(SUBMIT_RESPONSE, { input: { surveyId, answers: {}, consentToFollowUp: true } });
    expect(noContact.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.contact' });
    expect(await db().surveyResponse.count()).toBe(before);
  });

  it('the audience honours objections, restriction and opt-outs like marketingAudience', async () => {
    const surveyId = await newSurvey();
    const [ok, restricted, optedOut, objecting] = await Promise.all([signUp(server), signUp(server), signUp(server), signUp(server)]);
    await db().account.update({ where: { id: rawId(restricted.id) }, data: { status: 'RESTRICTED' } });
    await server.gql(`mutation { optOutOfMarketing(input: { scope: ALL }) { channels } }`, {}, { token: optedOut.accessToken });
    await server.gql(`mutation { objectToProcessing(purposeCode: "CUSTOMER_SURVEYS") { id } }`, {}, { token: objecting.accessToken });
    const r = await server.gql(AUDIENCE, { s: surveyId }, { token: marketer.accessToken });
    expect(r.errors).toBeUndefined();
    const ids = r.data.surveyAudience.nodes.map((n: any) => n.account.id);
    expect(ids).toContain(ok.id);
    for (const gone of [restricted, optedOut, objecting, marketer, support]) expect(ids).not.toContain(gone.id);
    expect(r.data.surveyAudience.nodes[0].surveyUrl).toContain('/surveys/');
  });

  it('who may NOT: create (anonymous, customer, SUPPORT), read answers or the audience (anyone but MARKETING)', async () => {
    const surveyId = await newSurvey();
    const customer = await signUp(server);
    const input = { title: 't', questions: [{ key: 'a', text: 'b' }] };
    expect(errorCodes(await server.gql(CREATE_SURVEY, { input }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await server.gql(CREATE_SURVEY, { input }, { token: customer.accessToken }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await server.gql(CREATE_SURVEY, { input }, { token: support.accessToken }))).toEqual(['FORBIDDEN']);
    for (const q of [RESPONSES, AUDIENCE]) {
      expect(errorCodes(await server.gql(q, { s: surveyId }))).toEqual(['UNAUTHENTICATED']);
      for (const who of [customer, support, dpo])
        expect(errorCodes(await server.gql(q, { s: surveyId }, { token: who.accessToken }))).toEqual(['FORBIDDEN']);
    }
    // Anyone with the link reads the questions.
    const open = await server.gql(`query($id: ID!) { survey(id: $id) { title questions } }`, { id: surveyId });
    expect(open.data.survey).toEqual({ title: 'Satisfaction', questions: [{ key: 'score', text: 'How happy are you?' }] });
  });
});

const OBJECT = `mutation($p: String!, $r: String) { objectToProcessing(purposeCode: $p, reason: $r) { id purpose status receipt } }`;
const OBJECTIONS = `query($s: ObjectionStatus) { processingObjections(status: $s, first: 100) { edges { node { id purpose status account { id } } } } }`;
const UPHOLD = `mutation($id: ID!, $r: String!) { upholdObjection(id: $id, reason: $r) { id status decisionReason } }`;
const REJECT = `mutation($id: ID!, $r: String!) { rejectObjection(id: $id, reason: $r) { id status decisionReason } }`;
const MARKETING_AUDIENCE = `{ marketingAudience(scope: SIMILAR_PRODUCTS, channel: EMAIL, first: 100) { edges { node { account { id } } } } }`;

describe('5. objection per purpose', () => {
  it('an objection to similar-product notices is in the ledger and stops the marketing audience at once; the DPO cannot reject it', async () => {
    const user = await signUp(server);
    const audience = async () =>
      (await server.gql(MARKETING_AUDIENCE, {}, { token: marketer.accessToken })).data.marketingAudience.edges.map(
        (e: any) => e.node.account.id,
      );
    expect(await audience()).toContain(user.id);
    const r = await server.gql(OBJECT, { p: 'MARKETING_SIMILAR_PRODUCTS', r: 'Too many mails' }, { token: user.accessToken });
    expect(r.errors).toBeUndefined();
    expect(r.data.objectToProcessing).toMatchObject({ purpose: 'MARKETING_SIMILAR_PRODUCTS', status: 'RECEIVED' });
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(r.data.objectToProcessing.receipt, jwks);
    expect(payload).toMatchObject({ sub: rawId(user.id), purpose: 'MARKETING_SIMILAR_PRODUCTS', granted: false });
    expect(await audience()).not.toContain(user.id);

    const listed = await server.gql(OBJECTIONS, { s: 'RECEIVED' }, { token: dpo.accessToken });
    expect(listed.data.processingObjections.edges.map((e: any) => e.node)).toContainEqual({
      id: r.data.objectToProcessing.id,
      purpose: 'MARKETING_SIMILAR_PRODUCTS',
      status: 'RECEIVED',
      account: { id: user.id },
    });
    const reject = await server.gql(
      REJECT,
      { id: r.data.objectToProcessing.id, r: 'We have compelling legitimate grounds here.' },
      { token: dpo.accessToken },
    );
    expect(reject.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const uphold = await server.gql(
      UPHOLD,
      { id: r.data.objectToProcessing.id, r: 'Direct marketing: always honoured.' },
      { token: dpo.accessToken },
    );
    expect(uphold.data.upholdObjection.status).toBe('UPHELD');
  });

  it('the DPO may reject an objection to a non-marketing purpose with compelling grounds; the survey audience then includes the person again', async () => {
    const surveyId = await newSurvey();
    const user = await signUp(server);
    const o = (await server.gql(OBJECT, { p: 'CUSTOMER_SURVEYS' }, { token: user.accessToken })).data.objectToProcessing;
    const inAudience = async () =>
      (await server.gql(AUDIENCE, { s: surveyId }, { token: marketer.accessToken })).data.surveyAudience.nodes.map(
        (n: any) => n.account.id,
      );
    expect(await inAudience()).not.toContain(user.id);
    const short = await server.gql(REJECT, { id: o.id, r: 'no' }, { token: dpo.accessToken });
    expect(short.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const rejected = await server.gql(
      REJECT,
      { id: o.id, r: 'Product safety recall survey required by the regulator.' },
      { token: dpo.accessToken },
    );
    expect(rejected.data.rejectObjection.status).toBe('REJECTED');
    expect(await inAudience()).toContain(user.id);
    const mine = await server.gql(
      `{ me { objections { edges { node { purpose status decisionReason } } } } }`,
      {},
      { token: user.accessToken },
    );
    expect(mine.data.me.objections.edges[0].node).toMatchObject({ purpose: 'CUSTOMER_SURVEYS', status: 'REJECTED' });
  });

  it('only legitimate-interest purposes can be objected to', async () => {
    const user = await signUp(server);
    for (const p of ['MARKETING_EMAIL', 'ACCOUNT', 'NO_SUCH_PURPOSE']) {
      const r = await server.gql(OBJECT, { p }, { token: user.accessToken });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'purposeCode' });
    }
    expect(await db().processingObjection.count({ where: { accountId: rawId(user.id) } })).toBe(0);
  });

  it('who may NOT: anonymous objects; customers, SUPPORT and MARKETING list or decide; another customer reads', async () => {
    const user = await signUp(server);
    const other = await signUp(server);
    expect(errorCodes(await server.gql(OBJECT, { p: 'CONTRACT_NOTICES' }))).toEqual(['UNAUTHENTICATED']);
    const o = (await server.gql(OBJECT, { p: 'CONTRACT_NOTICES' }, { token: user.accessToken })).data.objectToProcessing;
    for (const who of [user, support, marketer]) {
      expect(errorCodes(await server.gql(OBJECTIONS, {}, { token: who.accessToken }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await server.gql(UPHOLD, { id: o.id, r: 'yes' }, { token: who.accessToken }))).toEqual(['FORBIDDEN']);
    }
    const Q = `query($id: ID!) { node(id: $id) { ... on ProcessingObjection { purpose } } }`;
    expect(errorCodes(await server.gql(Q, { id: o.id }, { token: other.accessToken }))).toEqual(['NOT_FOUND']);
    // The objection to CONTRACT_NOTICES stops optional notices at once.
    await silentDevice(user, 'Objected tracker', 30);
    await notifySilentDevices(server.app.services, server.app.services.extensions.serviceNotices!);
    expect(await db().serviceNotice.count({ where: { accountId: rawId(user.id), kind: 'DEVICE_SILENT' } })).toBe(0);
  });
});

describe('rate limit', () => {
  it('submitInquiry is limited per client address (INQUIRY_RATE_LIMIT per hour) and a refused one stores nothing', async () => {
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await server.gql(SUBMIT_INQUIRY, { input: { name: 'Spam', email: 'spam@example.lv', message: `m${i}` } });
      codes.push(r.errors?.[0].extensions?.code);
    }
    expect(codes.at(-1)).toBe('RATE_LIMITED');
    const stored = await db().inquiry.count({ where: { email: 'spam@example.lv' } });
    expect(stored).toBe(codes.filter((c) => c === undefined).length);
    expect(stored).toBeLessThanOrEqual(8);
  });
});
