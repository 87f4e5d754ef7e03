/**
 * The register of processing purposes (GDPR art. 13 and 30). Core declares the
 * purposes of the core service; each plugin adds its own through definePlugin.
 */
export type LegalBasis = 'CONSENT' | 'CONTRACT' | 'LEGAL_OBLIGATION' | 'LEGITIMATE_INTEREST';
export type Texts = { LV: string; EN: string; RU?: string };

export interface ProcessingPurposeDefinition {
  code: string;
  title: Texts;
  description: Texts;
  legalBasis: LegalBasis;
  dataCategories: string[];
  recipients: string[];
  /** ISO-8601 duration or a rule in words. */
  retention: string;
  /**
   * For a consent-based purpose whose choices are recorded by another
   * mutation (e.g. cookies: setCookieConsent per visitor): that mutation's
   * name. Such purposes are listed in the register but not in setConsent or
   * Account.consents.
   */
  consentRecordedBy?: string;
}

/** Only purposes whose legal basis is consent can be granted or withdrawn. */
export function requiresConsent(purpose: Pick<ProcessingPurposeDefinition, 'legalBasis'>): boolean {
  return purpose.legalBasis === 'CONSENT';
}

/** Consent-based purposes whose choices live in the consent ledger (setConsent, Account.consents). */
export function inConsentLedger(purpose: ProcessingPurposeDefinition): boolean {
  return requiresConsent(purpose) && !purpose.consentRecordedBy;
}

export const corePurposes: ProcessingPurposeDefinition[] = [
  {
    code: 'ACCOUNT',
    title: { LV: 'Konta uzturēšana', EN: 'Running your account' },
    description: {
      LV: 'Reģistrācija, pieteikšanās un profila dati, lai sniegtu pakalpojumu saskaņā ar līgumu.',
      EN: 'Registration, sign-in and profile data needed to provide the service under the contract.',
    },
    legalBasis: 'CONTRACT',
    dataCategories: ['name', 'email', 'phone', 'address', 'personal code', 'account credentials', 'e-mail verification and password reset links (hashed)'],
    recipients: ['hosting provider in the EU/EEA'],
    retention: 'While the contract runs; the account is removed 6 months after the last activity',
  },
  {
    code: 'LOCATION_TRACKING',
    title: { LV: 'Atrašanās vietas izsekošana', EN: 'Location tracking' },
    description: {
      LV: 'Jūsu ierīču atrašanās vietas (GPS, Wi-Fi, mobilie tīkli) saglabāšana un rādīšana jums.',
      EN: "Storing your devices' positions (GPS, Wi-Fi, cell) and showing them to you.",
    },
    legalBasis: 'CONTRACT',
    dataCategories: ['location', 'device identifiers'],
    recipients: ['hosting provider in the EU/EEA'],
    retention: 'P90D',
  },
  {
    code: 'LOCATION_SHARING',
    title: { LV: 'Atrašanās vietas kopīgošana', EN: 'Location sharing' },
    description: {
      LV: 'Atrašanās vietas rādīšana cilvēkiem, kuriem jūs to esat atļāvis, uz jūsu noteikto laiku.',
      EN: 'Showing your location to the people you chose, for as long as you chose.',
    },
    legalBasis: 'CONTRACT',
    dataCategories: ['location', 'device name'],
    recipients: ['accounts and link holders you share with'],
    retention: 'Until the grant or link expires or is revoked',
  },
  {
    code: 'SECURITY',
    title: { LV: 'Drošība un krāpšanas novēršana', EN: 'Security and abuse prevention' },
    description: {
      LV: 'Sesiju un piekļuves žurnāli, lai aizsargātu kontus un pakalpojumu.',
      EN: 'Session and access records that protect accounts and the service.',
    },
    legalBasis: 'LEGITIMATE_INTEREST',
    dataCategories: ['sessions', 'access log'],
    recipients: [],
    retention: 'P30D after a session ends',
  },
];
