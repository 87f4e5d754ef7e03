/**
 * The purposes of the core service and every purpose and legitimate interest
 * that the customer's privacy policy names (in our words). Purposes of
 * plugins (cookies, marketing, rights, disclosures, ...) are declared there.
 */
import type { ProcessingPurposeDefinition } from './purposes';

const WHILE_CONTRACT = {
  LV: 'Kamēr ir spēkā līgums vai tiek sniegts pakalpojums; pēc tam dati tiek dzēsti, ja vien nav cita likumīga pamata tos glabāt.',
  EN:
    'While the contract runs or the service is provided; afterwards the data is deleted unless another ' +
    'lawful reason requires keeping it.',
};

export const corePurposes: ProcessingPurposeDefinition[] = [
  {
    code: 'ACCOUNT',
    title: { LV: 'Konta uzturēšana', EN: 'Running your account' },
    description: {
      LV: 'Reģistrācija, pieteikšanās un profila dati, lai sniegtu pakalpojumu saskaņā ar līgumu.',
      EN: 'Registration, sign-in and profile data needed to provide the service under the contract.',
    },
    legalBasis: 'CONTRACT',
    dataCategories: ['name', 'email', 'phone', 'address', 'account credentials', 'account settings', 'account status', 'account activity'],
    recipients: ['hosting provider in the EU/EEA'],
    recipientCategories: ['IT_SERVICE_PROVIDER'],
    automatedDecision: {
      logic: {
        LV:
          'Konts bez autentificētas darbības (konta vai tā ierīču) INACTIVE_ACCOUNTS noteikumā norādīto laiku ' +
          'tiek automātiski dzēsts, ja vien uz to neattiecas juridiska aizture.',
        EN:
          'An account with no authenticated activity (of the account or its devices) for the period of the ' +
          'INACTIVE_ACCOUNTS rule is deleted automatically, unless a legal hold applies.',
      },
      significance: {
        LV: 'Konts un visi tā dati (ierīces, atrašanās vietas, kopīgošana) tiek neatgriezeniski dzēsti; pakalpojums šim kontam beidzas.',
        EN: 'The account and all its data (devices, locations, sharing) are deleted for good; the service ends for that account.',
      },
      basis: 'CONTRACT',
    },
    retentionRules: ['INACTIVE_ACCOUNTS'],
    retentionCriteria: WHILE_CONTRACT,
  },
  {
    code: 'LOCATION_TRACKING',
    title: { LV: 'Atrašanās vietas izsekošana', EN: 'Location tracking' },
    description: {
      LV: 'Jūsu ierīču atrašanās vietas (GPS, Wi-Fi, mobilie tīkli) saglabāšana un rādīšana jums.',
      EN: "Storing your devices' positions (GPS, Wi-Fi, cell) and showing them to you.",
    },
    legalBasis: 'CONTRACT',
    dataCategories: ['location', 'device name', 'device type', 'device identifiers', 'device activity'],
    recipients: ['hosting provider in the EU/EEA'],
    recipientCategories: ['IT_SERVICE_PROVIDER'],
    retentionRules: ['LOCATION_POINTS', 'REMOVED_DEVICES'],
    retentionCriteria: {
      LV: 'Tikai tik ilgi, cik saprātīgi vajadzīgs pakalpojumam; noņemot ierīci, tiek dzēstas arī tās atrašanās vietas.',
      EN: 'Only as long as reasonably needed for the service; removing a device removes its locations too.',
    },
  },
  {
    code: 'LOCATION_SHARING',
    title: { LV: 'Atrašanās vietas kopīgošana', EN: 'Location sharing' },
    description: {
      LV: 'Atrašanās vietas rādīšana cilvēkiem, kuriem jūs to esat atļāvis, uz jūsu noteikto laiku.',
      EN: 'Showing your location to the people you chose, for as long as you chose.',
    },
    legalBasis: 'CONTRACT',
    dataCategories: ['location', 'device name', 'sharing choices', 'email'],
    recipients: ['accounts and link holders you share with'],
    recipientCategories: ['IT_SERVICE_PROVIDER'],
    retentionRules: ['EXPIRED_SHARING'],
    retentionCriteria: { LV: 'Līdz atļauja vai saite beidzas vai tiek atsaukta.', EN: 'Until the grant or link expires or is revoked.' },
  },
  {
    code: 'SECURITY',
    title: { LV: 'Drošība, īpašuma un personu aizsardzība', EN: 'Security, protection of property and people' },
    description: {
      LV: 'Sesiju un piekļuves žurnāli, lai aizsargātu kontus, pakalpojumu, īpašumu un citu personu drošību.',
      EN: 'Session and access records that protect accounts, the service, property and the safety of others.',
    },
    legalBasis: 'LEGITIMATE_INTEREST',
    dataCategories: ['sessions', 'account credentials', 'access log'],
    recipients: ['hosting provider in the EU/EEA'],
    recipientCategories: ['IT_SERVICE_PROVIDER'],
    retentionRules: ['EXPIRED_SESSIONS', 'AUDIT_LOG'],
    retentionCriteria: { LV: 'Kamēr sesija ir aktīva, pēc tam kā pierādījums.', EN: 'While a session is active, then as evidence.' },
  },
  {
    code: 'IDENTITY_VERIFICATION',
    title: { LV: 'Personas identitātes pārbaude', EN: 'Identity verification' },
    description: {
      LV: 'Personas identitātes pārbaude pirms atsevišķu preču vai pakalpojumu iegādes un pirms datu subjekta pieprasījuma izpildes.',
      EN: "Checking a person's identity before certain goods or services are bought, and before a data-subject request is carried out.",
    },
    legalBasis: 'LEGITIMATE_INTEREST',
    dataCategories: ['name', 'personal code'],
    recipients: ['hosting provider in the EU/EEA'],
    recipientCategories: ['IT_SERVICE_PROVIDER'],
    retentionRules: ['INACTIVE_ACCOUNTS'],
    retentionCriteria: WHILE_CONTRACT,
  },
  {
    code: 'PAYMENT_ADMINISTRATION',
    title: { LV: 'Maksājumu administrēšana', EN: 'Payment administration' },
    description: {
      LV: 'Norēķinu administrēšana: bankas konta numurs atmaksām un maksājumu sasaistei ar klientu.',
      EN: 'Administering payments: the bank account number for refunds and for matching payments to the customer.',
    },
    legalBasis: 'LEGITIMATE_INTEREST',
    dataCategories: ['name', 'address', 'bank account'],
    recipients: ['banks and payment service providers', 'accounting service provider'],
    recipientCategories: ['BANK_PAYMENT_PROVIDER', 'ACCOUNTING_LEGAL_TAX'],
    retentionRules: ['INACTIVE_ACCOUNTS'],
    retentionCriteria: WHILE_CONTRACT,
  },
  {
    code: 'LOCATION_BASED_OFFERS',
    title: { LV: 'Pakalpojumi atbilstoši atrašanās vietai', EN: 'Services suited to your location' },
    description: {
      LV: 'Kvalitatīva un aktuāla pakalpojumu klāsta piedāvāšana, ņemot vērā lietotāja atrašanās vietu; apstāšanās pēc iebilduma.',
      EN: "Offering a good, up-to-date range of services based on the user's location; stops when the person objects.",
    },
    legalBasis: 'LEGITIMATE_INTEREST',
    dataCategories: ['location', 'device type'],
    recipients: ['hosting provider in the EU/EEA'],
    recipientCategories: ['IT_SERVICE_PROVIDER'],
    retentionRules: ['LOCATION_POINTS'],
    retentionCriteria: { LV: 'Kamēr tiek glabāti atrašanās vietas dati.', EN: 'As long as the location data itself is kept.' },
  },
  {
    code: 'CUSTOMER_ACQUISITION_RETENTION',
    title: { LV: 'Klientu piesaiste un noturēšana', EN: 'Customer acquisition and retention' },
    description: {
      LV: 'Klientu piesaiste un noturēšana, lojalitātes celšana un apmierinātības mērīšana.',
      EN: 'Acquiring and keeping customers, building loyalty and measuring satisfaction.',
    },
    legalBasis: 'LEGITIMATE_INTEREST',
    dataCategories: ['name', 'email', 'phone', 'account activity'],
    recipients: ['marketing agency', 'hosting provider in the EU/EEA'],
    recipientCategories: ['MARKETING_AGENCY', 'IT_SERVICE_PROVIDER'],
    retentionRules: ['INACTIVE_ACCOUNTS'],
    retentionCriteria: {
      LV: 'Kamēr pastāv klienta attiecības, līdz iebildumam.',
      EN: 'While the customer relationship lasts, until the person objects.',
    },
  },
  {
    code: 'SEGMENTATION',
    title: { LV: 'Klientu segmentēšana', EN: 'Customer segmentation' },
    description: {
      LV: 'Klientu datubāzes segmentēšana, lai pakalpojumus sniegtu efektīvāk.',
      EN: 'Segmenting the customer database to provide services more effectively.',
    },
    legalBasis: 'LEGITIMATE_INTEREST',
    dataCategories: ['account settings', 'account activity', 'device type'],
    recipients: ['hosting provider in the EU/EEA'],
    recipientCategories: ['IT_SERVICE_PROVIDER'],
    retentionRules: ['INACTIVE_ACCOUNTS'],
    retentionCriteria: WHILE_CONTRACT,
  },
  {
    code: 'PRODUCT_DEVELOPMENT',
    title: { LV: 'Preču un pakalpojumu attīstība', EN: 'Product development' },
    description: {
      LV: 'Jaunu preču un pakalpojumu izstrāde un esošo attīstība, izmantojot apkopotus lietošanas datus.',
      EN: 'Designing new goods and services and developing existing ones from aggregated usage data.',
    },
    legalBasis: 'LEGITIMATE_INTEREST',
    dataCategories: ['device type', 'device activity', 'account activity'],
    recipients: ['IT service providers'],
    recipientCategories: ['IT_SERVICE_PROVIDER', 'OTHER_PROCESSOR'],
    retentionRules: ['INACTIVE_ACCOUNTS'],
    retentionCriteria: WHILE_CONTRACT,
  },
  {
    code: 'SERVICE_QUALITY',
    title: { LV: 'Pakalpojumu kvalitāte', EN: 'Service quality' },
    description: {
      LV: 'Pakalpojumu kvalitātes nodrošināšana un uzlabošana: darbības un ierīču savienojumu uzraudzība.',
      EN: 'Ensuring and improving service quality: monitoring sessions and device connections.',
    },
    legalBasis: 'LEGITIMATE_INTEREST',
    dataCategories: ['sessions', 'device activity', 'account activity'],
    recipients: ['hosting provider in the EU/EEA'],
    recipientCategories: ['IT_SERVICE_PROVIDER'],
    retentionRules: ['EXPIRED_SESSIONS', 'INACTIVE_ACCOUNTS'],
    retentionCriteria: WHILE_CONTRACT,
  },
  {
    code: 'CORPORATE_GOVERNANCE',
    title: { LV: 'Korporatīvā pārvaldība un uzskaite', EN: 'Corporate governance and accounting' },
    description: {
      LV: 'Korporatīvā pārvaldība, finanšu un biznesa uzskaite un analītika, efektīvi uzņēmuma pārvaldības procesi.',
      EN: 'Corporate governance, financial and business accounting and analytics, and effective company management.',
    },
    legalBasis: 'LEGITIMATE_INTEREST',
    dataCategories: ['name', 'account activity'],
    recipients: ['accounting service providers, lawyers, tax advisers'],
    recipientCategories: ['ACCOUNTING_LEGAL_TAX'],
    retentionRules: ['INACTIVE_ACCOUNTS'],
    retentionCriteria: {
      LV: 'Kamēr to prasa grāmatvedības normatīvie akti, vai kamēr pastāv klienta attiecības.',
      EN: 'As long as accounting law requires, or while the customer relationship lasts.',
    },
  },
  {
    code: 'FRAUD_PREVENTION',
    title: { LV: 'Krāpšanas novēršana', EN: 'Fraud prevention' },
    description: {
      LV: 'Krāpniecisku darbību pret uzņēmumu novēršana un atklāšana.',
      EN: 'Preventing and detecting fraud against the company.',
    },
    legalBasis: 'LEGITIMATE_INTEREST',
    dataCategories: ['name', 'email', 'personal code', 'sessions', 'access log'],
    recipients: ['law enforcement authorities on a lawful request'],
    recipientCategories: ['IT_SERVICE_PROVIDER', 'LAW_ENFORCEMENT'],
    retentionRules: ['EXPIRED_SESSIONS', 'AUDIT_LOG'],
    retentionCriteria: {
      LV: 'Kamēr tas vajadzīgs krāpšanas novēršanai un prasību celšanai.',
      EN: 'As long as needed to prevent fraud and to bring or defend claims.',
    },
  },
  {
    code: 'COMPLAINTS_AND_CLAIMS',
    title: { LV: 'Iebildumi, pretenzijas un prasības', EN: 'Complaints and legal claims' },
    description: {
      LV: 'Iebildumu un pretenziju izskatīšana un tiesisko interešu aizsardzība (juridiskas aiztures).',
      EN: 'Handling objections and complaints and defending legal interests (legal holds).',
    },
    legalBasis: 'LEGITIMATE_INTEREST',
    dataCategories: ['name', 'email', 'phone', 'legal holds'],
    recipients: ['lawyers'],
    recipientCategories: ['ACCOUNTING_LEGAL_TAX'],
    retentionRules: [],
    retentionCriteria: {
      LV: 'Līdz iebildums ir izskatīts un kamēr var tikt celtas prasības normatīvajos aktos noteiktajā kārtībā.',
      EN: 'Until the complaint is resolved and as long as claims can be brought under the law.',
    },
  },
  {
    code: 'CONSENT_RECORDS',
    title: { LV: 'Piekrišanu un politiku apstiprinājumu uzskaite', EN: 'Records of consent and policy acknowledgements' },
    description: {
      LV: 'Pierādījums, kad un kā jūs devāt vai atsaucāt piekrišanu un kuru politikas versiju apstiprinājāt (VDAR 7. panta 1. punkts).',
      EN: 'Proof of when and how you gave or withdrew consent and which policy version you accepted (GDPR art. 7(1)).',
    },
    legalBasis: 'LEGAL_OBLIGATION',
    dataCategories: ['consent records'],
    recipients: ['hosting provider in the EU/EEA'],
    recipientCategories: ['IT_SERVICE_PROVIDER'],
    retentionRules: ['INACTIVE_ACCOUNTS', 'AUDIT_LOG'],
    retentionCriteria: {
      LV: 'Kamēr pastāv konts; pēc dzēšanas saīsināts pierādījums paliek audita žurnālā.',
      EN: 'While the account exists; after erasure a minimised proof stays in the audit log.',
    },
  },
  {
    code: 'INFORMING_THE_PUBLIC',
    title: { LV: 'Sabiedrības informēšana', EN: 'Informing the public' },
    description: {
      LV: 'Sabiedrības informēšana par uzņēmuma darbību; platforma šim nolūkam personas datus neglabā.',
      EN: 'Informing the public about the company; the platform stores no personal data for it.',
    },
    legalBasis: 'LEGITIMATE_INTEREST',
    dataCategories: [],
    recipients: [],
    recipientCategories: [],
    retentionRules: [],
    retentionCriteria: { LV: 'Platformā netiek glabāts.', EN: 'Not stored on the platform.' },
  },
];
