/**
 * Verified e-mail addresses. Registration mails a link
 * `${PUBLIC_URL}/verify-email?token=...`; verifyEmail(token) marks the
 * address verified. requestEmailChange(newEmail) mails the same kind of link
 * to the new address (and a notice to the old one); the address changes only
 * when that link is used, so rectification of the e-mail also goes through here.
 *
 * Sharing invitations bind to an account only through a verified address:
 * whoever registers an invited address first sees nothing until they prove
 * they own it (confirmEmailAddress binds the pending invitations then).
 *
 * Failed delivery (see account-tokens.ts): at registration it does not fail
 * the registration (the account exists; resendVerificationEmail sends a new
 * link); on resendVerificationEmail and requestEmailChange, which exist only
 * to send the mail, it fails the request with INTERNAL_SERVER_ERROR and the
 * person tries again.
 */
import { Prisma } from '../../generated/prisma/client';
import type { AppServices } from '../context';
import type { Actor, Tx } from '../events';
import { badInput, conflict } from '../errors';
import { recordAudit } from '../audit';
import { normalizeEmail } from '../validation/identity';
import { consumeAccountToken, deliverTokenMail, issueAccountToken, TOKEN_TTL_SECONDS, tokenLink } from '../auth/account-tokens';
import { renderMail } from '../mail/templates';
import { publishAcceptedInvitations } from '../sharing/notify';
import { grantNotOver } from '../sharing/status';

export const VERIFY_EMAIL_PATH = 'verify-email';

export class MailDeliveryError extends Error {
  constructor() {
    super('The e-mail could not be sent; please try again later.');
    this.name = 'MailDeliveryError';
  }
}

/** Issues a verification token for the account's current address and mails the link; false when delivery failed. */
export async function sendVerificationMail(app: AppServices, accountId: string): Promise<boolean> {
  const account = await app.prisma.account.findUniqueOrThrow({ where: { id: accountId }, select: { email: true, locale: true } });
  const { token, row } = await issueAccountToken(app.prisma, { accountId, purpose: 'VERIFY_EMAIL', email: account.email });
  const mail = renderMail('verify-email', account.locale, {
    link: tokenLink(app, VERIFY_EMAIL_PATH, token),
    hours: TOKEN_TTL_SECONDS.VERIFY_EMAIL / 3600,
  });
  return deliverTokenMail(app, row.id, account.email, mail);
}

export async function resendVerificationEmail(app: AppServices, accountId: string) {
  const account = await app.prisma.account.findUniqueOrThrow({ where: { id: accountId }, select: { emailVerified: true } });
  if (account.emailVerified) throw conflict('The e-mail address is already verified.');
  if (!(await sendVerificationMail(app, accountId))) throw new MailDeliveryError();
  return true;
}

/**
 * Marks `email` verified for the account and turns the pending invitations to
 * that address into grants. Returns whether any invitation was bound (the
 * caller publishes them after commit).
 */
export async function confirmEmailAddress(app: AppServices, tx: Tx, accountId: string, email: string, actor: Actor): Promise<number> {
  await tx.account.update({ where: { id: accountId }, data: { email, emailVerified: true } });
  const bound = await tx.sharingGrant.updateMany({
    where: { inviteeEmail: email, granteeId: null, ...grantNotOver() },
    data: { granteeId: accountId },
  });
  await recordAudit(app, tx, {
    action: 'account.emailVerified',
    actor,
    subjectAccountId: accountId,
    details: { boundInvitations: bound.count },
  });
  return bound.count;
}

/** verifyEmail(token): a registration link or an e-mail change link. Returns the account id. */
export async function verifyEmail(app: AppServices, token: string): Promise<string> {
  let accountId = '';
  let bound = 0;
  try {
    await app.prisma.$transaction(async (tx) => {
      const row = await consumeAccountToken(tx, token, ['VERIFY_EMAIL', 'CHANGE_EMAIL']);
      accountId = row.accountId;
      const account = await tx.account.findUniqueOrThrow({ where: { id: row.accountId }, select: { email: true } });
      // A registration link is for the address it was sent to; after a change that address is gone.
      if (row.purpose === 'VERIFY_EMAIL' && account.email !== row.email)
        throw badInput('token', 'This link is for an address the account no longer uses.');
      bound = await confirmEmailAddress(app, tx, row.accountId, row.email, { kind: 'CUSTOMER', accountId: row.accountId });
      // Any other outstanding link for the old or new address is void now.
      await tx.accountToken.deleteMany({
        where: { accountId: row.accountId, purpose: { in: ['VERIFY_EMAIL', 'CHANGE_EMAIL'] }, usedAt: null },
      });
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') {
      throw conflict('Another account uses this e-mail address now.');
    }
    throw e;
  }
  if (bound) await publishAcceptedInvitations(app, accountId);
  return accountId;
}

/** Mails a confirmation link to the new address (and a notice to the current one); nothing changes until it is used. */
export async function requestEmailChange(app: AppServices, accountId: string, newEmailInput: string, field = 'newEmail') {
  const newEmail = normalizeEmail(newEmailInput);
  if (!newEmail) throw badInput(field, 'Not a valid e-mail address.');
  const account = await app.prisma.account.findUniqueOrThrow({ where: { id: accountId }, select: { email: true, locale: true } });
  if (account.email === newEmail) throw badInput(field, 'This is already the address of the account.');
  const taken = await app.prisma.account.findUnique({ where: { email: newEmail }, select: { id: true } });
  if (taken) throw conflict('An account with this e-mail address already exists.');
  const { token, row } = await issueAccountToken(app.prisma, { accountId, purpose: 'CHANGE_EMAIL', email: newEmail });
  const link = tokenLink(app, VERIFY_EMAIL_PATH, token);
  const delivered = await deliverTokenMail(
    app,
    row.id,
    newEmail,
    renderMail('confirm-email-change', account.locale, { link, newEmail, hours: 24 }),
  );
  if (!delivered) {
    await app.prisma.accountToken.deleteMany({ where: { id: row.id } });
    throw new MailDeliveryError();
  }
  const notice = renderMail('email-change-notice', account.locale, { newEmail });
  await app.mailer.send({ to: account.email, subject: notice.subject, text: notice.text, kind: notice.kind }).catch((error) => {
    app.logger.warn('e-mail change notice to the old address failed', { error });
  });
  return true;
}
