/** GraphQL types of the communication plugin: inquiries, complaints, service notices, surveys and objections. */
import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  ComplaintStatus as ComplaintStatusEnum,
  InquiryStatus as InquiryStatusEnum,
  ObjectionStatus as ObjectionStatusEnum,
} from '../../generated/prisma/enums';
import {
  type AccountSummaryShape,
  badInput,
  type Builder,
  type Context,
  type CoreRefs,
  requireAccount,
  requireId,
} from '../../schema/plugin-api';
import * as inquiries from './inquiries';
import * as complaints from './complaints';
import * as notices from './notices';
import * as surveys from './surveys';
import * as objections from './objections';

const MAX_PAGE = 500;

function accountSummary(ctx: Context, id: string | null): Promise<AccountSummaryShape> | null {
  if (!id) return null;
  return ctx
    .loader<string, AccountSummaryShape>('communication.accountSummary', async (ids) => {
      const rows = await ctx.app.prisma.account.findMany({
        where: { id: { in: [...ids] } },
        select: { id: true, givenName: true, familyName: true },
      });
      return ids.map((i) => rows.find((r) => r.id === i) ?? { id: i, givenName: null, familyName: null });
    })
    .load(id);
}

const staffId = (ctx: Context) => requireAccount(ctx.viewer).accountId;

