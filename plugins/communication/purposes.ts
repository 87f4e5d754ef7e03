/** The communication plugin's entries in the register of processing purposes. */
import type { ProcessingPurposeDefinition } from '../../schema/plugin-api';

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
    dataCategories: ['name', 'email', 'phone', 'message text'],
    recipients: ['e-mail delivery provider in the EU/EEA'],
    retention: 'P1Y after the inquiry is closed (RETENTION_INQUIRIES)',
  },
  {
    code: 'HANDLING_COMPLAINTS',
    title: { LV: 'Sūdzību izskatīšana', EN: 'Handling complaints' },
    description: {
      LV: 'Izskatām sūdzības par precēm un pakalpojumiem un atbildam uz tām likumā noteiktajā termiņā.',
      EN: 'We examine complaints about goods and services and answer them within the period the law sets.',
    },
    legalBasis: 'LEGAL_OBLIGATION',
    dataCategories: ['name', 'email', 'complaint text', 'invoice number'],
    recipients: ['e-mail delivery provider in the EU/EEA'],
    retention: 'Until answered, then P3Y in which claims can be brought (RETENTION_COMPLAINTS)',
  },
  {
    code: CONTRACT_NOTICES,
    title: { LV: 'Paziņojumi par līgumu', EN: 'Notices about your contract' },
    description: {
      LV: 'Paziņojumi par līguma gaitu: abonementa atjaunošana, rēķini, klusējošas ierīces, jaunas politikas versijas.',
      EN: 'Notices about the course of the contract: renewals, invoices, silent devices, new policy versions.',
    },
    legalBasis: 'LEGITIMATE_INTEREST',
    dataCategories: ['name', 'email', 'device status', 'invoice status'],
    recipients: ['e-mail delivery provider in the EU/EEA'],
    retention: 'While the account exists',
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
    retention: 'Answers P1Y (RETENTION_SURVEY_RESPONSES)',
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
    retention: 'Until the consent is withdrawn or the answer is deleted (P1Y)',
    consentRecordedBy: 'submitSurveyResponse',
  },
];
