/**
 * Complaints about goods and services (not GDPR objections): a customer files
 * one, it is due COMPLAINT_RESPONSE_PERIOD later, SUPPORT answers it (mailed)
 * or rejects it with reasons; past dueAt and unanswered it is overdue.
 */
import type { ComplaintStatus } from '../../generated/prisma/enums';
import { addDuration, type AppServices, badInput, conflict, notFound, recordAudit } from '../../schema/plugin-api';
import { communicationSettings } from './config';
import { text } from './inquiries';
import { complaintAnswerMail } from './texts';
import { complaintGlobalId } from './ids';

export const OPEN_STATUSES: ComplaintStatus[] = ['RECEIVED', 'IN_PROGRESS'];
const FINAL_STATUSES: ComplaintStatus[] = ['ANSWERED', 'REJECTED'];

export function isOverdue(c: { status: ComplaintStatus; dueAt: Date }, now = new Date()) {
  return OPEN_STATUSES.includes(c.status) && c.dueAt < now;
}

export async function submitComplaint(
  app: AppServices,
  accountId: string,
  input: { subject: string; message: string; invoiceNumber?: string | null },
) {
  const subject = text(input.subject, 'input.subject', 200);
  const message = text(input.message, 'input.message', 10000);
  const invoiceNumber = input.invoiceNumber?.trim() || null;
  if (invoiceNumber && invoiceNumber.length > 64) throw badInput('input.invoiceNumber', 'At most 64 characters.');
  const receivedAt = new Date();
  const dueAt = addDuration(receivedAt, communicationSettings.of(app).complaintResponsePeriod);
  return app.prisma.complaint.create({ data: { accountId, subject, message, invoiceNumber, receivedAt, dueAt } });
}

export async function answerComplaint(app: AppServices, staffId: string, id: string, responseText: string, status: ComplaintStatus) {
  const response = text(responseText, 'response', 10000);
  if (status === 'RECEIVED') throw badInput('status', 'An answer moves the complaint to IN_PROGRESS, ANSWERED or REJECTED.');
  const complaint = await app.prisma.complaint.findUnique({
    where: { id },
    include: { account: { select: { email: true, locale: true } } },
  });
  if (!complaint) throw notFound('Complaint');
  if (FINAL_STATUSES.includes(complaint.status)) throw conflict(`This complaint is already ${complaint.status.toLowerCase()}.`);
  const final = FINAL_STATUSES.includes(status);
  const updated = await app.prisma.$transaction(async (tx) => {
    const row = await tx.complaint.update({
      where: { id },
      data: { status, response, answeredById: staffId, ...(final ? { answeredAt: new Date() } : {}) },
    });
    await recordAudit(app, tx, {
      action: 'complaint.answered',
      actor: { kind: 'STAFF', accountId: staffId },
      subjectAccountId: complaint.accountId,
      details: { complaintId: id, status },
    });
    return row;
  });
  await app.mailer.send({
    to: complaint.account.email,
    kind: 'complaint-answer',
    ...complaintAnswerMail(complaint.account.locale, complaintGlobalId(id), status, response),
  });
  return updated;
}

export function complaintWhere(status: ComplaintStatus | null | undefined, overdue: boolean | null | undefined, now = new Date()) {
  const where: Record<string, unknown> = status ? { status } : {};
  if (overdue === true) return { ...where, AND: [{ status: { in: OPEN_STATUSES } }, { dueAt: { lt: now } }] };
  if (overdue === false) return { ...where, NOT: { AND: [{ status: { in: OPEN_STATUSES } }, { dueAt: { lt: now } }] } };
  return where;
}