export function addCommunicationSchema(builder: Builder, refs: CoreRefs) {
  const InquiryStatus = builder.enumType(InquiryStatusEnum, { name: 'InquiryStatus' });
  const ComplaintStatus = builder.enumType(ComplaintStatusEnum, { name: 'ComplaintStatus' });
  const ObjectionStatus = builder.enumType(ObjectionStatusEnum, { name: 'ObjectionStatus' });

  // ---- 1. Inquiries --------------------------------------------------------------------------
  const InquiryReceipt = builder.objectRef<{ receiptId: string; receivedAt: Date }>('InquiryReceipt').implement({
    description: 'What the sender of an inquiry gets back (also by mail).',
    fields: (t) => ({
      receiptId: t.exposeID('receiptId', { description: 'Quote it in any follow-up.' }),
      receivedAt: t.expose('receivedAt', { type: 'DateTime' }),
    }),
  });

  const Inquiry = builder.prismaNode('Inquiry', {
    id: { field: 'id' },
    fields: (t) => ({
      name: t.exposeString('name'),
      email: t.exposeString('email'),
      phone: t.exposeString('phone', { nullable: true }),
      message: t.exposeString('message'),
      locale: t.field({ type: refs.Locale, resolve: (i) => i.locale }),
      status: t.field({ type: InquiryStatus, resolve: (i) => i.status }),
      receivedAt: t.expose('receivedAt', { type: 'DateTime' }),
      answer: t.exposeString('answer', { nullable: true }),
      answeredAt: t.expose('answeredAt', { type: 'DateTime', nullable: true }),
      closedAt: t.expose('closedAt', { type: 'DateTime', nullable: true }),
      account: t.field({
        type: refs.AccountSummary,
        nullable: true,
        description: 'The account of a signed-in sender; null for anyone else.',
        resolve: (i, _a, ctx) => accountSummary(ctx, i.accountId),
      }),
    }),
  });
  const InquiryConnection = builder.connectionObject({ type: Inquiry, name: 'InquiryConnection' });

  const SubmitInquiryInput = builder.inputType('SubmitInquiryInput', {
    fields: (t) => ({
      name: t.string({ required: true }),
      email: t.string({ required: true }),
      phone: t.string(),
      message: t.string({ required: true }),
      locale: t.field({ type: refs.Locale, description: 'Language of the receipt and the answer (default LV).' }),
    }),
  });

  // ---- 2. Complaints -------------------------------------------------------------------------
  const Complaint = builder.prismaNode('Complaint', {
    id: { field: 'id' },
    description: 'A complaint about goods or services (for objections to data processing see objectToProcessing).',
    fields: (t) => ({
      subject: t.exposeString('subject'),
      message: t.exposeString('message'),
      invoiceNumber: t.exposeString('invoiceNumber', { nullable: true }),
      status: t.field({ type: ComplaintStatus, resolve: (c) => c.status }),
      receivedAt: t.expose('receivedAt', { type: 'DateTime' }),
      dueAt: t.expose('dueAt', { type: 'DateTime', description: 'An answer is due by then (COMPLAINT_RESPONSE_PERIOD after receipt).' }),
      answeredAt: t.expose('answeredAt', { type: 'DateTime', nullable: true }),
      response: t.exposeString('response', { nullable: true }),
      overdue: t.boolean({ description: 'Past dueAt and still RECEIVED or IN_PROGRESS.', resolve: (c) => complaints.isOverdue(c) }),
      account: t.field({ type: refs.AccountSummary, resolve: (c, _a, ctx) => accountSummary(ctx, c.accountId)! }),
    }),
  });
  const ComplaintConnection = builder.connectionObject({ type: Complaint, name: 'ComplaintConnection' });

  const SubmitComplaintInput = builder.inputType('SubmitComplaintInput', {
    fields: (t) => ({
      subject: t.string({ required: true }),
      message: t.string({ required: true }),
      invoiceNumber: t.string(),
    }),
  });

  // ---- 3. Service notices --------------------------------------------------------------------
  const ServiceNotice = builder.prismaNode('ServiceNotice', {
    id: { field: 'id' },
    fields: (t) => ({
      kind: t.exposeString('kind', { description: 'e.g. DEVICE_SILENT, POLICY_UPDATED, RENEWAL_SOON, INVOICE_DUE, INVOICE_OVERDUE.' }),
      subject: t.exposeString('subject'),
      data: t.expose('data', { type: 'JSON' }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      mailedAt: t.expose('mailedAt', { type: 'DateTime', nullable: true }),
    }),
  });
  const ServiceNoticeConnection = builder.connectionObject({ type: ServiceNotice, name: 'ServiceNoticeConnection' });

  const ServiceNoticeKind = builder.objectRef<{ kind: string; required: boolean }>('ServiceNoticeKind').implement({
    fields: (t) => ({
      kind: t.exposeString('kind'),
      required: t.exposeBoolean('required', { description: 'Required by law or the contract: cannot be muted.' }),
    }),
  });

  type Settings = Awaited<ReturnType<typeof notices.noticeSettings>>;
  const NoticeSettings = builder.objectRef<Settings>('NoticeSettings').implement({
    fields: (t) => ({
      deviceSilenceAfter: t.exposeString('deviceSilenceAfter', {
        description: 'ISO-8601 duration after which a silent device is reported.',
      }),
      mutedKinds: t.exposeStringList('mutedKinds'),
      kinds: t.field({
        type: [ServiceNoticeKind],
        description: 'Every notice kind, and whether it can be muted.',
        resolve: (_s, _a, ctx) => ctx.app.extensions.serviceNotices?.kinds() ?? [],
      }),
    }),
  });

  const NoticeSettingsInput = builder.inputType('NoticeSettingsInput', {
    fields: (t) => ({
      deviceSilenceAfter: t.string({ description: 'ISO-8601 duration, at least PT15M.' }),
      mute: t.stringList({ description: 'Optional kinds to stop.' }),
      unmute: t.stringList(),
    }),
  });

  builder.prismaObjectFields('Account', (t) => ({
    serviceNotices: t.relatedConnection(
      'serviceNotices',
      {
        cursor: 'id',
        description: 'Notices about the contract sent to this account, newest first.',
        query: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
      },
      ServiceNoticeConnection,
    ),
    noticeSettings: t.field({ type: NoticeSettings, resolve: (a, _x, ctx) => notices.noticeSettings(ctx.app, a.id) }),
  }));

  // ---- 4. Surveys ----------------------------------------------------------------------------
  builder.prismaNode('Survey', {
    id: { field: 'id' },
    fields: (t) => ({
      title: t.exposeString('title'),
      questions: t.expose('questions', { type: 'JSON', description: '[{ key, text }]' }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });

  const followUpLoader = (ctx: Context) =>
    ctx.loader<string, boolean>('communication.followUp', async (ids) => {
      const consented = await surveys.followUpConsented(ctx.app, ids);
      return ids.map((id) => consented.has(id));
    });

  const SurveyResponse = builder.prismaNode('SurveyResponse', {
    id: { field: 'id' },
    fields: (t) => ({
      answers: t.expose('answers', { type: 'JSON' }),
      submittedAt: t.expose('submittedAt', { type: 'DateTime' }),
      followUpConsent: t.boolean({
        description: 'The respondent agreed to be contacted about this answer, and has not withdrawn.',
        resolve: (r, _a, ctx) => followUpLoader(ctx).load(r.id),
      }),
      email: t.string({
        nullable: true,
        description: 'Only while the follow-up consent is in force.',
        resolve: async (r, _a, ctx) => ((await followUpLoader(ctx).load(r.id)) ? r.email : null),
      }),
      phone: t.string({
        nullable: true,
        description: 'Only while the follow-up consent is in force.',
        resolve: async (r, _a, ctx) => ((await followUpLoader(ctx).load(r.id)) ? r.phone : null),
      }),
    }),
  });
  const SurveyResponseConnection = builder.connectionObject({ type: SurveyResponse, name: 'SurveyResponseConnection' });

  const SurveyResponseReceipt = builder
    .objectRef<{ responseId: string; contactStored: boolean; consentReceipt: string | null }>('SurveyResponseReceipt')
    .implement({
      fields: (t) => ({
        responseId: t.exposeID('responseId'),
        contactStored: t.exposeBoolean('contactStored', {
          description: 'False: the contact details were not stored (no consent to follow-up).',
        }),
        consentReceipt: t.exposeString('consentReceipt', {
          nullable: true,
          description: 'Signed receipt of the follow-up consent (verifiable against /.well-known/jwks.json); withdraw with it.',
        }),
      }),
    });

  type Recipient = surveys.SurveyRecipientRow & { surveyUrl: string };
  const SurveyRecipient = builder.objectRef<Recipient>('SurveyRecipient').implement({
    fields: (t) => ({
      account: t.field({ type: refs.AccountSummary, resolve: (r) => r }),
      email: t.exposeString('email'),
      surveyUrl: t.exposeString('surveyUrl'),
    }),
  });
  const SurveyRecipientPage = builder
    .objectRef<{ nodes: Recipient[]; totalCount: number; endCursor: string | null; hasNextPage: boolean }>('SurveyRecipientPage')
    .implement({
      fields: (t) => ({
        nodes: t.field({ type: [SurveyRecipient], resolve: (p) => p.nodes }),
        totalCount: t.exposeInt('totalCount'),
        endCursor: t.exposeString('endCursor', { nullable: true }),
        hasNextPage: t.exposeBoolean('hasNextPage'),
      }),
    });

  const SurveyQuestionInput = builder.inputType('SurveyQuestionInput', {
    fields: (t) => ({ key: t.string({ required: true }), text: t.string({ required: true }) }),
  });
  const CreateSurveyInput = builder.inputType('CreateSurveyInput', {
    fields: (t) => ({ title: t.string({ required: true }), questions: t.field({ type: [SurveyQuestionInput], required: true }) }),
  });
  const SurveyContactInput = builder.inputType('SurveyContactInput', {
    fields: (t) => ({ email: t.string(), phone: t.string() }),
  });
  const SubmitSurveyResponseInput = builder.inputType('SubmitSurveyResponseInput', {
    fields: (t) => ({
      surveyId: t.id({ required: true }),
      answers: t.field({ type: 'JSON', required: true }),
      contact: t.field({ type: SurveyContactInput }),
      consentToFollowUp: t.boolean({ required: true, description: 'Without it, contact details are not stored.' }),
    }),
  });

  // ---- 5. Objections -------------------------------------------------------------------------
  const ProcessingObjection = builder.prismaNode('ProcessingObjection', {
    id: { field: 'id' },
    fields: (t) => ({
      purpose: t.exposeString('purpose', { description: 'Code of the legitimate-interest purpose objected to.' }),
      reason: t.exposeString('reason', { nullable: true }),
      status: t.field({ type: ObjectionStatus, description: 'In force while RECEIVED or UPHELD.', resolve: (o) => o.status }),
      receivedAt: t.expose('receivedAt', { type: 'DateTime' }),
      decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true }),
      decisionReason: t.exposeString('decisionReason', { nullable: true }),
      receipt: t.string({
        description: 'Signed ledger receipt of the objection.',
        resolve: async (o, _a, ctx) =>
          (await ctx.app.prisma.consentRecord.findUniqueOrThrow({ where: { id: o.consentRecordId }, select: { receipt: true } })).receipt,
      }),
      account: t.field({ type: refs.AccountSummary, resolve: (o, _a, ctx) => accountSummary(ctx, o.accountId)! }),
    }),
  });
  const ProcessingObjectionConnection = builder.connectionObject({ type: ProcessingObjection, name: 'ProcessingObjectionConnection' });

  builder.prismaObjectField('Account', 'objections', (t) =>
    t.relatedConnection(
      'processingObjections',
      {
        cursor: 'id',
        description: 'Objections to processing per purpose (GDPR art. 21).',
        query: { orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }] },
      },
      ProcessingObjectionConnection,
    ),
  );

  // ---- Queries -------------------------------------------------------------------------------
  builder.queryFields((t) => ({
    inquiries: t.prismaConnection(
      {
        type: 'Inquiry',
        cursor: 'id',
        description: 'SUPPORT: inquiries, oldest first.',
        args: { status: t.arg({ type: InquiryStatus }) },
        resolve: (query, _r, args, ctx) =>
          ctx.app.prisma.inquiry.findMany({
            ...query,
            where: inquiries.inquiryWhere(args.status),
            orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
          }),
      },
      InquiryConnection,
    ),
    complaints: t.prismaConnection(
      {
        type: 'Complaint',
        cursor: 'id',
        description: 'SUPPORT and DPO: complaints by status; overdue: true lists those past dueAt without an answer.',
        args: { status: t.arg({ type: ComplaintStatus }), overdue: t.arg.boolean() },
        resolve: (query, _r, args, ctx) =>
          ctx.app.prisma.complaint.findMany({
            ...query,
            where: complaints.complaintWhere(args.status, args.overdue),
            orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
          }),
      },
      ComplaintConnection,
    ),
    myComplaints: t.prismaConnection(
      {
        type: 'Complaint',
        cursor: 'id',
        description: "The signed-in customer's complaints, newest first.",
        resolve: (query, _r, _a, ctx) =>
          ctx.app.prisma.complaint.findMany({
            ...query,
            where: { accountId: requireAccount(ctx.viewer).accountId },
            orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
          }),
      },
      ComplaintConnection,
    ),
    survey: t.prismaField({
      type: 'Survey',
      nullable: true,
      description: 'Public: anyone with the link reads the questions.',
      args: { id: t.arg.id({ required: true }) },
      resolve: (query, _r, args, ctx) => ctx.app.prisma.survey.findUnique({ ...query, where: { id: requireId(args.id, 'Survey') } }),
    }),
    surveyResponses: t.prismaConnection(
      {
        type: 'SurveyResponse',
        cursor: 'id',
        description: 'MARKETING: the answers to a survey; contact details only where the follow-up consent is in force.',
        args: { surveyId: t.arg.id({ required: true }) },
        resolve: (query, _r, args, ctx) =>
          ctx.app.prisma.surveyResponse.findMany({
            ...query,
            where: { surveyId: requireId(args.surveyId, 'Survey') },
            orderBy: [{ submittedAt: 'asc' }, { id: 'asc' }],
          }),
      },
      SurveyResponseConnection,
    ),
    surveyAudience: t.field({
      type: SurveyRecipientPage,
      description: 'MARKETING: customers who may be invited to the survey by e-mail now (honours objections, restriction and opt-outs).',
      args: { surveyId: t.arg.id({ required: true }), first: t.arg.int(), after: t.arg.string() },
      resolve: async (_r, args, ctx) => {
        const surveyId = requireId(args.surveyId, 'Survey');
        if (!(await ctx.app.prisma.survey.findUnique({ where: { id: surveyId }, select: { id: true } })))
          throw badInput('surveyId', 'No such survey.');
        const first = args.first ?? 100;
        if (first < 0 || first > MAX_PAGE) throw badInput('first', `first must be from 0 to ${MAX_PAGE}.`);
        const { rows, total } = await surveys.surveyAudiencePage(ctx.app, { afterId: args.after ?? null, limit: first + 1 });
        const page = rows.slice(0, first);
        const surveyUrl = `${ctx.app.config.publicUrl}/surveys/${encodeGlobalID('Survey', surveyId)}`;
        for (const row of page) {
          await ctx.app.events.emit(
            'data.accessed',
            { subjectAccountId: row.id, action: 'survey.audience', details: { surveyId } },
            { actor: { kind: 'STAFF', accountId: staffId(ctx) } },
          );
        }
        return {
          nodes: page.map((r) => ({ ...r, surveyUrl })),
          totalCount: total,
          endCursor: page.at(-1)?.id ?? null,
          hasNextPage: rows.length > first,
        };
      },
    }),
    processingObjections: t.prismaConnection(
      {
        type: 'ProcessingObjection',
        cursor: 'id',
        description: 'DPO: objections per purpose, oldest first.',
        args: { status: t.arg({ type: ObjectionStatus }) },
        resolve: (query, _r, args, ctx) =>
          ctx.app.prisma.processingObjection.findMany({
            ...query,
            where: args.status ? { status: args.status } : {},
            orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
          }),
      },
      ProcessingObjectionConnection,
    ),
  }));

  // ---- Mutations -----------------------------------------------------------------------------
  builder.mutationFields((t) => ({
    submitInquiry: t.field({
      type: InquiryReceipt,
      description: 'Public (rate-limited per client address): a question from anyone; the receipt is also mailed.',
      args: { input: t.arg({ type: SubmitInquiryInput, required: true }) },
      resolve: (_r, { input }, ctx) => inquiries.submitInquiry(ctx.app, ctx.viewer, ctx.request, input),
    }),
    answerInquiry: t.prismaField({
      type: 'Inquiry',
      description: 'SUPPORT: answers by mail.',
      args: { id: t.arg.id({ required: true }), message: t.arg.string({ required: true }) },
      resolve: (_q, _r, args, ctx) => inquiries.answerInquiry(ctx.app, staffId(ctx), requireId(args.id, 'Inquiry'), args.message),
    }),
    closeInquiry: t.prismaField({
      type: 'Inquiry',
      description: 'SUPPORT: closes it; retention (INQUIRIES) counts from now.',
      args: { id: t.arg.id({ required: true }) },
      resolve: (_q, _r, args, ctx) => inquiries.closeInquiry(ctx.app, requireId(args.id, 'Inquiry')),
    }),
    submitComplaint: t.prismaField({
      type: 'Complaint',
      description: 'Customer: a complaint about goods or services.',
      args: { input: t.arg({ type: SubmitComplaintInput, required: true }) },
      resolve: (_q, _r, { input }, ctx) => complaints.submitComplaint(ctx.app, requireAccount(ctx.viewer).accountId, input),
    }),
    answerComplaint: t.prismaField({
      type: 'Complaint',
      description: 'SUPPORT: IN_PROGRESS (interim answer), ANSWERED or REJECTED (with reasons); mailed to the customer.',
      args: {
        id: t.arg.id({ required: true }),
        response: t.arg.string({ required: true }),
        status: t.arg({ type: ComplaintStatus, required: true }),
      },
      resolve: (_q, _r, args, ctx) =>
        complaints.answerComplaint(ctx.app, staffId(ctx), requireId(args.id, 'Complaint'), args.response, args.status),
    }),
    updateNoticeSettings: t.field({
      type: NoticeSettings,
      description: "The signed-in person's notice settings: the device-silence threshold and muted optional kinds.",
      args: { input: t.arg({ type: NoticeSettingsInput, required: true }) },
      resolve: (_r, { input }, ctx) => notices.updateNoticeSettings(ctx.app, requireAccount(ctx.viewer).accountId, input),
    }),
    createSurvey: t.prismaField({
      type: 'Survey',
      description: 'MARKETING.',
      args: { input: t.arg({ type: CreateSurveyInput, required: true }) },
      resolve: (_q, _r, { input }, ctx) => surveys.createSurvey(ctx.app, staffId(ctx), input),
    }),
    submitSurveyResponse: t.field({
      type: SurveyResponseReceipt,
      description: 'Public: anyone with the link answers; contact details are stored only with consentToFollowUp.',
      args: { input: t.arg({ type: SubmitSurveyResponseInput, required: true }) },
      resolve: async (_r, { input }, ctx) => {
        const surveyId = requireId(input.surveyId, 'Survey');
        const r = await surveys.submitSurveyResponse(ctx.app, ctx.viewer, surveyId, input);
        return {
          responseId: encodeGlobalID('SurveyResponse', r.response.id),
          contactStored: r.contactStored,
          consentReceipt: r.consentReceipt,
        };
      },
    }),
    withdrawSurveyFollowUpConsent: t.boolean({
      description: 'Public: the receipt of the follow-up consent withdraws it; the contact details are deleted at once.',
      args: { receipt: t.arg.string({ required: true }) },
      resolve: async (_r, args, ctx) => !(await surveys.withdrawSurveyFollowUp(ctx.app, args.receipt)).granted,
    }),
    objectToProcessing: t.prismaField({
      type: 'ProcessingObjection',
      description: 'Objects to one legitimate-interest purpose (GDPR art. 21); effective at once.',
      args: { purposeCode: t.arg.string({ required: true }), reason: t.arg.string() },
      resolve: (_q, _r, args, ctx) =>
        objections.objectToProcessing(ctx.app, requireAccount(ctx.viewer).accountId, args.purposeCode, args.reason),
    }),
    upholdObjection: t.prismaField({
      type: 'ProcessingObjection',
      description: 'DPO: the objection stands; the processing stays stopped.',
      args: { id: t.arg.id({ required: true }), reason: t.arg.string({ required: true }) },
      resolve: (_q, _r, args, ctx) =>
        objections.decideObjection(ctx.app, staffId(ctx), requireId(args.id, 'ProcessingObjection'), 'UPHELD', args.reason),
    }),
    rejectObjection: t.prismaField({
      type: 'ProcessingObjection',
      description: 'DPO: compelling legitimate grounds override the objection (never for direct marketing).',
      args: { id: t.arg.id({ required: true }), reason: t.arg.string({ required: true }) },
      resolve: (_q, _r, args, ctx) =>
        objections.decideObjection(ctx.app, staffId(ctx), requireId(args.id, 'ProcessingObjection'), 'REJECTED', args.reason),
    }),
  }));
}
