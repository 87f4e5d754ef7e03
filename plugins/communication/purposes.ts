/** The communication plugin's entries in the register of processing purposes. */
import type { PersonalDataMap, ProcessingPurposeDefinition } from '../../schema/plugin-api';

export const SURVEY_FOLLOW_UP = 'SURVEY_FOLLOW_UP';
export const CUSTOMER_SURVEYS = 'CUSTOMER_SURVEYS';
export const CONTRACT_NOTICES = 'CONTRACT_NOTICES';

export const communicationPurposes: ProcessingPurposeDefinition[] = [
  {
    code: 'ANSWERING_INQUIRIES',
    title: { LV: 'Atbildes uz jautājumiem', EN: 'Answering questions' },
    description: {
      LV: 'Atbildam uz jautājumiem, ko mums sūta ikviens, arī cilvēki, kuri nav mūsu klienti.',
      EN: 'We answer the questions anyone sends us, including people who are not our customers.',
    },
    legalBasis: 'LEGITIMATE_INTEREST',
    dataCategories: ['name', 'email', 'phone', 'messages'],
    recipients: ['e-mail delivery provider in the EU/EEA'],
    recipientCategories: ['IT_SERVICE_PROVIDER'],
    retentionRules: ['INQUIRIES'],
    retentionCriteria: {
      LV: 'Pēc jautājuma slēgšanas.',
      EN: 'After the inquiry is closed.',
    },
  },
  {
    code: 'HANDLING_COMPLAINTS',
    title: { LV: 'Sūdzību izskatīšana', EN: 'Handling complaints' },
    description: {
      LV: 'Izskatām sūdzības par precēm un pakalpojumiem un atbildam uz tām likumā noteiktajā termiņā.',
      EN: 'We examine complaints about goods and services and answer them within the period the law sets.',
    },
    legalBasis: 'LEGAL_OBLIGATION',
    dataCategories: ['name', 'email', 'messages'],
    recipients: ['e-mail delivery provider in the EU/EEA'],
    recipientCategories: ['IT_SERVICE_PROVIDER'],
    retentionRules: ['COMPLAINTS'],
    retentionCriteria: {
      LV: 'Līdz atbildei, pēc tam laiku, kurā var celt prasības.',
      EN: 'Until answered, then for the time in which claims can be brought.',
    },
  },
  {
    code: CONTRACT_NOTICES,
    title: { LV: 'Paziņojumi par līgumu', EN: 'Notices about your contract' },
    description: {
      LV: 'Paziņojumi par līguma gaitu: abonementa atjaunošana, rēķini, klusējošas ierīces, jaunas politikas versijas.',
      EN: 'Notices about the course of the contract: renewals, invoices, silent devices, new policy versions.',
    },
    legalBasis: 'LEGITIMATE_INTEREST',
    dataCategories: ['name', 'email', 'service notices'],
    recipients: ['e-mail delivery provider in the EU/EEA'],
    recipientCategories: ['IT_SERVICE_PROVIDER'],
    retentionRules: ['INACTIVE_ACCOUNTS'],
    retentionCriteria: {
      LV: 'Kamēr konts pastāv.',
      EN: 'While the account exists.',
    },
  },
  {
    code: CUSTOMER_SURVEYS,
    title: { LV: 'Klientu aptaujas', EN: 'Customer surveys' },
    description: {
      LV: 'Aicinām klientus atbildēt uz aptaujām par precēm un pakalpojumiem, ja vien viņi nav atteikušies vai iebilduši.',
      EN: 'We invite customers to surveys about goods and services, unless they opted out or objected.',
    },
    legalBasis: 'LEGITIMATE_INTEREST',
    dataCategories: ['name', 'email', 'survey answers'],
    recipients: [],
    recipientCategories: [],
    retentionRules: ['SURVEY_RESPONSES'],
    retentionCriteria: {
      LV: 'Pēc atbildes sniegšanas.',
      EN: 'After the answer was given.',
    },
  },
  {
    code: SURVEY_FOLLOW_UP,
    title: { LV: 'Saziņa par aptaujas atbildi', EN: 'Contact about your survey answer' },
    description: {
      LV: 'Ja aptaujā atstājat e-pastu vai tālruni un piekrītat, mēs varam ar jums sazināties par jūsu atbildi; piekrišanu var atsaukt.',
      EN: 'If you leave an e-mail or phone number in a survey and agree, we may contact you about your answer; you can withdraw.',
    },
    legalBasis: 'CONSENT',
    dataCategories: ['email', 'phone', 'survey answers'],
    recipients: [],
    recipientCategories: [],
    retentionRules: ['SURVEY_RESPONSES'],
    retentionCriteria: {
      LV: 'Līdz piekrišanas atsaukšanai vai atbildes dzēšanai.',
      EN: 'Until the consent is withdrawn or the answer is deleted.',
    },
    consentRecordedBy: 'submitSurveyResponse',
  },
];

/** Where the plugin's models hold personal data (test/register.test.ts). */
export const communicationPersonalData: PersonalDataMap = {
  Inquiry: {
    personal: { name: ['name'], email: ['email'], phone: ['phone'], message: ['messages'], answer: ['messages'], receivedAt: ['messages'] },
    other: 'id accountId locale status answeredAt answeredById closedAt',
  },
  Complaint: {
    personal: {
      subject: ['messages'],
      message: ['messages'],
      response: ['messages'],
      invoiceNumber: ['messages'],
      receivedAt: ['messages'],
    },
    other: 'id accountId status dueAt answeredAt answeredById',
  },
  ServiceNotice: {
    personal: { data: ['service notices'], subject: ['service notices'], createdAt: ['service notices'] },
    other: 'id accountId kind dedupeKey mailedAt',
  },
  ServiceNoticeMute: { personal: { kind: ['service notices'] }, other: 'accountId createdAt' },
  NoticeSettings: { personal: { deviceSilenceAfter: ['service notices'] }, other: 'accountId' },
  Survey: { other: 'id title questions createdById createdAt' },
  SurveyResponse: {
    personal: { answers: ['survey answers'], email: ['email'], phone: ['phone'], submittedAt: ['survey answers'] },
    other: 'id surveyId accountId',
  },
  ProcessingObjection: {
    personal: {
      purpose: ['data-subject requests'],
      reason: ['data-subject requests'],
      status: ['data-subject requests'],
      receivedAt: ['data-subject requests'],
      decisionReason: ['data-subject requests'],
    },
    other: 'id accountId consentRecordId decidedAt decidedById',
  },
};
