/**
 * Inquiries: anyone may send a question (rate-limited per client address);
 * the sender gets a receipt by mail; SUPPORT answers (mailed) and closes.
 * Authorization is in rules.ts; these functions check input and do the work.
 */
import type { InquiryStatus, Locale } from '../../generated/prisma/enums';
import {
  type AppServices,
  badInput,
  clientAddressOf,
  conflict,
  normalizeEmail,
  notFound,
  recordAudit,
  type Viewer,
} from '../../schema/plugin-api';
import { takeInquiryAllowance } from './rate-limit';
import { inquiryAnswerMail, inquiryReceiptMail } from './texts';
import { inquiryGlobalId } from './ids';

export interface SubmitInquiryInput {
  name: string;
  email: string;
  phone?: string | null;
  message: string;
  locale?: Locale | null;
}

const PHONE = /^\+?[0-9 ()-]{6,20}$/;

export function text(value: string, field: string, max: number): string {
  const v = value.trim();
  if (!v) throw badInput(field, 'Must not be empty.');
  if (v.length > max) throw badInput(field, `At most ${max} characters.`);
  return v;
}

export async function submitInquiry(app: AppServices, viewer: Viewer, request: Request, input: SubmitInquiryInput) {
  const name = text(input.name, 'input.name', 200);
  const email = normalizeEmail(input.email);
  if (!email) throw badInput('input.email', 'Not an e-mail address.');
  const phone = input.phone?.trim() || null;
  if (phone && !PHONE.test(phone)) throw badInput('input.phone', 'A phone number is 6-20 digits, spaces, (), - and an optional leading +.');
  const message = text(input.message, 'input.message', 5000);
  await takeInquiryAllowance(app, clientAddressOf(request));
  const accountId = viewer.kind === 'account' ? viewer.accountId : null;
  const locale = input.locale ?? 'LV';
  const inquiry = await app.prisma.inquiry.create({ data: { accountId, name, email, phone, message, locale } });
  const receiptId = inquiryGlobalId(inquiry.id);
  await app.mailer.send({ to: email, kind: 'inquiry-receipt', ...inquiryReceiptMail(locale, receiptId, name) });
  return { receiptId, receivedAt: inquiry.receivedAt };
}

export async function answerInquiry(app: AppServices, staffId: string, id: string, answerText: string) {
  const answer = text(answerText, 'message', 10000);
  const inquiry = await app.prisma.inquiry.findUnique({ where: { id } });
  if (!inquiry) throw notFound('Inquiry');
  if (inquiry.status === 'CLOSED') throw conflict('This inquiry is closed.');
  const updated = await app.prisma.$transaction(async (tx) => {
    const row = await tx.inquiry.update({
      where: { id },
      data: { status: 'ANSWERED', answer, answeredAt: new Date(), answeredById: staffId },
    });
    await recordAudit(app, tx, {
      action: 'inquiry.answered',
      actor: { kind: 'STAFF', accountId: staffId },
      subjectAccountId: inquiry.accountId,
      details: { inquiryId: id },
    });
    return row;
  });
  await app.mailer.send({
    to: inquiry.email,
    kind: 'inquiry-answer',
    ...inquiryAnswerMail(inquiry.locale, inquiryGlobalId(id), inquiry.name, answer),
  });
  return updated;
}

export async function closeInquiry(app: AppServices, id: string) {
  const inquiry = await app.prisma.inquiry.findUnique({ where: { id } });
  if (!inquiry) throw notFound('Inquiry');
  if (inquiry.status === 'CLOSED') return inquiry;
  return app.prisma.inquiry.update({ where: { id }, data: { status: 'CLOSED', closedAt: new Date() } });
}

export const inquiryWhere = (status: InquiryStatus | null | undefined) => (status ? { status } : {});
