/** Who may use the communication plugin's fields (deny by default covers anything not listed). */
import {
  accountReadable,
  allow,
  and,
  canReadAccount,
  defineRule,
  hasAnyRole,
  hasRole,
  isAccount,
  notFound,
  type RuleMap,
} from '../../schema/plugin-api';

const support = hasAnyRole('SUPPORT');
const marketing = hasAnyRole('MARKETING');
const dpo = hasAnyRole('DPO');

/** SUPPORT, or the signed-in person who sent it. */
const canReadInquiry = defineRule<{ accountId: string | null }>(
  'canReadInquiry',
  (i, _a, ctx) =>
    hasRole(ctx.viewer, 'SUPPORT') || (ctx.viewer.kind === 'account' && i.accountId === ctx.viewer.accountId) || notFound('Inquiry'),
);

/** The customer who filed it; SUPPORT and DPO (they watch the deadlines). */
const canReadComplaint = defineRule<{ accountId: string }>(
  'canReadComplaint',
  (c, _a, ctx) =>
    hasRole(ctx.viewer, 'SUPPORT', 'DPO') ||
    (ctx.viewer.kind === 'account' && c.accountId === ctx.viewer.accountId) ||
    notFound('Complaint'),
);

/** Whoever may read the account (its owner, staff with an open access case). */
const canReadNotice = defineRule<{ accountId: string }>(
  'canReadServiceNotice',
  async (n, _a, ctx) => (await accountReadable(ctx, n.accountId)) || notFound('Service notice'),
);

/** The DPO decides objections; the person (and whoever may read the account) sees their own. */
const canReadObjection = defineRule<{ accountId: string }>(
  'canReadObjection',
  async (o, _a, ctx) => hasRole(ctx.viewer, 'DPO') || (await accountReadable(ctx, o.accountId)) || notFound('Objection'),
);

const customer = hasAnyRole('CUSTOMER');

export const communicationRules: RuleMap = {
  Query: {
    inquiries: support,
    complaints: hasAnyRole('SUPPORT', 'DPO'),
    myComplaints: isAccount,
    // Anyone with the link reads the questions.
    survey: allow,
    surveyResponses: marketing,
    surveyAudience: marketing,
    processingObjections: dpo,
  },
  Mutation: {
    // Public; rate-limited per client address in the resolver.
    submitInquiry: allow,
    answerInquiry: support,
    closeInquiry: support,
    submitComplaint: and(isAccount, customer),
    answerComplaint: support,
    updateNoticeSettings: isAccount,
    createSurvey: marketing,
    submitSurveyResponse: allow,
    // The signed consent receipt is the authorization.
    withdrawSurveyFollowUpConsent: allow,
    objectToProcessing: isAccount,
    upholdObjection: dpo,
    rejectObjection: dpo,
  },
  Account: { serviceNotices: canReadAccount, noticeSettings: canReadAccount, objections: canReadAccount },
  InquiryReceipt: allow,
  Inquiry: canReadInquiry,
  Complaint: canReadComplaint,
  ServiceNotice: canReadNotice,
  Survey: allow,
  SurveyResponse: marketing,
  SurveyRecipient: marketing,
  SurveyRecipientPage: marketing,
  ProcessingObjection: canReadObjection,
  // Reached only through the guarded fields above.
  SurveyResponseReceipt: allow,
  NoticeSettings: allow,
  ServiceNoticeKind: allow,
  InquiryConnection: allow,
  InquiryEdge: allow,
  ComplaintConnection: allow,
  ComplaintEdge: allow,
  ServiceNoticeConnection: allow,
  ServiceNoticeEdge: allow,
  SurveyResponseConnection: allow,
  SurveyResponseEdge: allow,
  ProcessingObjectionConnection: allow,
  ProcessingObjectionEdge: allow,
};
