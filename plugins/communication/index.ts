/**
 * Communication plugin: inquiries from anyone, complaints about goods and
 * services, service notices about the contract (app.extensions.serviceNotices,
 * which billing and others call), surveys with consent to follow-up in the
 * consent ledger, and objection per legitimate-interest purpose with the
 * DPO's decision. Retention rules INQUIRIES, COMPLAINTS and SURVEY_RESPONSES
 * through app.extensions.retentionPurgers; everything a person sent is in their export.
 */
import { addExportContributor, definePlugin } from '../../schema/plugin-api';
import { communicationSettings } from './config';
import { communicationPurposes, communicationPersonalData } from './purposes';
import { addCommunicationSchema } from './schema';
import { communicationRules } from './rules';
import { communicationPurgers } from './retention';
import { createNoticeService, deviceSilentKind, notifyPolicyVersion, notifySilentDevices, policyUpdatedKind } from './notices';

export default definePlugin({
  name: 'communication',
  description: 'Inquiries, complaints, service notices, surveys and objections per purpose.',
  models: [
    'Inquiry',
    'Complaint',
    'ServiceNotice',
    'ServiceNoticeMute',
    'NoticeSettings',
    'Survey',
    'SurveyResponse',
    'ProcessingObjection',
  ],
  config: communicationSettings,
  purposes: communicationPurposes,
  personalData: communicationPersonalData,
  schema: addCommunicationSchema,
  rules: communicationRules,
  jobs: [
    {
      name: 'service-notices',
      everySeconds: (app) => communicationSettings.of(app).noticeIntervalSeconds,
      run: async (app) => {
        const service = app.extensions.serviceNotices!;
        return { silentDevices: await notifySilentDevices(app, service), policy: await notifyPolicyVersion(app, service) };
      },
    },
  ],
  setup(app) {
    const notices = createNoticeService(app);
    notices.registerKind(deviceSilentKind);
    notices.registerKind(policyUpdatedKind);
    app.extensions.serviceNotices = notices;
    app.extensions.retentionPurgers.push(...communicationPurgers());
    addExportContributor(app, {
      section: 'communication',
      collect: async (app, accountId) => {
        const [inquiries, complaints, serviceNotices, surveyResponses, objections] = await Promise.all([
          app.prisma.inquiry.findMany({ where: { accountId }, orderBy: { receivedAt: 'asc' }, omit: { answeredById: true } }),
          app.prisma.complaint.findMany({ where: { accountId }, orderBy: { receivedAt: 'asc' }, omit: { answeredById: true } }),
          app.prisma.serviceNotice.findMany({ where: { accountId }, orderBy: { createdAt: 'asc' } }),
          app.prisma.surveyResponse.findMany({ where: { accountId }, orderBy: { submittedAt: 'asc' } }),
          app.prisma.processingObjection.findMany({ where: { accountId }, orderBy: { receivedAt: 'asc' }, omit: { decidedById: true } }),
        ]);
        return { inquiries, complaints, serviceNotices, surveyResponses, objections };
      },
    });
  },
});
