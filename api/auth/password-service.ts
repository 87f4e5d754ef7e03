/**
 * Password changes and resets.
 * - changePassword: needs the current password; every other session ends.
 * - requestPasswordReset: answers `true` whether or not the address has an
 *   account (no enumeration); at most 5 requests per address an hour
 *   (RATE_LIMITED, the same for known and unknown addresses); mails a
 *   single-use link valid for one hour. The mail is sent after the answer
 *   (same timing either way); a delivery failure is logged with the token's
 *   id and the person asks again.
 * - resetPassword: spends the token and ends every session of the account.
 */
import type { AppServices } from '../context';
import { badInput } from '../errors';
import { normalizeEmail } from '../validation/identity';
import { blocked, count, PASSWORD_RESETS_PER_HOUR, take } from '../rate-limits';
import { hashPassword, verifyPassword } from './passwords';
import { checkPassword } from './account-service';
import { consumeAccountToken, deliverTokenMail, issueAccountToken, peekAccountToken, TOKEN_TTL_SECONDS, tokenLink } from './account-tokens';
import { renderMail } from '../mail/templates';
import { recordAudit } from '../audit';
import { publishAccountAccessChange } from '../sharing/notify';

export const RESET_PASSWORD_PATH = 'reset-password';
export const RESETS_PER_HOUR = PASSWORD_RESETS_PER_HOUR;

export async function changePassword(
  app: AppServices,
  viewer: { accountId: string; sessionId: string },
  currentPassword: string,
  newPassword: string,
) {
  const failures = app.limiters.passwordChangeFailures;
  const refused = await blocked(failures, viewer.accountId, 'Too many wrong passwords; try again in 15 minutes.');
  if (refused) throw refused;
  checkPassword(newPassword, 'newPassword');
  const account = await app.prisma.account.findUniqueOrThrow({
    where: { id: viewer.accountId },
    select: { passwordHash: true, email: true, locale: true },
  });
  if (!(await verifyPassword(currentPassword, account.passwordHash))) {
    await count(failures, viewer.accountId);
    throw badInput('currentPassword', 'The current password is wrong.');
  }
  await failures.delete(viewer.accountId);
  const passwordHash = await hashPassword(newPassword);
  const now = new Date();
  await app.prisma.$transaction(async (tx) => {
    await tx.account.update({ where: { id: viewer.accountId }, data: { passwordHash } });
    await tx.session.updateMany({
      where: { accountId: viewer.accountId, revokedAt: null, id: { not: viewer.sessionId } },
      data: { revokedAt: now, revokedReason: 'password changed' },
    });
    await tx.accountToken.deleteMany({ where: { accountId: viewer.accountId, purpose: 'RESET_PASSWORD', usedAt: null } });
    await recordAudit(app, tx, {
      action: 'account.passwordChanged',
      actor: { kind: 'CUSTOMER', accountId: viewer.accountId },
      subjectAccountId: viewer.accountId,
    });
  });
  // The other sessions' live streams end now.
  publishAccountAccessChange(app, viewer.accountId, 'password.changed');
  const notice = renderMail('password-changed', account.locale);
  await app.mailer.send({ to: account.email, subject: notice.subject, text: notice.text, kind: notice.kind }).catch((error) => {
    app.logger.warn('password change notice failed', { error });
  });
  return true;
}

export async function requestPasswordReset(app: AppServices, emailInput: string) {
  const email = normalizeEmail(emailInput);
  if (!email) throw badInput('email', 'Not a valid e-mail address.');
  const refused = await take(app.limiters.passwordResets, email, 'Too many reset requests for this address; try again in an hour.');
  if (refused) throw refused;
  const account = await app.prisma.account.findUnique({ where: { email }, select: { id: true, locale: true } });
  if (!account) return true;
  const { token, row } = await issueAccountToken(app.prisma, { accountId: account.id, purpose: 'RESET_PASSWORD', email });
  const mail = renderMail('reset-password', account.locale, {
    link: tokenLink(app, RESET_PASSWORD_PATH, token),
    hours: TOKEN_TTL_SECONDS.RESET_PASSWORD / 3600,
  });
  // Not awaited: the answer must not take longer when the address exists. Failures are logged (deliverTokenMail).
  void deliverTokenMail(app, row.id, email, mail);
  return true;
}

export async function resetPassword(app: AppServices, token: string, newPassword: string) {
  // Bad input changes nothing: the token is checked and the password validated before the token is spent.
  await peekAccountToken(app.prisma, token, ['RESET_PASSWORD']);
  checkPassword(newPassword, 'newPassword');
  const passwordHash = await hashPassword(newPassword);
  const now = new Date();
  const accountId = await app.prisma.$transaction(async (tx) => {
    const row = await consumeAccountToken(tx, token, ['RESET_PASSWORD'], 'token', now);
    await tx.account.update({ where: { id: row.accountId }, data: { passwordHash } });
    await tx.session.updateMany({
      where: { accountId: row.accountId, revokedAt: null },
      data: { revokedAt: now, revokedReason: 'password reset' },
    });
    await tx.accountToken.deleteMany({ where: { accountId: row.accountId, purpose: 'RESET_PASSWORD', usedAt: null } });
    await recordAudit(app, tx, {
      action: 'account.passwordReset',
      actor: { kind: 'CUSTOMER', accountId: row.accountId },
      subjectAccountId: row.accountId,
    });
    return row.accountId;
  });
  // Every session ended: its live streams end now.
  publishAccountAccessChange(app, accountId, 'password.reset');
  return true;
}
