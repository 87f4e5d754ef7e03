/**
 * Lifting a restriction of processing (GDPR art. 18(3)): the DPO gives a
 * reason, the person is told by mail BEFORE the restriction ends (if the mail
 * cannot be delivered nothing changes and the DPO tries again), then the
 * account is ACTIVE again, restrictedAt is cleared, and the lift is audited
 * with its reason. Sharing resumes from that moment.
 */
import {
  type Actor,
  type AppServices,
  badInput,
  conflict,
  MailDeliveryError,
  notFound,
  publishAccountDevicesAccessChange,
  recordAudit,
  renderMail,
} from '../../schema/plugin-api';

export async function liftRestriction(app: AppServices, accountId: string, reasonInput: string, actor: Actor) {
  const reason = reasonInput.trim();
  if (reason.length < 5) throw badInput('reason', 'Give the reason for lifting the restriction (at least 5 characters).');
  if (reason.length > 1000) throw badInput('reason', 'At most 1000 characters.');
  const account = await app.prisma.account.findUnique({
    where: { id: accountId },
    select: { email: true, locale: true, restrictedAt: true, status: true },
  });
  if (!account) throw notFound('Account');
  if (!account.restrictedAt) throw conflict('Processing of this account is not restricted.');

  const mail = renderMail('restriction-lifted', account.locale, { reason });
  try {
    await app.mailer.send({ to: account.email, subject: mail.subject, text: mail.text, kind: mail.kind });
  } catch (error) {
    app.logger.error('restriction-lifted notice could not be delivered; the restriction stays', { error });
    throw new MailDeliveryError();
  }
  const notifiedAt = new Date();
  await app.prisma.$transaction(async (tx) => {
    await tx.account.update({
      where: { id: accountId },
      // A scheduled erasure keeps its status; otherwise the account is ACTIVE again.
      data: { restrictedAt: null, ...(account.status === 'RESTRICTED' ? { status: 'ACTIVE' as const } : {}) },
    });
    await recordAudit(app, tx, {
      action: 'processing.restrictionLifted',
      actor,
      subjectAccountId: accountId,
      details: { reason, notifiedAt: notifiedAt.toISOString(), restrictedSince: account.restrictedAt!.toISOString() },
    });
  });
  await publishAccountDevicesAccessChange(app, accountId, 'processing.restrictionLifted');
  return true;
}
