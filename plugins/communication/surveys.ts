/**
 * Surveys: MARKETING creates one; anyone with the link answers. Contact
 * details are stored only with consentToFollowUp, which is recorded in the
 * consent ledger for the response (contactRef "survey-response:<id>", signed
 * receipt) and is withdrawn with that receipt: the contact details are then
 * deleted at once. The audience of survey invitations honours objections,
 * restriction and opt-outs like the marketing audience.
 */
import { Prisma } from '../../generated/prisma/client';
import {
  appendContactConsentRecord,
  type AppServices,
  badInput,
  currentPolicyDocument,
  InvalidTokenError,
  normalizeEmail,
  notFound,
  type Viewer,
} from '../../schema/plugin-api';
import { text } from './inquiries';
import { CUSTOMER_SURVEYS, SURVEY_FOLLOW_UP } from './purposes';
import { IN_FORCE } from './objections';

export interface SurveyQuestion {
  key: string;
  text: string;
}

export const contactRefOf = (responseId: string) => `survey-response:${responseId}`;

export async function createSurvey(app: AppServices, staffId: string, input: { title: string; questions: SurveyQuestion[] }) {
  const title = text(input.title, 'input.title', 200);
  if (!input.questions.length || input.questions.length > 50) throw badInput('input.questions', 'Give 1 to 50 questions.');
  const seen = new Set<string>();
  const questions = input.questions.map((q, i) => {
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(q.key)) throw badInput(`input.questions.${i}.key`, 'A key is 1-40 lower-case letters, digits or _.');
    if (seen.has(q.key)) throw badInput(`input.questions.${i}.key`, `Key "${q.key}" is given twice.`);
    seen.add(q.key);
    return { key: q.key, text: text(q.text, `input.questions.${i}.text`, 1000) };
  });
  return app.prisma.survey.create({ data: { title, questions: questions as unknown as Prisma.InputJsonValue, createdById: staffId } });
}

export interface SubmitSurveyResponseInput {
  surveyId: string;
  answers?: unknown;
  contact?: { email?: string | null; phone?: string | null } | null;
  consentToFollowUp: boolean;
}

export async function submitSurveyResponse(app: AppServices, viewer: Viewer, surveyId: string, input: SubmitSurveyResponseInput) {
  const survey = await app.prisma.survey.findUnique({ where: { id: surveyId } });
  if (!survey) throw notFound('Survey');
  const keys = new Set((survey.questions as unknown as SurveyQuestion[]).map((q) => q.key));
  const answers = input.answers;
  if (!answers || typeof answers !== 'object' || Array.isArray(answers))
    throw badInput('input.answers', 'An object { questionKey: answer }.');
  for (const [key, value] of Object.entries(answers)) {
    if (!keys.has(key)) throw badInput(`input.answers.${key}`, `The survey has no question "${key}".`);
    if (JSON.stringify(value).length > 5000) throw badInput(`input.answers.${key}`, 'Too long (at most 5000 characters).');
  }
  const rawEmail = input.contact?.email?.trim() || null;
  const email = rawEmail ? normalizeEmail(rawEmail) : null;
  if (rawEmail && !email) throw badInput('input.contact.email', 'Not an e-mail address.');
  const phone = input.contact?.phone?.trim() || null;
  if (phone && !/^\+?[0-9 ()-]{6,20}$/.test(phone)) throw badInput('input.contact.phone', 'Not a phone number.');
  // Without consent the contact details are not stored at all.
  const keepContact = input.consentToFollowUp && (email !== null || phone !== null);
  if (input.consentToFollowUp && !keepContact)
    throw badInput('input.contact', 'Leave an e-mail or phone number to be contacted about your answer.');
  const accountId = viewer.kind === 'account' ? viewer.accountId : null;
  const locale = accountId
    ? (await app.prisma.account.findUniqueOrThrow({ where: { id: accountId }, select: { locale: true } })).locale
    : 'LV';
  const policy = keepContact ? await currentPolicyDocument(app.prisma, 'PRIVACY_POLICY', locale) : null;
  return app.prisma.$transaction(async (tx) => {
    const response = await tx.surveyResponse.create({
      data: {
        surveyId,
        accountId,
        answers: answers as Prisma.InputJsonValue,
        email: keepContact ? email : null,
        phone: keepContact ? phone : null,
      },
    });
    const consent = keepContact
      ? await appendContactConsentRecord(app, tx, {
          contactRef: contactRefOf(response.id),
          purpose: SURVEY_FOLLOW_UP,
          granted: true,
          method: 'WEB_FORM',
          policyVersion: policy?.version ?? 'unknown',
          locale,
        })
      : null;
    return { response, consentReceipt: consent?.receipt ?? null, contactStored: keepContact };
  });
}

