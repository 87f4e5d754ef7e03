/**
 * Issue 13 items 6 and 7, black-box over HTTP with a real SMTP server:
 * verified e-mail (registration link, verifyEmail, invitations bind only to a
 * verified address, e-mail change by confirmation, LV/EN texts), and
 * passwords (changePassword, requestPasswordReset, resetPassword).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, REGISTER, signUp, startTestServer, uniqueEmail, type SignedIn, type TestServer } from './helpers/server';
import { startTestSmtp, type ReceivedMail, type TestSmtp } from './helpers/smtp';
import { createDevice, grant } from './helpers/sharing-fixtures';
import { PRIVACY_POLICY_VERSION } from '../seeds/policies';
import { hashToken } from '../api/auth/sessions';

let smtp: TestSmtp;
let server: TestServer;
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  smtp = await startTestSmtp();
  server = await startTestServer({ plugins: ['audit'], env: { SMTP_URL: smtp.url, MAIL_FROM: 'Serviss <no-reply@example.lv>' } });
});
afterAll(async () => {
  await server?.stop();
  await smtp?.close();
});

const db = () => server.app.services.prisma;
const mailTo = (to: string, kind?: RegExp) => smtp.waitFor((m) => m.to.includes(to) && (!kind || kind.test(m.subject)));
const tokenIn = (mail: ReceivedMail, path: string) => {
  const m = new RegExp(`http://localhost:4000/${path}\\?token=([A-Za-z0-9_%-]+)`).exec(mail.text);
  if (!m) throw new Error(`no ${path} link in: ${mail.text}`);
  return decodeURIComponent(m[1]);
};

async function register(input: Record<string, unknown> = {}) {
  const email = uniqueEmail();
  const r = await server.gql(REGISTER, { input: { email, password: PASSWORD, privacyPolicyVersion: PRIVACY_POLICY_VERSION, ...input } });
  expect(r.errors).toBeUndefined();
  return {
    email,
    id: r.data.register.account.id as string,
    accessToken: r.data.register.accessToken as string,
    refreshToken: r.data.register.refreshToken as string,
  };
}

const VERIFY = `mutation($t: String!) { verifyEmail(token: $t) { id email emailVerified } }`;
const ME = `{ me { email emailVerified } }`;
const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken } }`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }`;

describe('e-mail verification', () => {
  it('registration mails a single-use verification link in the account locale; the token is stored only hashed', async () => {
    const user = await register({ locale: 'LV' });
    const mail = await mailTo(user.email);
    expect(mail.from).toBe('no-reply@example.lv');
    expect(mail.subject).toBe('Apstipriniet savu e-pasta adresi');
    const token = tokenIn(mail, 'verify-email');
    const rows = await db().accountToken.findMany({ where: { email: user.email } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ purpose: 'VERIFY_EMAIL', tokenHash: hashToken(token), usedAt: null });
    expect(rows[0].mailedAt).toBeInstanceOf(Date);
    expect(JSON.stringify(rows)).not.toContain(token);

    expect((await server.gql(ME, {}, { token: user.accessToken })).data.me).toEqual({ email: user.email, emailVerified: false });
    // Opened without signing in (another device): the token is the credential.
    const r = await server.gql(VERIFY, { t: token });
    expect(r.errors).toBeUndefined();
    expect(r.data.verifyEmail).toEqual({ id: user.id, email: user.email, emailVerified: true });
    expect((await server.gql(ME, {}, { token: user.accessToken })).data.me.emailVerified).toBe(true);

    const again = await server.gql(VERIFY, { t: token });
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    expect(again.data).toBeNull();
  });

  it('English accounts get the English text; expired and unknown links are refused and change nothing', async () => {
    const user = await register({ locale: 'EN' });
    const mail = await mailTo(user.email);
    expect(mail.subject).toBe('Confirm your e-mail address');
    expect(mail.text).toContain('The link works once and for 48 hours.');
    const token = tokenIn(mail, 'verify-email');
    await db().accountToken.updateMany({ where: { tokenHash: hashToken(token) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(errorCodes(await server.gql(VERIFY, { t: token }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await server.gql(VERIFY, { t: 'not-a-token' }))).toEqual(['BAD_USER_INPUT']);
    expect((await db().account.findUniqueOrThrow({ where: { email: user.email } })).emailVerified).toBe(false);

    // resendVerificationEmail: a new link; only the account itself may ask for it.
    expect(errorCodes(await server.gql(`mutation { resendVerificationEmail }`))).toEqual(['UNAUTHENTICATED']);
    const resent = await server.gql(`mutation { resendVerificationEmail }`, {}, { token: user.accessToken });
    expect(resent.data.resendVerificationEmail).toBe(true);
    const second = await smtp.waitFor((m) => m.to.includes(user.email) && m !== mail);
    expect((await server.gql(VERIFY, { t: tokenIn(second, 'verify-email') })).data.verifyEmail.emailVerified).toBe(true);
    expect(errorCodes(await server.gql(`mutation { resendVerificationEmail }`, {}, { token: user.accessToken }))).toEqual(['CONFLICT']);
  });

  it('an invited address sees nothing before verification and the device after it', async () => {
    const owner = await signUp(server);
    const device = await createDevice(server, owner, 'Family tracker');
    const invitee = uniqueEmail('invitee');
    const g = await grant(server, owner, device, { granteeEmail: invitee, scope: 'LIVE' });
    expect(g.status).toBe('PENDING');

    // Someone registers the invited address first, without owning the mailbox.
    const squatter = await register({ email: invitee });
    const NODE = `query($id: ID!) { node(id: $id) { ... on Device { id name } } }`;
    expect((await server.gql(`{ receivedSharingGrants { id } }`, {}, { token: squatter.accessToken })).data.receivedSharingGrants).toEqual(
      [],
    );
    const hidden = await server.gql(NODE, { id: device.id }, { token: squatter.accessToken });
    expect(errorCodes(hidden)).toEqual(['NOT_FOUND']);
    expect((await server.gql(`{ node(id: "${g.id}") { id } }`, {}, { token: squatter.accessToken })).data?.node ?? null).toBeNull();

    const mail = await mailTo(invitee);
    await server.gql(VERIFY, { t: tokenIn(mail, 'verify-email') });
    const shown = await server.gql(NODE, { id: device.id }, { token: squatter.accessToken });
    expect(shown.errors).toBeUndefined();
    expect(shown.data.node).toEqual({ id: device.id, name: 'Family tracker' });
    expect(
      (await server.gql(`{ receivedSharingGrants { id status } }`, {}, { token: squatter.accessToken })).data.receivedSharingGrants,
    ).toEqual([{ id: g.id, status: 'ACTIVE' }]);
  });

  it('a grant to a registered but unverified address stays PENDING until it is verified', async () => {
    const owner = await signUp(server);
    const device = await createDevice(server, owner, 'Car');
    const unverified = await register();
    const g = await grant(server, owner, device, { granteeEmail: unverified.email, scope: 'LIVE' });
    expect(g.status).toBe('PENDING');
    await server.gql(VERIFY, { t: tokenIn(await mailTo(unverified.email), 'verify-email') });
    expect(
      (await server.gql(`{ receivedSharingGrants { id status } }`, {}, { token: unverified.accessToken })).data.receivedSharingGrants,
    ).toEqual([{ id: g.id, status: 'ACTIVE' }]);
  });
});

describe('e-mail change', () => {
  it('mails a confirmation to the new address and a notice to the old one; the address changes only on confirmation', async () => {
    const user = await signUp(server, { locale: 'EN' });
    const newEmail = uniqueEmail('moved');
    const CHANGE = `mutation($e: String!) { requestEmailChange(newEmail: $e) }`;
    expect(errorCodes(await server.gql(CHANGE, { e: newEmail }))).toEqual(['UNAUTHENTICATED']);
    expect((await server.gql(CHANGE, { e: 'nonsense' }, { token: user.accessToken })).errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'newEmail',
    });
    const other = await signUp(server);
    expect(errorCodes(await server.gql(CHANGE, { e: other.email }, { token: user.accessToken }))).toEqual(['CONFLICT']);

    const r = await server.gql(CHANGE, { e: newEmail.toUpperCase() }, { token: user.accessToken });
    expect(r.data.requestEmailChange).toBe(true);
    const confirm = await mailTo(newEmail, /Confirm your new e-mail address/);
    const notice = await mailTo(user.email, /being changed/);
    expect(notice.text).toContain(newEmail);
    expect((await server.gql(ME, {}, { token: user.accessToken })).data.me).toEqual({ email: user.email, emailVerified: true });

    const v = await server.gql(VERIFY, { t: tokenIn(confirm, 'verify-email') });
    expect(v.data.verifyEmail).toEqual({ id: user.id, email: newEmail, emailVerified: true });
    expect((await server.gql(LOGIN, { i: { email: newEmail, password: PASSWORD } })).data.login.accessToken).toBeTruthy();
    expect(errorCodes(await server.gql(LOGIN, { i: { email: user.email, password: PASSWORD } }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('mail delivery failure', () => {
  let down: TestServer;
  beforeAll(async () => {
    // Nothing listens on port 9 of the loopback: every SMTP connection is refused.
    down = await startTestServer({ plugins: [], env: { SMTP_URL: 'smtp://127.0.0.1:9' } });
  });
  afterAll(() => down?.stop());

  it('does not fail registration; the token stays stored undelivered; an explicit resend fails loudly', async () => {
    const email = uniqueEmail();
    const r = await down.gql(REGISTER, { input: { email, password: PASSWORD, privacyPolicyVersion: PRIVACY_POLICY_VERSION } });
    expect(r.errors).toBeUndefined();
    const rows = await down.app.services.prisma.accountToken.findMany({ where: { email } });
    expect(rows).toHaveLength(1);
    expect(rows[0].mailedAt).toBeNull();
    const resend = await down.gql(`mutation { resendVerificationEmail }`, {}, { token: r.data.register.accessToken });
    expect(errorCodes(resend)).toEqual(['INTERNAL_SERVER_ERROR']);
  });
});

describe('passwords', () => {
  const CHANGE = `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`;
  const REQUEST = `mutation($e: String!) { requestPasswordReset(email: $e) }`;
  const RESET = `mutation($t: String!, $n: String!) { resetPassword(token: $t, newPassword: $n) }`;

  async function secondSession(user: SignedIn) {
    const r = await server.gql(LOGIN, { i: { email: user.email, password: user.password } });
    return r.data.login as { accessToken: string; refreshToken: string };
  }

  it('changePassword needs the current password and ends every other session, not this one', async () => {
    const user = await signUp(server);
    const other = await secondSession(user);
    expect(errorCodes(await server.gql(CHANGE, { c: PASSWORD, n: 'a new long password' }))).toEqual(['UNAUTHENTICATED']);
    const wrong = await server.gql(CHANGE, { c: 'not my password', n: 'a new long password' }, { token: user.accessToken });
    expect(wrong.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currentPassword' });
    const short = await server.gql(CHANGE, { c: PASSWORD, n: 'short' }, { token: user.accessToken });
    expect(short.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    expect(errorCodes(await server.gql(ME, {}, { token: other.accessToken }))).toEqual([]);

    const ok = await server.gql(CHANGE, { c: PASSWORD, n: 'a new long password' }, { token: user.accessToken });
    expect(ok.data.changePassword).toBe(true);
    expect(errorCodes(await server.gql(ME, {}, { token: other.accessToken }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await server.gql(REFRESH, { t: other.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    expect((await server.gql(ME, {}, { token: user.accessToken })).data.me.email).toBe(user.email);
    expect(errorCodes(await server.gql(LOGIN, { i: { email: user.email, password: PASSWORD } }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await server.gql(LOGIN, { i: { email: user.email, password: 'a new long password' } }))).toEqual([]);
    expect((await mailTo(user.email, /parole ir nomainīta/)).text).toContain('citas sesijas ir pārtrauktas');
  });

  it('requestPasswordReset answers the same for unknown addresses and mails nothing to them', async () => {
    const unknown = uniqueEmail('nobody');
    const r = await server.gql(REQUEST, { e: unknown });
    expect(r).toMatchObject({ data: { requestPasswordReset: true } });
    expect(r.errors).toBeUndefined();
    await new Promise((res) => setTimeout(res, 300));
    expect(smtp.messages.some((m) => m.to.includes(unknown))).toBe(false);
  });

  it('a reset token works once, ends every session, and bad input leaves it usable', async () => {
    const user = await signUp(server, { locale: 'LV' });
    const other = await secondSession(user);
    const r = await server.gql(REQUEST, { e: user.email.toUpperCase() });
    expect(r.data.requestPasswordReset).toBe(true);
    const mail = await mailTo(user.email, /Paroles atjaunošana/);
    expect(mail.text).toContain('60 minūtes');
    const token = tokenIn(mail, 'reset-password');

    const short = await server.gql(RESET, { t: token, n: 'short' });
    expect(short.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    expect(errorCodes(await server.gql(ME, {}, { token: user.accessToken }))).toEqual([]);

    expect((await server.gql(RESET, { t: token, n: 'a reset long password' })).data.resetPassword).toBe(true);
    for (const s of [user, other]) {
      expect(errorCodes(await server.gql(ME, {}, { token: s.accessToken }))).toEqual(['UNAUTHENTICATED']);
      expect(errorCodes(await server.gql(REFRESH, { t: s.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    }
    expect(errorCodes(await server.gql(LOGIN, { i: { email: user.email, password: 'a reset long password' } }))).toEqual([]);
    const again = await server.gql(RESET, { t: token, n: 'yet another long password' });
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    expect(errorCodes(await server.gql(LOGIN, { i: { email: user.email, password: 'yet another long password' } }))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });

  it('an expired reset token is refused', async () => {
    const user = await signUp(server);
    await server.gql(REQUEST, { e: user.email });
    const token = tokenIn(await mailTo(user.email, /Paroles atjaunošana/), 'reset-password');
    await db().accountToken.updateMany({ where: { tokenHash: hashToken(token) }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(errorCodes(await server.gql(RESET, { t: token, n: 'a reset long password' }))).toEqual(['BAD_USER_INPUT']);
  });

  it('requestPasswordReset is rate-limited per address, known or not', async () => {
    const user = await signUp(server);
    for (const email of [user.email, uniqueEmail('nobody')]) {
      for (let i = 0; i < 5; i++) expect((await server.gql(REQUEST, { e: email })).data.requestPasswordReset).toBe(true);
      expect(errorCodes(await server.gql(REQUEST, { e: email }))).toEqual(['RATE_LIMITED']);
    }
  });
});