/** The receipt of the consent is the proof of who gave it: presenting it withdraws it and deletes the contact details. */
export async function withdrawSurveyFollowUp(app: AppServices, receipt: string) {
  let claims;
  try {
    claims = await app.tokens.verify(receipt, 'consent-receipt');
  } catch (e) {
    if (e instanceof InvalidTokenError) throw badInput('receipt', 'Not a valid consent receipt.');
    throw e;
  }
  const prefix = 'contact:survey-response:';
  if (claims.purpose !== SURVEY_FOLLOW_UP || !claims.sub?.startsWith(prefix))
    throw badInput('receipt', 'Not a receipt of a survey follow-up consent.');
  const responseId = claims.sub.slice(prefix.length);
  const contactRef = contactRefOf(responseId);
  const latest = await app.prisma.consentRecord.findFirst({
    where: { contactRef, purpose: SURVEY_FOLLOW_UP },
    orderBy: [{ recordedAt: 'desc' }, { id: 'desc' }],
  });
  if (!latest) throw notFound('Consent');
  if (!latest.granted) return latest;
  return app.prisma.$transaction(async (tx) => {
    const record = await appendContactConsentRecord(app, tx, {
      contactRef,
      purpose: SURVEY_FOLLOW_UP,
      granted: false,
      method: 'WEB_FORM',
      policyVersion: latest.policyVersion,
      locale: latest.locale,
    });
    await tx.surveyResponse.updateMany({ where: { id: responseId }, data: { email: null, phone: null } });
    return record;
  });
}

/** Responses whose follow-up consent is in force now (latest ledger record granted), of the given ids. */
export async function followUpConsented(app: AppServices, responseIds: readonly string[]): Promise<Set<string>> {
  const rows = await app.prisma.consentRecord.findMany({
    where: { contactRef: { in: responseIds.map(contactRefOf) }, purpose: SURVEY_FOLLOW_UP },
    orderBy: [{ recordedAt: 'desc' }, { id: 'desc' }],
    select: { contactRef: true, granted: true },
  });
  const latest = new Map<string, boolean>();
  for (const r of rows) if (!latest.has(r.contactRef!)) latest.set(r.contactRef!, r.granted);
  return new Set(responseIds.filter((id) => latest.get(contactRefOf(id)) === true));
}

export interface SurveyRecipientRow {
  id: string;
  givenName: string | null;
  familyName: string | null;
  email: string;
}

/**
 * Customers who may be invited to a survey by e-mail now: ACTIVE (not
 * RESTRICTED or being deleted), no objection to all processing, none in
 * force to CUSTOMER_SURVEYS or MARKETING_SIMILAR_PRODUCTS, and no opt-out of
 * ALL notices by e-mail or on every channel (the marketing plugin's table,
 * always migrated; read here as data, not through its code).
 */
function audienceCondition(): Prisma.Sql {
  return Prisma.sql`'CUSTOMER' = ANY(a."roles"::text[])
    AND a."status"::text = 'ACTIVE'
    AND a."processingObjectedAt" IS NULL
    AND NOT EXISTS (SELECT 1 FROM "ProcessingObjection" po WHERE po."accountId" = a."id"
      AND po."purpose" IN (${CUSTOMER_SURVEYS}, 'MARKETING_SIMILAR_PRODUCTS') AND po."status"::text IN (${Prisma.join(IN_FORCE)}))
    AND NOT EXISTS (SELECT 1 FROM "MarketingOptOut" o WHERE o."accountId" = a."id"
      AND o."scope"::text = 'ALL' AND (o."channel" IS NULL OR o."channel"::text = 'EMAIL'))`;
}

export async function surveyAudiencePage(app: AppServices, page: { afterId: string | null; limit: number }) {
  const where = audienceCondition();
  const after = page.afterId ? Prisma.sql`AND a."id" > ${page.afterId}` : Prisma.empty;
  const [rows, count] = await Promise.all([
    app.prisma.$queryRaw<SurveyRecipientRow[]>`
      SELECT a."id", a."givenName", a."familyName", a."email" FROM "Account" a WHERE ${where} ${after} ORDER BY a."id" LIMIT ${page.limit}`,
    app.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Account" a WHERE ${where}`,
  ]);
  return { rows, total: Number(count[0]?.n ?? 0) };
}
